using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Models;
using Factory.Cloud.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>The Models page in chromium: a reliability engineer promotes and rolls back; other roles are refused.</summary>
public sealed class ModelsBrowserTests(PortalBrowser portal) : IClassFixture<PortalBrowser>, IDisposable
{
    private readonly RegistryPackages _packages = new();

    public void Dispose() => _packages.Dispose();

    [Fact]
    public async Task An_engineer_promotes_to_fleet_and_canary_and_rolls_back_and_the_audit_names_them()
    {
        var registry = portal.Cloud.Services.GetRequiredService<ModelRegistry>();
        foreach (var version in new[] { 1, 2 })
        {
            await using var file = File.OpenRead(_packages.Write(version, threshold: 10 - version));
            await registry.RegisterAsync(file, $"v{version}.fmpkg", "trainer", default);
        }

        await PlantData.WriteAsync(portal.Cloud.Services.GetRequiredService<ITelemetryStore>());
        await portal.Users.AddAsync("erin", "engineer-password-1", [UserRoles.ReliabilityEngineer], default);

        var page = await portal.SignedInAsync("/models", "erin", "engineer-password-1");
        await page.GetByTestId("fleet-1").ClickAsync();
        await Expect(page, "message", $"{RegistryPackages.ModelId}: fleet runs version 1, no canary.");
        await page.GetByTestId("canary-2").ClickAsync();
        await Expect(page, "message", $"{RegistryPackages.ModelId}: fleet runs version 1, line line-1 runs canary version 2.");
        await page.GetByTestId("fleet-2").ClickAsync();
        await Expect(page, "message", $"{RegistryPackages.ModelId}: fleet runs version 2, no canary.");
        await page.GetByTestId("rollback").ClickAsync();
        await Expect(page, "message", $"{RegistryPackages.ModelId}: fleet runs version 1, no canary.");

        // A refusal of the registry is shown as it is.
        await page.GetByTestId("fleet-1").ClickAsync();
        await Expect(page, "message", $"{RegistryPackages.ModelId} version 1 already runs on the whole fleet.");

        // Two versions side by side: the threshold differs by -1.
        // On a loaded machine a click on an option can come before its list is ready (CI saw the
        // button stay disabled): the two versions are chosen again, up to three times, until it is enabled.
        var compare = page.GetByTestId("compare");
        for (var attempt = 1; attempt <= 3 && !await EnabledWithinAsync(compare, TimeSpan.FromSeconds(attempt == 1 ? 0 : 5)); attempt++)
        {
            await page.GetByTestId("compare-left").ClickAsync();
            await page.Locator("li[role=option][aria-label='1']:visible").ClickAsync();
            await page.GetByTestId("compare-right").ClickAsync();
            await page.Locator("li[role=option][aria-label='2']:visible").ClickAsync();
        }

        await compare.ClickAsync();
        var threshold = page.GetByTestId("differences").Locator("tr").Filter(new LocatorFilterOptions { HasText = "threshold" });
        await threshold.WaitForAsync();
        (await threshold.InnerTextAsync()).Should().Contain("-1");

        var audit = await registry.AuditAsync(RegistryPackages.ModelId, 10, default);
        audit.Where(a => a.Action != "register").Should().AllSatisfy(a => a.Actor.Should().Be("erin"));
        audit.Select(a => a.Action).Should().ContainInOrder("rollback-fleet", "promote-fleet", "promote-canary", "promote-fleet");
        (await page.GetByTestId("audit").InnerTextAsync()).Should().Contain("erin").And.Contain("rollback-fleet");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "models.png"), FullPage = true });
    }

    [Fact]
    public async Task A_planner_is_refused_the_models_page_on_a_direct_url_and_sees_no_link_to_it()
    {
        await portal.Users.AddAsync("pat", "planner-password-1", [UserRoles.Planner], default);

        var page = await portal.SignedInAsync("/", "pat", "planner-password-1");
        (await page.GetByTestId("nav-models").CountAsync()).Should().Be(0);
        await page.GotoAsync(new Uri(portal.Address, "/models").ToString());

        await page.GetByTestId("denied").WaitForAsync();
        page.Url.Should().Contain("/denied");
        (await page.ContentAsync()).Should().NotContain("fleet-1");
    }

    private static async Task<bool> EnabledWithinAsync(ILocator locator, TimeSpan time)
    {
        var deadline = DateTime.UtcNow + time;
        while (!await locator.IsEnabledAsync())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    private static async Task Expect(IPage page, string testId, string text)
    {
        var locator = page.GetByTestId(testId).Filter(new LocatorFilterOptions { HasText = text });
        await locator.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
    }
}
