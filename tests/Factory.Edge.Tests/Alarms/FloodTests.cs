using Factory.Edge.Alarms;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Alarms.Support;

namespace Factory.Edge.Tests.Alarms;

/// <summary>
/// Alarm floods (ISA-18.2: more than 10 alarms in 10 minutes on a line): start and end events,
/// lower priorities grouped on the panel and still acknowledgeable, and the alarm rate.
/// </summary>
public sealed class FloodTests
{
    private static readonly DateTimeOffset T0 = TestLine.T0;

    private readonly BookDriver _book = new(TestLine.Book());

    [Fact]
    public void Ten_alarms_in_ten_minutes_are_no_flood()
    {
        Zones(1, 10, every: TimeSpan.FromSeconds(50));

        _book.Book.InFlood.Should().BeFalse();
        _book.Book.Panel().FloodGroup.Should().BeNull();
        _book.Book.Panel().Alarms.Should().HaveCount(10);
    }

    [Fact]
    public void The_eleventh_alarm_in_ten_minutes_starts_a_flood_that_groups_the_low_and_medium_alarms()
    {
        Zones(1, 10, every: TimeSpan.FromSeconds(50));
        var eleventh = T0.AddMinutes(9);

        var decision = _book.Accept(new ActivateCondition(TestLine.VibrationHh, eleventh, 5.2), eleventh);

        decision.Events.OfType<FloodStarted>().Should().Equal(new FloodStarted(12, eleventh, 11));
        _book.Book.FloodSince.Should().Be(eleventh);
        var panel = _book.Book.Panel();
        panel.Alarms.Select(a => a.Id).Should().Equal(TestLine.VibrationHh);
        panel.FloodGroup!.Count.Should().Be(10);
        panel.FloodGroup.Unacknowledged.Should().Be(10);
        panel.FloodGroup.Alarms.Should().OnlyContain(a => a.Priority == Plant.Model.AlarmPriority.Low);
        _book.Book.Snapshot(TestLine.ZoneH(1)).Grouped.Should().BeTrue();
        _book.Book.Snapshot(TestLine.VibrationHh).Grouped.Should().BeFalse("high priority alarms stay on their own line");
        _book.Book.ToFloodEvent(decision.Events[1]).Should().BeEquivalentTo(new { EventType = "flood-started", Line = "line-1", Activations = 11, WindowSeconds = 600, Sequence = 12L });
    }

    [Fact]
    public void Grouped_alarms_are_acknowledged_one_by_one_or_all_at_once()
    {
        StartFlood();

        _book.Accept(new Acknowledge(TestLine.ZoneH(3), "anna"), T0.AddMinutes(10));
        var all = _book.Accept(new AcknowledgeGroup("anna", "conveyor cooling failed"), T0.AddMinutes(10));

        all.Events.Should().HaveCount(9, "the nine other zones; the high-priority alarm is not in the group");
        all.Events.Cast<AlarmAcknowledged>().Should().OnlyContain(e => e.User == "anna" && e.Comment == "conveyor cooling failed");
        _book.Book.Panel().FloodGroup!.Unacknowledged.Should().Be(0);
        _book.Book.Panel().FloodGroup!.Count.Should().Be(10, "acknowledged active alarms are still shown, in the group");
        _book[TestLine.VibrationHh].State.Should().Be(AlarmState.Unacknowledged);
        _book.Do(new AcknowledgeGroup("anna"), T0.AddMinutes(10)).Refusal.Should().Be("Every alarm of the flood group is acknowledged already.");
    }

