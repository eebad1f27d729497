using Factory.Cloud.Storage;
using Factory.Cloud.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>The machine page in chromium, served by a real cloud node.</summary>
public sealed class MachineBrowserTests(PortalBrowser portal) : IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task A_machine_opens_from_the_overview_with_a_chart_per_sensor()
    {
        var store = portal.Cloud.Services.GetRequiredService<ITelemetryStore>();
        await PlantData.WriteAsync(store);
        await PlantData.WriteHistoryAsync(store);
        var page = await portal.SignedInAsync("/", UserAccounts.FirstAdmin, portal.AdminPassword);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "pump-07" }).ClickAsync();

        await page.WaitForURLAsync(new Uri(portal.Address, "/machines/line-2/pump-07").ToString());
        await page.GetByTestId("chart-flow").Locator("svg path").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        (await page.GetByTestId("alarms").InnerTextAsync()).Should().Contain("Flow above H limit 45 m3/h");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "machine.png"), FullPage = true });
    }
}
