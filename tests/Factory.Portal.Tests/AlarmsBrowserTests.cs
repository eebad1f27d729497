using Factory.Cloud.Alarms;
using Factory.Cloud.Storage;
using Factory.Edge.Tests.Node.Support;
using Factory.Cloud.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Factory.Portal.Tests;

/// <summary>
/// The alarms page in chromium against real data: a simulated line read by a real edge node,
/// whose alarms reach the cloud node hosting the portal over MQTT, and whose alarm book takes the
/// portal's actions back over MQTT.
/// </summary>
public sealed class AlarmsBrowserTests(PortalBrowser portal, ITestOutputHelper output) : IClassFixture<PortalBrowser>, IAsyncLifetime
{
    private const string Alarm = "line-1/pump-1/vibration-rms/hh";

    private readonly EdgeHarness _edge = new(output);

    private AlarmBoard Board => portal.Cloud.Services.GetRequiredService<AlarmBoard>();

    public Task InitializeAsync() => portal.StartLinkedAsync(_edge);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task A_supervisor_acknowledges_an_alarm_raised_by_an_injected_fault_and_the_line_records_who()
    {
        await portal.Users.AddAsync("sam", "supervisor-password-1", [UserRoles.Supervisor], default);
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(20), "reading");
        var page = await portal.SignedInAsync("/alarms", "sam", "supervisor-password-1");

        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(40));
        var act = page.GetByTestId($"act-{Alarm}");

        // The vibration passes its high-high limit some time before the pump fails (40 s); by then at the latest.
        await act.WaitForAsync(new LocatorWaitForOptions { Timeout = 50_000 });
        // Active or already cleared (the vibration hovers about the limit): either way it waits for an acknowledgement.
        (await act.Locator("xpath=ancestor::tr").InnerTextAsync()).Should().Contain("nacknowledged").And.Contain("pump-1");

        var before = await act.Locator("xpath=ancestor::tr").InnerTextAsync();
        await act.ClickAsync();
        await page.GetByTestId("comment").FillAsync("crew on its way");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "alarms.png"), FullPage = true });
        await page.GetByTestId("acknowledge").ClickAsync();

        await page.GetByTestId("message").Filter(new LocatorFilterOptions { HasText = $"{Alarm}: acknowledged on line line-1." }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var details = await _edge.Panel.GetStringAsync($"/api/alarms/details/{Alarm}");
        details.Should().Contain("\"user\":\"sam\"").And.Contain("crew on its way");

        // The acknowledgement comes back through the ingest, and the list changes: it shows who, or
        // drops the alarm once it is normal, or shows the next activation (the vibration hovers about the limit).
        await Eventually(() => Board.Alarms.FirstOrDefault(a => a.AlarmId == Alarm)?.Acknowledgement?.User == "sam", "the board has the acknowledgement");
        await page.WaitForFunctionAsync(
            "([id, before]) => { const b = document.querySelector(`[data-testid='act-${id}']`); return !b || b.closest('tr').innerText.includes('sam') || b.closest('tr').innerText !== before; }",
            new object[] { Alarm, before },
            new PageWaitForFunctionOptions { Timeout = 10_000 });

        // The health measures count it.
        await page.GetByText("Alarm system health").ClickAsync();
        await page.GetByTestId("most-frequent").Filter(new LocatorFilterOptions { HasText = Alarm }).WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await page.GetByTestId("health-chart").Locator("svg path").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 10_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalBrowser.Screenshots, "alarm-health.png"), FullPage = true });
    }

    [Fact]
    public async Task A_planner_follows_the_alarms_but_is_given_no_action()
    {
        // An alarm of another line, as stored: this test is about the role, not the data flow.
        var store = portal.Cloud.Services.GetRequiredService<ITelemetryStore>();
        await PlantData.WriteHistoryAsync(store);
        Board.Apply(await store.AlarmHistoryAsync(new AlarmHistoryQuery(PlantData.At.AddDays(-1), PlantData.At.AddDays(1), "line-2"), default));
        await portal.Users.AddAsync("pia", "planner-password-1", [UserRoles.Planner], default);
        var page = await portal.SignedInAsync("/alarms", "pia", "planner-password-1");

        var act = page.GetByTestId("act-line-2/pump-07/flow/hi");
        await act.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await act.ClickAsync();
        await page.GetByTestId("no-role").WaitForAsync();
        (await page.GetByTestId("acknowledge").CountAsync()).Should().Be(0);
    }

    private static async Task Eventually(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(because);
            }

            await Task.Delay(100);
        }
    }
}
