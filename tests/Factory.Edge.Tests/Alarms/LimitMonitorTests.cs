using Factory.Edge.Alarms;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Alarms.Support;

namespace Factory.Edge.Tests.Alarms;

/// <summary>Limit evaluation per sample: HH/H/L/LL, deadband on return, on- and off-delays, ticks, bad samples, chatter.</summary>
public sealed class LimitMonitorTests
{
    private const string Vibration = "line-1/cnc-01/spindle-vibration-rms";
    private static readonly DateTimeOffset T0 = TestLine.T0;

    private static LimitMonitor Monitor(double deadband = 0.2, int onDelayMs = 0, int offDelayMs = 0) =>
        new(Vibration, TestLine.Vibration with { Deadband = deadband, OnDelayMs = onDelayMs, OffDelayMs = offDelayMs });

    private static DateTimeOffset Ms(int milliseconds) => T0.AddMilliseconds(milliseconds);

    private static List<(AlarmKind Kind, bool Active, DateTimeOffset Time)> Changes(ReadOnlySpan<LimitChange> changes)
    {
        var list = new List<(AlarmKind, bool, DateTimeOffset)>();
        foreach (var change in changes)
        {
            list.Add((change.Kind, change.Active, change.Time));
        }

        return list;
    }

    [Fact]
    public void A_value_above_the_high_limit_activates_H_at_once_without_an_on_delay()
    {
        var monitor = Monitor();

        Changes(monitor.Evaluate(2.5, Ms(0))).Should().BeEmpty();
        var changes = monitor.Evaluate(3.1, Ms(100));

        changes.Length.Should().Be(1);
        changes[0].Should().Be(new LimitChange($"{Vibration}/h", AlarmKind.High, true, Ms(100), 3.1, 2.8));
        monitor.IsActive(AlarmKind.High).Should().BeTrue();
        monitor.IsActive(AlarmKind.HighHigh).Should().BeFalse();
    }

    [Fact]
    public void A_value_exactly_at_the_limit_is_not_beyond_it()
    {
        var monitor = Monitor();

        Changes(monitor.Evaluate(2.8, Ms(0))).Should().BeEmpty();
    }

    [Fact]
    public void A_value_above_HH_activates_HH_and_H_as_two_conditions()
    {
        var monitor = Monitor();

        Changes(monitor.Evaluate(5.2, Ms(0))).Should().Equal((AlarmKind.HighHigh, true, Ms(0)), (AlarmKind.High, true, Ms(0)));
        Changes(monitor.Evaluate(3.5, Ms(100))).Should().Equal((AlarmKind.HighHigh, false, Ms(100)));
        monitor.IsActive(AlarmKind.High).Should().BeTrue("3.5 is still above H");
    }

    [Fact]
    public void A_high_condition_clears_only_below_the_limit_minus_the_deadband()
    {
        var monitor = Monitor(deadband: 0.2);
        monitor.Evaluate(3.0, Ms(0));

        Changes(monitor.Evaluate(2.7, Ms(100))).Should().BeEmpty("2.7 is inside the deadband 2.6 to 2.8");
        Changes(monitor.Evaluate(2.6, Ms(200))).Should().BeEmpty("the limit minus the deadband is not below it");
        Changes(monitor.Evaluate(2.59, Ms(300))).Should().Equal((AlarmKind.High, false, Ms(300)));
    }

    [Fact]
    public void Low_limits_activate_below_the_limit_and_clear_above_the_limit_plus_the_deadband()
    {
        var monitor = new LimitMonitor("line-1/coolant-pump-01/flow", TestLine.Flow with { OnDelayMs = 0, OffDelayMs = 0 });
        monitor.Evaluate(130, Ms(0));

        Changes(monitor.Evaluate(20, Ms(100))).Should().Equal((AlarmKind.Low, true, Ms(100)), (AlarmKind.LowLow, true, Ms(100)));
        Changes(monitor.Evaluate(26, Ms(200))).Should().BeEmpty("26 is above LL 25 but inside its deadband up to 27");
        Changes(monitor.Evaluate(27.5, Ms(300))).Should().Equal((AlarmKind.LowLow, false, Ms(300)));
        Changes(monitor.Evaluate(41, Ms(400))).Should().BeEmpty("41 is inside L's deadband up to 42");
        Changes(monitor.Evaluate(42.5, Ms(500))).Should().Equal((AlarmKind.Low, false, Ms(500)));
    }

    [Fact]
    public void A_condition_activates_only_after_the_value_stayed_beyond_the_limit_for_the_on_delay()
    {
        var monitor = Monitor(onDelayMs: 2000);

        Changes(monitor.Evaluate(3.0, Ms(0))).Should().BeEmpty();
        Changes(monitor.Evaluate(3.1, Ms(1000))).Should().BeEmpty();
        Changes(monitor.Evaluate(3.2, Ms(1999))).Should().BeEmpty();
        var changes = monitor.Evaluate(3.3, Ms(2100));

        Changes(changes).Should().Equal((AlarmKind.High, true, Ms(2000)));
        changes[0].Value.Should().Be(3.2, "the delay fell due at 2 s, when 3.2 was the value");
    }

