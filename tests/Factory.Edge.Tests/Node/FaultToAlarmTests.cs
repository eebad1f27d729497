using Factory.Contracts.Alarms;
using Factory.Edge.Alarms;
using Factory.Edge.Panel;
using Factory.Edge.Tests.Node.Support;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Node;

/// <summary>
/// A fault injected in the simulated plant, read over OPC UA by the edge node, becomes an alarm
/// on the line-side panel: fast, with the value that raised it, and with no model package at
/// all (the limits work on their own).
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class FaultToAlarmTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly EdgeHarness _edge = new(output);

    public Task InitializeAsync() => _edge.StartAsync();

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task A_bearing_fault_raises_the_vibration_alarm_within_the_publishing_interval_plus_250_ms()
    {
        await _edge.WaitForLineAsync(l => l.Endpoints.All(e => e.Connected) && l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "connected and reading");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var changes = _edge.Feed.Subscribe(stop.Token);
        var alarmId = $"{EdgeTestPlant.LineId}/pump-1/vibration-rms/hh";

        // The bearing fails in 20 s; its vibration passes 6 mm/s on the way.
        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(20));

        AlarmChangedMessage? raised = null;
        DateTimeOffset annunciated = default;
        await foreach (var change in changes.ReadAllAsync(stop.Token))
        {
            if (change is AlarmChangedMessage { Event: { EventType: AlarmEventTypes.Activated } activated } alarm && activated.AlarmId == alarmId)
            {
                annunciated = DateTimeOffset.UtcNow;
                raised = alarm;
                break;
            }
        }

        raised.Should().NotBeNull();
        var e = raised!.Event;
        var latency = annunciated - e.Time;
        output.WriteLine($"measured {e.Time:HH:mm:ss.fff}, annunciated {annunciated:HH:mm:ss.fff}: {latency.TotalMilliseconds:0} ms (publishing interval {_edge.Tuning.PublishingInterval.TotalMilliseconds} ms)");
        latency.Should().BeLessThan(_edge.Tuning.PublishingInterval + TimeSpan.FromMilliseconds(250));
        latency.Should().BeGreaterThan(TimeSpan.Zero, "the simulator's clock is real time at acceleration 1, so the sample was measured before the alarm");
        e.Value.Should().BeGreaterThan(EdgeTestPlant.VibrationHighHigh, "the alarm carries the value that raised it");
        e.Limit.Should().Be(EdgeTestPlant.VibrationHighHigh);
        e.Unit.Should().Be("mm/s");
        e.State.Should().Be(AlarmStates.Unacknowledged);
        e.Priority.Should().Be(AlarmNames.Of(AlarmPriorityPolicy.For(AlarmKind.HighHigh, Plant.Model.Criticality.High)), "the priority comes from the severity and the machine's criticality");
        raised.Alarm.Machine.Should().Be("pump-1");
        raised.Alarm.Message.Should().Contain("HH limit 6 mm/s", "the message says which limit was passed");

        var active = await _edge.AlarmsAsync();
        active.Select(a => a.AlarmId).Should().Contain([alarmId, $"{EdgeTestPlant.LineId}/pump-1/vibration-rms/h"]);
        active.Should().NotContain(a => a.Machine != "pump-1", "only the faulty machine alarms");
        (await _edge.ModelsAsync()).Machines.Should().OnlyContain(m => m.Package == null && m.Reason!.Contains("limit alarms only"), "there is no model package: limits work on their own");
    }

    [Fact]
    public async Task The_panel_page_and_the_live_stream_are_served_by_the_edge_node()
    {
        var page = await _edge.Panel.GetStringAsync("/");
        page.Should().Contain("<html").And.Contain("api/alarms/stream");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stream = await _edge.Panel.GetStreamAsync("/api/alarms/stream", stop.Token);
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync(stop.Token);
        var data = await reader.ReadLineAsync(stop.Token);
        first.Should().Be("event: snapshot");
        data.Should().StartWith("data: {").And.Contain("\"alarms\"");

        _edge.Line.InjectFault("pump-2", "bearing-wear", TimeSpan.FromSeconds(15));
        string? line;
        var sawAlarm = false;
        while ((line = await reader.ReadLineAsync(stop.Token)) is not null)
        {
            if (line == "event: alarm")
            {
                var json = await reader.ReadLineAsync(stop.Token);
                if (json!.Contains("pump-2/vibration-rms", StringComparison.Ordinal))
                {
                    sawAlarm = true;
                    break;
                }
            }
        }

        sawAlarm.Should().BeTrue("the stream carries the alarm as it is raised");
    }
}
