using Factory.Cloud.Storage;
using Factory.Cloud.Training;
using Factory.Ml.Rul;

namespace Factory.Cloud.Tests.Training;

/// <summary>Where the cloud's training cuts a machine's history into runs, from its reported states, by hand.</summary>
public sealed class RunEndsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_failure_ends_a_run_at_the_failure_and_the_repair_starts_the_next_and_a_maintenance_alone_is_preventive()
    {
        // 5-minute states: running, failed twice, maintenance, running ... maintenance (no failure), running ... failed to the end.
        string[] states = ["running", "running", "failed", "failed", "maintenance", "running", "running", "maintenance", "maintenance", "running", "stopped", "failed"];
        var buckets = states.Select((s, i) => new HealthBucket(T0.AddMinutes(5 * i), null, null, null, s, 1)).ToList();

        var ends = RulTrainingJobs.RunEnds("line-1", "pump-1", buckets);

        ends.Should().Equal(
            (new MachineFailure("line-1", "pump-1", T0.AddMinutes(10), T0.AddMinutes(25)), false),
            (new MachineFailure("line-1", "pump-1", T0.AddMinutes(35), T0.AddMinutes(45)), true),
            (new MachineFailure("line-1", "pump-1", T0.AddMinutes(55), null), false));
        RunToFailureUnits.UnitId(ends[0].End).Should().Be("line-1/pump-1@2026-11-01T00:10Z");
    }
}