    [Fact]
    public void A_value_back_inside_the_limit_before_the_on_delay_cancels_the_activation()
    {
        var monitor = Monitor(onDelayMs: 2000);

        monitor.Evaluate(3.0, Ms(0));
        Changes(monitor.Evaluate(2.75, Ms(1500))).Should().BeEmpty("back inside H (within the deadband still counts as inside for an activation)");
        Changes(monitor.Evaluate(3.0, Ms(2500))).Should().BeEmpty("the on-delay starts again");
        monitor.Tick(Ms(4499)).Length.Should().Be(0);
        Changes(monitor.Tick(Ms(4500))).Should().Equal((AlarmKind.High, true, Ms(4500)));
    }

    [Fact]
    public void Tick_fires_an_on_delay_when_no_new_sample_arrives()
    {
        var monitor = Monitor(onDelayMs: 2000);
        monitor.Evaluate(3.0, Ms(0));

        monitor.NextDue.Should().Be(Ms(2000));
        monitor.Tick(Ms(1999)).Length.Should().Be(0);
        var changes = monitor.Tick(Ms(2600));

        Changes(changes).Should().Equal((AlarmKind.High, true, Ms(2000)));
        changes[0].Value.Should().Be(3.0);
        monitor.NextDue.Should().BeNull();
    }

    [Fact]
    public void An_active_condition_clears_only_after_the_value_stayed_clear_for_the_off_delay()
    {
        var monitor = Monitor(offDelayMs: 5000);
        monitor.Evaluate(3.0, Ms(0));

        Changes(monitor.Evaluate(2.5, Ms(1000))).Should().BeEmpty("the off-delay starts");
        Changes(monitor.Evaluate(2.7, Ms(3000))).Should().BeEmpty("back inside the deadband: not clear, the off-delay is cancelled");
        Changes(monitor.Evaluate(2.5, Ms(4000))).Should().BeEmpty("the off-delay starts again");
        monitor.IsActive(AlarmKind.High).Should().BeTrue("an off-delay running still counts as active");
        Changes(monitor.Evaluate(2.4, Ms(8999))).Should().BeEmpty();
        Changes(monitor.Evaluate(2.4, Ms(9000))).Should().Equal((AlarmKind.High, false, Ms(9000)));
    }

    [Fact]
    public void Tick_fires_an_off_delay_when_no_new_sample_arrives()
    {
        var monitor = Monitor(offDelayMs: 5000);
        monitor.Evaluate(3.0, Ms(0));
        monitor.Evaluate(2.0, Ms(1000));

        monitor.NextDue.Should().Be(Ms(6000));
        Changes(monitor.Tick(Ms(7000))).Should().Equal((AlarmKind.High, false, Ms(6000)));
        monitor.IsActive(AlarmKind.High).Should().BeFalse();
    }

    [Fact]
    public void A_delay_that_fell_due_before_a_sample_fires_at_its_due_time_before_the_sample_is_judged()
    {
        var monitor = Monitor(onDelayMs: 2000, offDelayMs: 0);
        monitor.Evaluate(3.0, Ms(0));

        // No tick came: the value 3.0 held from 0 to 5 s, so H was active from 2 s on; 2.0 then clears it.
        Changes(monitor.Evaluate(2.0, Ms(5000))).Should().Equal((AlarmKind.High, true, Ms(2000)), (AlarmKind.High, false, Ms(5000)));
    }

    [Fact]
    public void Bad_samples_change_no_condition_and_restart_pending_delays()
    {
        var monitor = Monitor(onDelayMs: 2000, offDelayMs: 2000);
        monitor.Evaluate(3.0, Ms(0));

        Changes(monitor.Evaluate(double.NaN, Ms(1000))).Should().BeEmpty();
        Changes(monitor.Evaluate(new SensorSample(0, 3.0, Ms(1500), Good: false))).Should().BeEmpty("a value of bad quality is no value");
        Changes(monitor.Evaluate(double.PositiveInfinity, Ms(1800))).Should().BeEmpty();
        monitor.Tick(Ms(5000)).Length.Should().Be(0, "the on-delay was cancelled by the bad samples");
        Changes(monitor.Evaluate(3.0, Ms(5000))).Should().BeEmpty();
        Changes(monitor.Tick(Ms(7000))).Should().Equal((AlarmKind.High, true, Ms(7000)));

        monitor.Evaluate(2.0, Ms(8000));
        Changes(monitor.Evaluate(double.NaN, Ms(9000))).Should().BeEmpty();
        monitor.IsActive(AlarmKind.High).Should().BeTrue("a bad sample does not clear a condition");
        monitor.Tick(Ms(20000)).Length.Should().Be(0, "the off-delay was cancelled too");
    }

