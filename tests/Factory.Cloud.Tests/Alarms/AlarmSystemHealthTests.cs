using Factory.Cloud.Alarms;
using Factory.Contracts.Alarms;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Alarms;

/// <summary>The ISA-18.2 measures and the alarm board, on events made by hand.</summary>
public sealed class AlarmSystemHealthTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("factory-board-");
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private long _sequence;

    private AlarmEvent Event(string line, string alarm, string type, DateTimeOffset time, string state = AlarmStates.Unacknowledged, bool shelved = false, bool active = true, string? user = null) =>
        new(AlarmEvent.CurrentSchemaVersion, ++_sequence, $"{line}/{alarm}", line, alarm.Split('/')[0], null, AlarmKinds.High, AlarmPriorities.High, type, state, active, shelved, false, false, time, 1, null, null, 1, "mm/s", user, null, null, $"{alarm} message");

    [Fact]
    public void Rates_floods_most_frequent_and_chattering_are_counted_per_line_and_period_and_shelved_activations_are_not()
    {
        var events = new List<AlarmEvent>();

        // line-1: 12 activations of pump-1/a in the second 10-minute period (a flood), 4 of them
        // within 40 s (chattering), then 11 more in the third period (the flood goes on).
        for (var i = 0; i < 12; i++)
        {
            events.Add(Event("line-1", "pump-1/a", AlarmEventTypes.Activated, T0.AddMinutes(10).AddSeconds(i * 10)));
        }

        for (var i = 0; i < 11; i++)
        {
            events.Add(Event("line-1", "pump-2/b", AlarmEventTypes.Activated, T0.AddMinutes(20).AddMinutes(i * 0.5)));
        }

        // line-2: two activations far apart, one shelved activation (not annunciated) and an acknowledgement (not an activation).
        events.Add(Event("line-2", "press-1/c", AlarmEventTypes.Activated, T0.AddMinutes(1)));
        events.Add(Event("line-2", "press-1/c", AlarmEventTypes.Acknowledged, T0.AddMinutes(2), AlarmStates.Acknowledged));
        events.Add(Event("line-2", "press-1/c", AlarmEventTypes.Activated, T0.AddMinutes(55)));
        events.Add(Event("line-2", "press-1/d", AlarmEventTypes.Activated, T0.AddMinutes(56), shelved: true));

        var health = AlarmSystemHealth.Measure(events.AsEnumerable().Reverse(), [], T0, T0.AddHours(1), T0.AddHours(1));

        health.Annunciated.Should().Be(25);
        health.Lines.Select(l => l.Line).Should().Equal("line-1", "line-2");
        var line1 = health.Lines[0];
        line1.Periods.Select(p => p.Count).Should().Equal(0, 12, 11, 0, 0, 0);
        line1.Average.Should().BeApproximately(23 / 6.0, 1e-9);
        line1.Maximum.Should().Be(12);
        line1.FloodPercent.Should().BeApproximately(100 * 2 / 6.0, 1e-9);
        health.Lines[1].Periods.Select(p => p.Count).Should().Equal(1, 0, 0, 0, 0, 1);

        health.Floods.Should().Equal(new AlarmFlood("line-1", T0.AddMinutes(10), T0.AddMinutes(30), 23));

        health.MostFrequent.Select(a => (a.AlarmId, a.Count)).Should().Equal(("line-1/pump-1/a", 12), ("line-1/pump-2/b", 11), ("line-2/press-1/c", 2));
        health.MostFrequent[0].Share.Should().BeApproximately(48, 1e-9);

        // pump-1/a: every 10 s, so 6 within one minute; pump-2/b: every 30 s, so 2 within a minute (not chattering).
        health.Chattering.Should().ContainSingle().Which.Should().Match<ChatteringAlarm>(c => c.AlarmId == "line-1/pump-1/a" && c.MostPerMinute == 6 && c.Activations == 12);
    }

    [Fact]
    public void An_alarm_active_for_more_than_a_day_is_standing_and_the_board_keeps_the_newest_event_whatever_the_order()
    {
        var activated = Event("line-1", "pump-1/a", AlarmEventTypes.Activated, T0);
        var acknowledged = Event("line-1", "pump-1/a", AlarmEventTypes.Acknowledged, T0.AddMinutes(5), AlarmStates.Acknowledged, user: "sam");
        var cleared = Event("line-1", "pump-2/b", AlarmEventTypes.Activated, T0.AddHours(1));
        var clearedAgain = Event("line-1", "pump-2/b", AlarmEventTypes.Cleared, T0.AddHours(2), AlarmStates.ReturnedUnacknowledged, active: false);

        using var store = new Factory.Cloud.Storage.EmbeddedTelemetryStore(_data.FullName, NullLogger<Factory.Cloud.Storage.EmbeddedTelemetryStore>.Instance);
        var board = new AlarmBoard(store, TimeProvider.System, NullLogger<AlarmBoard>.Instance);
        var version = board.Version;
        board.Apply([clearedAgain, acknowledged]);
        board.Apply([cleared, activated, acknowledged]);
        board.Version.Should().BeGreaterThan(version);

        var a = board.Alarms.Single(x => x.AlarmId == "line-1/pump-1/a");
        a.Last.Should().Be(acknowledged);
        a.Activation.Should().Be(activated);
        a.Acknowledgement!.User.Should().Be("sam");
        a.Active.Should().BeTrue();
        var b = board.Alarms.Single(x => x.AlarmId == "line-1/pump-2/b");
        b.Last.Should().Be(clearedAgain, "the cleared event has the higher sequence although it came first");
        b.Active.Should().BeTrue("returned unacknowledged still asks for an acknowledgement");

        // A later activation makes the earlier acknowledgement history.
        var again = Event("line-1", "pump-1/a", AlarmEventTypes.Activated, T0.AddHours(3));
        board.Apply([again]);
        board.Alarms.Single(x => x.AlarmId == "line-1/pump-1/a").Acknowledgement.Should().BeNull();

        var health = AlarmSystemHealth.Measure([], board.Alarms, T0.AddDays(1), T0.AddDays(2), T0.AddHours(3).AddHours(25));
        health.Standing.Should().ContainSingle().Which.Should().Match<StandingAlarm>(s => s.AlarmId == "line-1/pump-1/a" && s.For == TimeSpan.FromHours(25));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
