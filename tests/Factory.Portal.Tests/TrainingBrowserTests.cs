using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Cloud.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>
/// A training job from the models page in chromium: 120 days of the sample plant's simulated pumps
/// in the store (summaries and reported states, failures repaired after two hours); an engineer
/// starts a job, watches it and finds the version it registered.
/// </summary>
public sealed class TrainingBrowserTests(SamplePlantPortal portal) : IClassFixture<SamplePlantPortal>
{
    [Fact]
    public async Task An_engineer_trains_a_rul_version_from_the_store_and_watches_it_to_registration()
    {
        var end = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var plant = Factory.Plant.Config.PlantConfigLoader.Load(PortalBrowser.SamplePlant);
        await SimulatedPlantHistory.WriteAsync(portal.Cloud.Services.GetRequiredService<ITelemetryStore>(), plant, "centrifugal-pump", end.AddDays(-120), TimeSpan.FromDays(120));
        await portal.Users.AddAsync("erin", "engineer-password-1", [UserRoles.ReliabilityEngineer], default);

        var page = await portal.SignedInAsync("/models", "erin", "engineer-password-1");
        await page.GetByTestId("train-type").ClickAsync();
        await page.Locator("li[role=option][aria-label='centrifugal-pump']:visible").ClickAsync();
        await page.GetByTestId("train").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "Training job #1 for centrifugal-pump started." }).WaitForAsync();
        await page.GetByTestId("job-1").Filter(new LocatorFilterOptions { HasText = "running:" }).WaitForAsync();

        var done = page.GetByTestId("job-1").Filter(new LocatorFilterOptions { HasText = "done: version 1 registered" });
        try
        {
            await done.WaitForAsync(new LocatorWaitForOptions { Timeout = 240_000 });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The job did not finish: {await page.GetByTestId("job-1").InnerTextAsync()}");
        }

        (await done.InnerTextAsync()).Should().Contain("held-out RMSE").And.Contain("constant guess");
        var version = await portal.Cloud.Services.GetRequiredService<ModelRegistry>().GetAsync("centrifugal-pump-rul", 1, default);
        version.RegisteredBy.Should().Be("erin");
        version.Creator.Should().Be("cloud training job #1 (erin)");
        version.Metrics["heldOutRmseHours"].Should().BeLessThan(version.Metrics["constantBaselineRmseHours"]);
        await page.GetByTestId("models").GetByText("centrifugal-pump-rul").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "models-training.png"), FullPage = true });
    }
}