    [Fact]
    public void A_value_chattering_around_a_limit_raises_one_alarm_thanks_to_the_deadband()
    {
        var monitor = Monitor(deadband: 0.2);
        var changes = new List<(AlarmKind, bool, DateTimeOffset)>();

        // 2.7 / 2.9 every 100 ms for a minute, around H = 2.8: inside the deadband on the way down.
        for (var i = 0; i < 600; i++)
        {
            changes.AddRange(Changes(monitor.Evaluate(i % 2 == 0 ? 2.9 : 2.7, Ms(i * 100))));
        }

        changes.Should().Equal((AlarmKind.High, true, Ms(0)));
    }

    [Fact]
    public void A_value_chattering_across_the_whole_deadband_is_kept_down_by_the_delays()
    {
        var withoutDelays = Monitor(deadband: 0.2);
        var withDelays = Monitor(deadband: 0.2, onDelayMs: 2000, offDelayMs: 5000);
        var undelayed = 0;
        var delayed = new List<(AlarmKind, bool, DateTimeOffset)>();

        // 2.5 / 3.1 alternating every 500 ms for a minute: each swing crosses limit and deadband.
        for (var i = 0; i < 120; i++)
        {
            var value = i % 2 == 0 ? 3.1 : 2.5;
            undelayed += withoutDelays.Evaluate(value, Ms(i * 500)).Length;
            delayed.AddRange(Changes(withDelays.Evaluate(value, Ms(i * 500))));
        }

        undelayed.Should().Be(120, "without delays every swing is a transition");
        delayed.Should().BeEmpty("no swing lasts the 2 s on-delay");

        // Then the value settles above the limit, later below it: one activation, one clear.
        delayed.AddRange(Changes(withDelays.Evaluate(3.1, Ms(60_000))));
        delayed.AddRange(Changes(withDelays.Tick(Ms(62_000))));
        delayed.AddRange(Changes(withDelays.Evaluate(2.5, Ms(70_000))));
        delayed.AddRange(Changes(withDelays.Tick(Ms(80_000))));
        delayed.Should().Equal((AlarmKind.High, true, Ms(62_000)), (AlarmKind.High, false, Ms(75_000)));
    }

    [Fact]
    public void Restoring_an_active_condition_after_a_restart_lets_a_value_back_in_range_clear_it()
    {
        var monitor = Monitor();

        monitor.RestoreActive(AlarmKind.HighHigh).Should().BeTrue();
        monitor.RestoreActive(AlarmKind.LowLow).Should().BeFalse("the sensor has no LL limit");
        Changes(monitor.Evaluate(2.0, Ms(0))).Should().Equal((AlarmKind.HighHigh, false, Ms(0)));
    }

    [Fact]
    public void A_monitor_names_the_alarm_of_each_configured_limit()
    {
        var sensor = TestLine.Create().Machines[0].Sensors[0];
        var monitor = LimitMonitor.For(TestLine.Line, TestLine.Cnc, sensor)!;

        monitor.Kinds.Should().Equal(AlarmKind.HighHigh, AlarmKind.High);
        monitor.AlarmId(AlarmKind.HighHigh).Should().Be(TestLine.VibrationHh);
        monitor.AlarmId(AlarmKind.Low).Should().BeNull();
        LimitMonitor.For(TestLine.Line, TestLine.Cnc, sensor with { Limits = null }).Should().BeNull();
        monitor.Evaluate(5, Ms(0)).Length.Should().Be(0, "the on-delay is 2 s");
        monitor.Tick(Ms(2000)).ToArray().Select(c => c.ToCommand()).Should().Equal(
            new ActivateCondition(TestLine.VibrationHh, Ms(2000), 5.0),
            new ActivateCondition(TestLine.VibrationH, Ms(2000), 5.0));
    }

    [Fact]
    public void A_negative_deadband_is_refused_with_the_sensor_named()
    {
        var act = () => new LimitMonitor(Vibration, TestLine.Vibration with { Deadband = -1 });

        act.Should().Throw<ArgumentException>().WithMessage("*deadband of line-1/cnc-01/spindle-vibration-rms*");
    }

    [Fact]
    public void Evaluating_samples_allocates_nothing_also_when_conditions_change()
    {
        var monitor = new LimitMonitor(Vibration, TestLine.Vibration);
        var values = new[] { 2.0, 3.0, 5.0, 5.1, 3.0, 2.0, 1.0, 2.9 };
        var changes = 0;
        for (var i = 0; i < 1000; i++)
        {
            changes += monitor.Evaluate(values[i % values.Length], Ms(i * 1000)).Length;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < 101_000; i++)
        {
            changes += monitor.Evaluate(values[i % values.Length], Ms(i * 1000)).Length;
            changes += monitor.Tick(Ms(i * 1000 + 500)).Length;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        changes.Should().BeGreaterThan(10_000, "the values cross the limits over and over");
        allocated.Should().Be(0);
    }
}
