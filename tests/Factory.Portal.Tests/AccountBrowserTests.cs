using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Factory.Cloud.Access;
using Factory.Cloud.Tests.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>
/// A user's own account in chromium: API tokens made, used and revoked, the password changed; and
/// the API refusing a user without the role, and the portal's cookie, on direct calls.
/// </summary>
public sealed class AccountBrowserTests(PortalBrowser portal) : IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_planner_makes_a_token_the_api_refuses_it_a_model_change_and_after_revocation_everything()
    {
        await portal.Users.AddAsync("petra", "planner-password-1", [UserRoles.Planner], default);
        var page = await portal.SignedInAsync("/", "petra", "planner-password-1");
        await page.GetByTestId("user").ClickAsync();
        await page.WaitForURLAsync(new Uri(portal.Address, "/account").ToString());
        await PortalBrowser.InteractiveAsync(page);
        await page.GetByTestId("no-tokens").WaitForAsync();

        await page.GetByTestId("token-name").FillAsync("planning-script");
        await page.GetByTestId("make-token").ClickAsync();
        var secret = (await page.GetByTestId("new-token-secret").InnerTextAsync()).Trim();
        secret.Should().StartWith(ApiTokens.Prefix);
        await page.GetByTestId("tokens").GetByText("planning-script").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "account.png"), FullPage = true });

        using var api = new HttpClient { BaseAddress = portal.Address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        (await api.GetAsync("/api/models")).StatusCode.Should().Be(HttpStatusCode.OK, "every user reads");
        var promote = await api.PostAsync($"/api/models/{RegistryPackages.ModelId}/1/promote?stage=fleet", null);
        promote.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await promote.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail.Should().Be("User 'petra' may not do this: it needs the role ReliabilityEngineer.");

        // The signed-in browser's cookie does not open the API: a page elsewhere cannot call it on the user's behalf.
        var fromPage = await page.EvaluateAsync<int>($"async () => (await fetch('/api/models/{RegistryPackages.ModelId}/1/promote?stage=fleet', {{ method: 'POST' }})).status");
        fromPage.Should().Be(401);
        var fromPageRead = await page.EvaluateAsync<int>("async () => (await fetch('/api/models')).status");
        fromPageRead.Should().Be(401);

        await page.GetByTestId("revoke-planning-script").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "Token 'planning-script' revoked" }).WaitForAsync();
        await page.GetByTestId("no-tokens").WaitForAsync();
        (await api.GetAsync("/api/models")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_user_changes_their_password_only_with_the_current_one()
    {
        await portal.Users.AddAsync("sven", "supervisor-password-1", [UserRoles.Supervisor], default);
        var page = await portal.SignedInAsync("/account", "sven", "supervisor-password-1");

        await page.GetByTestId("current-password").FillAsync("not-my-password");
        await page.GetByTestId("new-password").FillAsync("supervisor-password-2");
        await page.GetByTestId("change-password").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "The current password is wrong; the password is unchanged." }).WaitForAsync();
        (await portal.Users.VerifyAsync("sven", "supervisor-password-1", default)).Should().NotBeNull();

        await page.GetByTestId("current-password").FillAsync("supervisor-password-1");
        await page.GetByTestId("change-password").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "Password changed." }).WaitForAsync();
        (await portal.Users.VerifyAsync("sven", "supervisor-password-2", default)).Should().NotBeNull();
        (await portal.Users.VerifyAsync("sven", "supervisor-password-1", default)).Should().BeNull();
    }
}