    [Fact]
    public void The_flood_ends_when_fewer_than_five_alarms_remain_in_the_last_ten_minutes()
    {
        var times = StartFlood();

        // t[6] (the 7th activation) leaves the window at t[6] + 10 min: then 4 remain.
        var end = times[6] + TimeSpan.FromMinutes(10);
        _book.Book.NextDue.Should().Be(end);
        _book.Accept(new Tick(), end - TimeSpan.FromSeconds(1)).Events.Should().BeEmpty();
        var decision = _book.Accept(new Tick(), end + TimeSpan.FromMinutes(3));

        decision.Events.Should().Equal(new FloodEnded(13, end, 4));
        _book.Book.InFlood.Should().BeFalse();
        _book.Book.Panel().FloodGroup.Should().BeNull();
        _book.Book.Panel().Alarms.Should().HaveCount(11, "the grouped alarms are shown one by one again");
    }

    [Fact]
    public void Alarms_during_a_flood_keep_it_going()
    {
        var times = StartFlood();
        var later = times[6] + TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1);

        _book.Accept(new ActivateCondition(TestLine.VibrationH, later, 3.3), later);

        // The window ending at the old end still holds t[7..10] and the new one: five.
        _book.Accept(new Tick(), times[6] + TimeSpan.FromMinutes(10)).Events.Should().BeEmpty();
        _book.Book.InFlood.Should().BeTrue();
        _book.Book.NextDue.Should().Be(times[7] + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Suppressed_and_shelved_activations_do_not_count_towards_a_flood()
    {
        var book = new BookDriver(TestLine.Book());
        book.Accept(new ReportMachineState(TestLine.Pump, MachineOperatingState.Stopped, T0), T0);
        for (var i = 1; i <= 8; i++)
        {
            book.Accept(new Shelve(TestLine.ZoneH(i), "anna", T0.AddHours(1)), T0);
        }

        for (var i = 1; i <= 12; i++)
        {
            book.Accept(new ActivateCondition(TestLine.ZoneH(i), T0.AddSeconds(i), 80), T0.AddSeconds(i));
        }

        book.Accept(new ActivateCondition(TestLine.FlowL, T0.AddSeconds(20), 0), T0.AddSeconds(20));
        book.Accept(new ActivateCondition(TestLine.FlowLl, T0.AddSeconds(20), 0), T0.AddSeconds(20));

        book.Book.ActivationsInWindow(T0.AddSeconds(20)).Should().Be(4);
        book.Book.InFlood.Should().BeFalse();
    }

    [Fact]
    public void The_alarm_rate_counts_annunciated_activations_per_ten_minutes()
    {
        var times = StartFlood();
        _book.Accept(new ActivateCondition(TestLine.VibrationH, T0.AddMinutes(25), 3.3), T0.AddMinutes(25));

        var rate = _book.Book.Rate(T0, T0.AddMinutes(29));

        rate.Buckets.Should().Equal(
            new AlarmRateBucket(T0, 11),
            new AlarmRateBucket(T0.AddMinutes(10), 0),
            new AlarmRateBucket(T0.AddMinutes(20), 1));
        rate.Maximum.Should().Be(11);
        rate.Average.Should().Be(4);
        rate.FloodShare.Should().BeApproximately(1 / 3.0, 1e-9);
        times.Should().HaveCount(11);
    }

    /// <summary>Ten zone alarms (Low) 50 s apart from T0, then the vibration HH (High) at 9 min: a flood.</summary>
    private List<DateTimeOffset> StartFlood()
    {
        var times = Zones(1, 10, every: TimeSpan.FromSeconds(50));
        var eleventh = T0.AddMinutes(9);
        _book.Accept(new ActivateCondition(TestLine.VibrationHh, eleventh, 5.2), eleventh);
        _book.Book.InFlood.Should().BeTrue();
        times.Add(eleventh);
        return times;
    }

    private List<DateTimeOffset> Zones(int first, int last, TimeSpan every)
    {
        var times = new List<DateTimeOffset>();
        for (var i = first; i <= last; i++)
        {
            var time = T0 + (every * (i - first));
            _book.Accept(new ActivateCondition(TestLine.ZoneH(i), time, 75), time);
            times.Add(time);
        }

        return times;
    }
}
