using Factory.Cloud.Storage;
using Factory.Cloud.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>Sign-in and the plant overview in chromium, served by a real cloud node.</summary>
public sealed class OverviewBrowserTests(PortalBrowser portal) : IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task The_overview_lists_the_machines_of_the_store_and_shows_a_new_one_without_a_reload()
    {
        var page = await portal.SignedInAsync("/", UserAccounts.FirstAdmin, portal.AdminPassword);
        await page.GetByTestId("empty").WaitForAsync();
        (await page.GetByTestId("user").InnerTextAsync()).Should().Be(UserAccounts.FirstAdmin);

        // An edge reports: the open page shows it on its next refresh.
        await PlantData.WriteAsync(portal.Cloud.Services.GetRequiredService<ITelemetryStore>());
        var pump = page.Locator("tr.rz-data-row", new PageLocatorOptions { HasText = "pump-07" });
        await pump.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        (await page.Locator("tr.rz-data-row").CountAsync()).Should().Be(2);
        (await pump.InnerTextAsync()).Should().Contain("7.25 / 2").And.Contain("centrifugal-pump-anomaly version 3");
        (await page.TitleAsync()).Should().Be("Plant overview");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "overview.png"), FullPage = true });
    }

    [Fact]
    public async Task A_visitor_who_has_not_signed_in_is_sent_to_the_sign_in_page_by_the_server()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = portal.Address };
        var response = await http.GetAsync("/");

        ((int)response.StatusCode).Should().Be(302, "the page is authorized on the server, not only hidden");
        response.Headers.Location!.ToString().Should().Contain("/login").And.Contain("ReturnUrl=%2F");
        (await http.GetStringAsync("/login")).Should().Contain("Sign in to Factory").And.NotContain("pump-07");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_signing_out_ends_the_session()
    {
        var page = await portal.OpenAsync("/login");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "sign-in.png") });
        await page.FillAsync("input[name=userName]", UserAccounts.FirstAdmin);
        await page.FillAsync("input[name=password]", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        await page.GetByTestId("failed").WaitForAsync();
        page.Url.Should().Contain("/login");

        var signedIn = await portal.SignedInAsync("/", UserAccounts.FirstAdmin, portal.AdminPassword);
        await signedIn.GetByTestId("logout").ClickAsync();
        await signedIn.WaitForURLAsync(new Uri(portal.Address, "/login").ToString());
        await signedIn.GotoAsync(portal.Address.ToString());
        signedIn.Url.Should().Contain("/login", "the cookie is gone");
    }
}
