using Factory.Cloud.Access;
using Factory.Cloud.Planning;
using Factory.Edge.Tests.Node.Support;
using Factory.Plant.Model;
using Factory.Simulator.Physics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Factory.Portal.Tests;

/// <summary>
/// The end of the loop in chromium: a planner makes a work order by hand for a pump of a live
/// simulated line read by a real edge node, books it, starts it and marks it done; the maintenance
/// reaches the simulated pump through the cloud and the edge, and the machine page shows it.
/// </summary>
public sealed class WorkOrderBrowserTests(LiveLinePortal portal, ITestOutputHelper output) : IClassFixture<LiveLinePortal>, IAsyncLifetime
{
    private readonly EdgeHarness _edge = new(output);

    public Task InitializeAsync()
    {
        // Summaries every second, so that the store knows the pump (and its page shows) soon after the start.
        _edge.Tuning = _edge.Tuning with { SummaryInterval = TimeSpan.FromSeconds(1) };
        return portal.StartLinkedAsync(_edge);
    }

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task A_planner_makes_books_starts_and_completes_a_work_order_and_the_simulated_pump_goes_into_maintenance()
    {
        await portal.Users.AddAsync("pat", "planner-password-1", [UserRoles.Planner], default);
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(20), "reading");
        var pump = _edge.Line.Line.Machines.Single(m => m.MachineId == "pump-1");
        pump.State.Should().NotBe(OperatingState.Maintenance);
        var page = await portal.SignedInAsync("/planning", "pat", "planner-password-1");
        await page.GetByTestId("no-orders").WaitForAsync();

        // By hand: a machine, its type's task, and why.
        await Choose(page, "hand-machine", $"{EdgeTestPlant.LineId}/pump-1 (centrifugal-pump)");
        await Choose(page, "hand-task", LiveLinePortal.TaskName);
        await page.GetByTestId("hand-create").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "Say why this work order is needed" }).WaitForAsync();
        await page.GetByTestId("hand-reason").FillAsync("vibration alarm twice this shift");
        await page.GetByTestId("hand-create").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = $"({EdgeTestPlant.LineId}/pump-1, {LiveLinePortal.TaskName}) created." }).WaitForAsync();
        var order = (await portal.Cloud.Services.GetRequiredService<MaintenancePlanner>().WorkOrdersAsync(default)).Single();
        order.Evidence.Should().Be("By hand: vibration alarm twice this shift");
        order.CreatedBy.Should().Be("pat");

        // Booked on the crew with the skill (the test line has no shifts: any time is downtime), started, done.
        await page.GetByTestId($"open-book-{order.Id}").ClickAsync();
        await page.GetByTestId("book").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "booked: mech" }).WaitForAsync();
        await page.GetByTestId($"start-{order.Id}").ClickAsync();
        await page.GetByTestId($"state-{order.Id}").Filter(new LocatorFilterOptions { HasText = WorkOrderStates.InProgress }).WaitForAsync();
        await page.GetByTestId($"complete-{order.Id}").ClickAsync();
        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = "done: the maintenance was written to the machine." }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.GetByTestId($"state-{order.Id}").Filter(new LocatorFilterOptions { HasText = WorkOrderStates.Done }).WaitForAsync();

        pump.State.Should().Be(OperatingState.Maintenance, "the cloud's maintain command reached the simulated pump through the edge");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "planning-done.png"), FullPage = true });

        // The machine page lists it in the maintenance history (once the store knows the pump from its edge's summaries).
        var store = portal.Cloud.Services.GetRequiredService<Factory.Cloud.Storage.ITelemetryStore>();
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !(await store.LatestAsync(EdgeTestPlant.LineId, default)).Any(m => m.Machine == "pump-1"); await Task.Delay(200))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the edge's summaries of pump-1 reach the store");
        }

        await page.GotoAsync(new Uri(portal.Address, $"/machines/{EdgeTestPlant.LineId}/pump-1").ToString());
        await page.GetByTestId("maintenance").Filter(new LocatorFilterOptions { HasText = LiveLinePortal.TaskName }).Filter(new LocatorFilterOptions { HasText = WorkOrderStates.Done }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
    }

    /// <summary>Opens a Radzen dropdown and picks the option in its open list (closed lists stay in the page).</summary>
    private static async Task Choose(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.Locator($"li[role=option][aria-label='{option}']:visible").ClickAsync();
    }
}

/// <summary><see cref="PortalBrowser"/> serving the edge tests' line, with a crew and a task for its pumps.</summary>
public sealed class LiveLinePortal : PortalBrowser
{
    public const string TaskName = "Replace the bearings";

    private readonly PlantConfig _plant = WithCrew(EdgeTestPlant.Create("opc.tcp://127.0.0.1:4840"));

    protected override PlantConfig? Plant => _plant;

    private static PlantConfig WithCrew(PlantConfig plant) => plant with
    {
        MachineTypes = [.. plant.MachineTypes.Select(t => t.Id != "centrifugal-pump" ? t : t with { MaintenanceTasks = [new MaintenanceTask("replace-bearing", TaskName, 4, "mechanical", ["bearing set"])] })],
        Crews = [new Crew("mech", "Mechanics", ["mechanical"])],
    };
}
