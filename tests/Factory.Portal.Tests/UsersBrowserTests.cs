using Factory.Cloud.Access;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>User management in chromium: an admin adds a planner and takes the role away; the planner loses the page at once.</summary>
public sealed class UsersBrowserTests(PortalBrowser portal) : IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task An_admin_adds_a_user_and_a_role_taken_away_takes_effect_at_the_users_next_page()
    {
        var admin = await portal.SignedInAsync("/users", UserAccounts.FirstAdmin, portal.AdminPassword);
        await admin.GetByTestId("new-name").FillAsync("pia");
        await admin.GetByTestId("new-password").FillAsync("planner-password-1");
        await admin.GetByTestId("new-roles").GetByText(UserRoles.Planner).ClickAsync();
        await admin.GetByTestId("add").ClickAsync();
        await admin.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "pia added with Planner." }).WaitForAsync();
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "users.png"), FullPage = true });

        var planner = await portal.SignedInAsync("/planning", "pia", "planner-password-1");
        (await planner.GetByTestId("nav-users").CountAsync()).Should().Be(0, "a planner manages no users");
        await planner.GotoAsync(new Uri(portal.Address, "/users").ToString());
        await planner.GetByTestId("denied").WaitForAsync();

        // The admin takes Planner away: pia's cookie still names the role, and the server signs her out at her next page.
        await admin.GetByTestId("roles-pia").GetByText(UserRoles.Planner).ClickAsync();
        await admin.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "pia now has no role." }).WaitForAsync();
        await planner.GotoAsync(new Uri(portal.Address, "/planning").ToString());
        await planner.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_page_fits_a_tablet_without_scrolling_sideways()
    {
        foreach (var path in new[] { "/", "/alarms", "/planning", "/models", "/users", "/account" })
        {
            var page = await portal.SignedInAsync(path, UserAccounts.FirstAdmin, portal.AdminPassword, width: 768, height: 1024);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            overflow.Should().BeLessThanOrEqualTo(0, $"{path} must fit 768 px");
            await page.CloseAsync();
        }
    }
}
