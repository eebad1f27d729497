using Factory.Ml.Rul;

namespace Factory.Ml.Tests.Rul;

public sealed class RunToFailureUnitsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromHours(1);

    [Fact]
    public void Units_run_from_a_repair_to_the_next_failure_with_hours_to_the_last_whole_step()
    {
        // Steps 0..19 h; failure at 8.5 h, repaired at 11 h; failure at 17.25 h; a failure of another machine.
        var series = Series("pump-1", 20, missingAt: 3);
        MachineFailure[] failures =
        [
            new("line-1", "pump-1", T0.AddHours(8.5), T0.AddHours(11)),
            new("line-1", "pump-1", T0.AddHours(17.25), T0.AddHours(18)),
            new("line-1", "pump-9", T0.AddHours(5), T0.AddHours(6)),
        ];

        var (data, summary) = RunToFailureUnits.Build([series], failures, Step, minimumSteps: 3);

        data.SensorNames.Should().Equal("flow", "vibration");
        data.Units.Should().HaveCount(2);

        // First unit: steps 0..7 (step 7 ends at 8 h, before 8.5 h), without step 3 (a missing value); times are step ends.
        var first = data.Units[0];
        first.Id.Should().Be("line-1/pump-1@2026-01-05T08:30Z");
        first.Times.Should().Equal(1, 2, 3, 5, 6, 7, 8);
        first.Rows.Select(r => r[0]).Should().Equal(0, 1, 2, 4, 5, 6, 7);
        first.RulAt(0).Should().Be(7);

        // Second unit: from the repair at 11 h: steps 11..16 (16 ends at 17 h, before 17.25 h); hours since the repair.
        var second = data.Units[1];
        second.Rows.Select(r => r[0]).Should().Equal(11, 12, 13, 14, 15, 16);
        second.Times.Should().Equal(1, 2, 3, 4, 5, 6);
        summary.Should().BeEquivalentTo(new RunToFailureSummary(2, 2, []));
    }

    [Fact]
    public void A_failure_with_too_little_history_is_skipped_with_the_reason()
    {
        var series = Series("pump-1", 10, missingAt: null);
        MachineFailure[] failures = [new("line-1", "pump-1", T0.AddHours(2.5), T0.AddHours(3))];

        var (data, summary) = RunToFailureUnits.Build([series], failures, Step, minimumSteps: 3);

        data.Units.Should().BeEmpty();
        summary.Skipped.Should().ContainSingle().Which.Should().Be("line-1/pump-1@2026-01-05T02:30Z: 2 complete steps since 2026-01-05 00:00:00Z, fewer than 3");
    }

    [Fact]
    public void Machines_with_other_sensors_are_refused_by_name()
    {
        var odd = Series("pump-2", 5, null) with { Sensors = ["flow", "pressure"] };

        var act = () => RunToFailureUnits.Build([Series("pump-1", 5, null), odd], [], Step, 3);

        act.Should().Throw<ArgumentException>().WithMessage("Machine line-1/pump-2 has sensors flow, pressure; line-1/pump-1 has flow, vibration.*");
    }

    private static MachineSeries Series(string machine, int steps, int? missingAt) => new(
        "line-1",
        machine,
        ["flow", "vibration"],
        [.. Enumerable.Range(0, steps).Select(i => T0.AddHours(i))],
        [.. Enumerable.Range(0, steps).Select(i => i == missingAt ? new[] { i, double.NaN } : new double[] { i, 10 * i })]);
}
