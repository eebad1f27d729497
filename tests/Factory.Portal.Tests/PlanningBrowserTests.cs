using Factory.Cloud.Models;
using Factory.Cloud.Planning;
using Factory.Cloud.Storage;
using Factory.Cloud.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>
/// The planning page in chromium: the sample plant's pumps with ten days of simulated history in
/// the store, the shipped pump RUL package in service; a planner turns a recommendation into a
/// work order, books it, drags it to another slot, and a conflicting drop is refused with the reason.
/// </summary>
public sealed class PlanningBrowserTests(SamplePlantPortal portal) : IClassFixture<SamplePlantPortal>
{
    // The history ends on Monday 30 November 2026, 00:00 UTC; line-3 produces 05:00-21:00 UTC on weekdays.
    private static readonly DateTimeOffset End = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_planner_turns_a_recommendation_into_a_work_order_books_it_moves_it_and_a_conflicting_drop_is_refused()
    {
        var registry = portal.Cloud.Services.GetRequiredService<ModelRegistry>();
        var package = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(PortalBrowser.SamplePlant))!, "models", "centrifugal-pump-rul-1.fmpkg");
        await using (var file = File.OpenRead(package))
        {
            await registry.RegisterAsync(file, Path.GetFileName(package), "test", default);
        }

        await registry.PromoteToFleetAsync("centrifugal-pump-rul", 1, "test", force: false, default);
        var plant = Factory.Plant.Config.PlantConfigLoader.Load(PortalBrowser.SamplePlant);
        await SimulatedPlantHistory.WriteAsync(portal.Cloud.Services.GetRequiredService<ITelemetryStore>(), plant, "centrifugal-pump", End.AddDays(-10), TimeSpan.FromDays(10));
        await portal.Users.AddAsync("pia", "planner-password-1", [UserRoles.Planner], default);

        // The pump with the most time before its earliest failure: its work order fits the next night.
        var planner = portal.Cloud.Services.GetRequiredService<MaintenancePlanner>();
        var recommendation = (await planner.RecommendationsAsync(TimeSpan.FromDays(7), default)).Where(r => r.Line == "line-3").MaxBy(r => r.Forecast.EarliestFailure)
            ?? throw new InvalidOperationException("no recommendation on line-3 within 7 days");
        var machine = $"{recommendation.Line}/{recommendation.Machine}";

        var page = await portal.SignedInAsync("/planning", "pia", "planner-password-1");
        await page.GetByTestId("horizon").GetByText("7 days").ClickAsync();
        await page.GetByTestId($"create-{machine}").ClickAsync();
        await Message(page, $"Work order #1 ({machine}, Replace the pump bearings) created.");
        (await page.GetByTestId("state-1").InnerTextAsync()).Should().Be("planned");

        await page.GetByTestId("open-book-1").ClickAsync();
        await page.GetByTestId("start").Locator("input[id$='-input']").FillAsync("2026-11-30 22:00");
        await page.GetByTestId("start").Locator("input[id$='-input']").PressAsync("Tab");
        await page.GetByTestId("book").ClickAsync();
        await Message(page, "Work order #1 (" + machine + ", Replace the pump bearings) booked: mech-a 2026-11-30 22:00 UTC.");

        // The calendar: a group per crew (mech-a, mech-b, elec), a column per day from Sunday 29 November, a slot per hour.
        var booked = page.GetByTestId("scheduler").Locator(".rz-event").Filter(new LocatorFilterOptions { HasText = "#1 " }).First;
        await booked.WaitForAsync();

        // Dropped on the next night of the same crew: moved.
        await DragAsync(booked, Slot(page, crew: 0, day: 2, hour: 21));
        await Message(page, "Work order #1 (" + machine + ", Replace the pump bearings) booked: mech-a 2026-12-01 21:00 UTC.");
        (await page.GetByTestId("slot-1").InnerTextAsync()).Should().Be("mech-a 12-01 21:00–01:00");

        // Dropped on Wednesday morning, when line-3 produces: refused, with the shift.
        await DragAsync(booked, Slot(page, crew: 0, day: 3, hour: 10));
        await Message(page, "Refused: 2026-12-02 10:00–14:00 UTC is not planned downtime: line line-3 produces in shift 'early' 2026-12-02 05:00–13:00 UTC");
        (await page.GetByTestId("slot-1").InnerTextAsync()).Should().Be("mech-a 12-01 21:00–01:00");

        // Booked on the electrical crew: refused, with the reason; the booking stays.
        await page.GetByTestId("open-book-1").ClickAsync();
        await page.GetByTestId("crew").ClickAsync();
        await page.Locator("li[role=option][aria-label='Electrical crew']:visible").ClickAsync();
        await page.GetByTestId("book").ClickAsync();
        await Message(page, "Refused: Electrical crew has no mechanical skill (its skills: electrical), which Replace the pump bearings needs.");
        (await page.GetByTestId("slot-1").InnerTextAsync()).Should().Be("mech-a 12-01 21:00–01:00");

        var audit = await planner.AuditAsync(10, default);
        audit.Select(a => (a.Actor, a.Action)).Should().Equal(("pia", "schedule"), ("pia", "schedule"), ("pia", "create"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "planning.png"), FullPage = true });
        await page.GetByTestId("scheduler").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "planning-calendar.png") });
    }

    /// <summary>HTML5 drag and drop as the browser does it: dragstart on the booking, dragover and drop on the slot, dragend.</summary>
    private static async Task DragAsync(ILocator from, ILocator to)
    {
        var transfer = await from.Page.EvaluateHandleAsync("() => new DataTransfer()");
        await from.DispatchEventAsync("dragstart", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await to.DispatchEventAsync("dragenter", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await to.DispatchEventAsync("dragover", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await to.DispatchEventAsync("drop", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await from.DispatchEventAsync("dragend", new Dictionary<string, object> { ["dataTransfer"] = transfer });
    }

    /// <summary>The hour slot of a crew's group (in the plant's order) on a day of the shown week (0 is Sunday).</summary>
    private static ILocator Slot(IPage page, int crew, int day, int hour) =>
        page.GetByTestId("scheduler").Locator(".rz-resource-group").Nth(crew).Locator(".rz-week-view-content .rz-slots").Nth(day).Locator(".rz-slot").Nth(hour);

    private static async Task Message(IPage page, string text)
    {
        try
        {
            await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = text }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var shown = await page.GetByTestId("message").CountAsync() > 0 ? await page.GetByTestId("message").InnerTextAsync() : "no message";
            throw new TimeoutException($"Expected the message '{text}'; the page shows: {shown}");
        }
    }
}
