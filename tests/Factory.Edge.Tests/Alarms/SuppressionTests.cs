using Factory.Edge.Alarms;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Alarms.Support;

namespace Factory.Edge.Tests.Alarms;

/// <summary>
/// Suppression by design: a stopped pump has no flow, so its low-flow alarms are suppressed while
/// it is stopped, their conditions still tracked underneath, and annunciated when it runs again
/// and the flow is still low. Samples go through the flow sensor's <see cref="LimitMonitor"/> as
/// the machine actor sends them.
/// </summary>
public sealed class SuppressionTests
{
    private static readonly DateTimeOffset T0 = TestLine.T0;

    private readonly BookDriver _book = new(TestLine.Book());
    private readonly LimitMonitor _flow = new("line-1/coolant-pump-01/flow", TestLine.Flow);

    [Fact]
    public void Low_flow_of_a_stopped_pump_is_hidden_and_annunciated_when_the_pump_runs_and_the_flow_is_still_low()
    {
        Machine(MachineOperatingState.Running, T0);
        Flow(130, T0, seconds: 60);

        Machine(MachineOperatingState.Stopped, T0.AddSeconds(60));
        Flow(0, T0.AddSeconds(61), seconds: 600);

        _book[TestLine.FlowL].ConditionActive.Should().BeTrue("the condition is tracked while suppressed");
        _book[TestLine.FlowLl].ConditionActive.Should().BeTrue();
        _book.Book.Annunciated.Should().BeEmpty("a stopped pump's low flow is no alarm");
        _book.Book.Suppressed.Select(a => a.Id).Should().BeEquivalentTo(TestLine.FlowL, TestLine.FlowLl, "line-1/coolant-pump-01/anomaly");
        _book.Book.Snapshot(TestLine.FlowL).SuppressionReason.Should().Be("Coolant supply pump 1 stopped");
        _book.Journal.OfType<AlarmActivated>().Select(e => (e.AlarmId, e.State, e.Time)).Should().BeEquivalentTo(new[]
        {
            (TestLine.FlowL, AlarmState.Normal, T0.AddSeconds(66)),
            (TestLine.FlowLl, AlarmState.Normal, T0.AddSeconds(66)),
        });

        // The pump runs again, but its valve is closed: the flow stays low.
        var start = T0.AddMinutes(12);
        Machine(MachineOperatingState.Running, start);
        Flow(10, start, seconds: 29);
        _book.Book.Annunciated.Should().BeEmpty("flow needs time to build up after a start");
        _book.Book.NextDue.Should().Be(start.AddSeconds(30));

        var released = _book.Accept(new Tick(), start.AddSeconds(31));

        released.Events.OfType<AlarmUnsuppressed>().Select(e => (e.AlarmId, e.State, e.Time)).Should().BeEquivalentTo(new[]
        {
            (TestLine.FlowL, AlarmState.Unacknowledged, start.AddSeconds(30)),
            (TestLine.FlowLl, AlarmState.Unacknowledged, start.AddSeconds(30)),
            ("line-1/coolant-pump-01/anomaly", AlarmState.Normal, start.AddSeconds(30)),
        });
        _book.Book.Annunciated.Select(a => a.Id).Should().BeEquivalentTo(TestLine.FlowL, TestLine.FlowLl);
        _book.Book.Suppressed.Should().BeEmpty();
        _book.Book.ToAlarmEvent(released.Events.First(e => e is AlarmUnsuppressed { AlarmId: TestLine.FlowL }))!.Comment.Should().Be("Coolant supply pump 1 running");
    }

    [Fact]
    public void A_pump_that_starts_normally_annunciates_no_low_flow_alarm()
    {
        Machine(MachineOperatingState.Running, T0);
        Flow(130, T0, seconds: 10);
        Machine(MachineOperatingState.Stopped, T0.AddSeconds(10));
        Flow(0, T0.AddSeconds(10), seconds: 300);
        _book[TestLine.FlowL].ConditionActive.Should().BeTrue();

        var start = T0.AddSeconds(400);
        Machine(MachineOperatingState.Running, start);
        Flow(60, start.AddSeconds(1), seconds: 4);
        Flow(130, start.AddSeconds(5), seconds: 60);

        _book[TestLine.FlowL].ConditionActive.Should().BeFalse("the flow was back above 42 m³/h for the 5 s off-delay");
        _book.Book.Annunciated.Should().BeEmpty();
        _book.Journal.OfType<AlarmUnsuppressed>().Should().OnlyContain(e => e.State == AlarmState.Normal);
        _book.Journal.OfType<AlarmChanged>().Should().NotContain(e => e.State != AlarmState.Normal);
    }

    [Fact]
    public void A_pump_that_stops_again_before_the_release_keeps_its_alarms_suppressed()
    {
        Machine(MachineOperatingState.Stopped, T0);
        Flow(0, T0, seconds: 20);
        Machine(MachineOperatingState.Running, T0.AddSeconds(100));
        Machine(MachineOperatingState.Idle, T0.AddSeconds(110));

        _book.Accept(new Tick(), T0.AddMinutes(10)).Events.Should().BeEmpty();
        _book.Book.Suppressed.Should().HaveCount(3);
        _book.Book.NextDue.Should().BeNull();
    }

    [Fact]
    public void High_limits_stay_live_while_the_machine_is_stopped()
    {
        Machine(MachineOperatingState.Stopped, T0);
        Flow(175, T0, seconds: 10);

        _book.Book.Annunciated.Select(a => a.Id).Should().Equal(TestLine.FlowH);
    }

    [Fact]
    public void Alarms_are_released_at_once_when_the_release_delay_is_zero()
    {
        var book = new BookDriver(TestLine.Book(new AlarmBookOptions { SuppressionReleaseDelay = TimeSpan.Zero }));
        book.Accept(new ReportMachineState(TestLine.Pump, MachineOperatingState.Stopped, T0), T0);
        book.Accept(new ActivateCondition(TestLine.FlowL, T0.AddSeconds(5), 0), T0.AddSeconds(5));

        var running = book.Accept(new ReportMachineState(TestLine.Pump, MachineOperatingState.Running, T0.AddMinutes(1)), T0.AddMinutes(1));

        running.Events.Should().ContainSingle(e => e is AlarmUnsuppressed && ((AlarmUnsuppressed)e).State == AlarmState.Unacknowledged);
        book.Book.Annunciated.Select(a => a.Id).Should().Equal(TestLine.FlowL);
    }

    private void Machine(MachineOperatingState state, DateTimeOffset time) =>
        _book.Accept(new ReportMachineState(TestLine.Pump, state, time), time);

    /// <summary>One sample a second for <paramref name="seconds"/> seconds, each handled when it arrives.</summary>
    private void Flow(double value, DateTimeOffset from, int seconds)
    {
        for (var s = 0; s < seconds; s++)
        {
            var time = from.AddSeconds(s);
            foreach (var change in _flow.Evaluate(value, time).ToArray())
            {
                _book.Accept(change.ToCommand(), time);
            }

            _book.Accept(new Tick(), time);
        }
    }
}
