using Factory.Contracts.Telemetry;
using Factory.Edge.Telemetry;

namespace Factory.Edge.Tests.EdgeTelemetry;

/// <summary>A machine's health per interval: its scores, model, state and staleness, also with no score at all.</summary>
public sealed class HealthSummarizerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly HealthSummarizer _health = new("line-1", "pump-1", TimeSpan.FromSeconds(10));

    [Fact]
    public void An_interval_gives_the_number_of_scores_the_newest_mean_and_largest_and_the_state_at_its_end()
    {
        _health.Evaluated(At(1), 0.2, 1.5, "pump-anomaly v3", "running", stale: false).Should().BeNull();
        _health.Evaluated(At(2), 0.8, 1.5, "pump-anomaly v3", "running", stale: false).Should().BeNull();
        _health.Evaluated(At(3), null, 1.5, "pump-anomaly v3", "running", stale: false).Should().BeNull("windows not full: evaluated, not scored");
        _health.Evaluated(At(9.5), 0.5, 1.5, "pump-anomaly v4", "idle", stale: false).Should().BeNull();

        var health = _health.Evaluated(At(10.2), 3, 1.5, "pump-anomaly v4", "idle", stale: false);

        health.Should().BeEquivalentTo(new MachineHealth("line-1", "pump-1", T0, 10, 3, 0.5, 0.5, 0.8, 1.5, "pump-anomaly v4", "idle", false));
    }

    [Fact]
    public void An_interval_without_a_score_is_sent_too_without_a_model_or_with_stale_data()
    {
        _health.Evaluated(At(1), null, null, null, "running", stale: false);
        _health.Evaluated(At(8), null, null, null, "unknown", stale: true);

        var health = _health.Evaluated(At(11), null, null, null, "unknown", stale: true);

        health.Should().BeEquivalentTo(new MachineHealth("line-1", "pump-1", T0, 10, 0, null, null, null, null, null, "unknown", true));
    }

    [Fact]
    public void One_record_per_interval_with_an_evaluation_and_a_clock_stepping_back_counts_in_the_open_interval()
    {
        var completed = new List<MachineHealth>();
        foreach (var (t, score) in new[] { (1.0, 1.0), (9.8, 2.0), (10.4, 3.0), (9.9, 4.0), (15.0, 5.0), (45.0, 6.0), (51.0, 7.0) })
        {
            if (_health.Evaluated(At(t), score, 10, "m v1", "running", stale: false) is { } h)
            {
                completed.Add(h);
            }
        }

        completed.Select(h => (h.Start, h.Evaluations, h.MaxScore)).Should().Equal(
            (T0, 2, (double?)2.0),
            (At(10), 3, 5.0),
            (At(40), 1, 6.0));
    }

    [Fact]
    public void A_score_that_is_not_a_number_is_not_counted()
    {
        _health.Evaluated(At(1), double.NaN, 1, "m v1", "running", stale: false);
        _health.Evaluated(At(2), 0.25, 1, "m v1", "running", stale: false);

        _health.Evaluated(At(10), null, 1, "m v1", "running", stale: false)!.Evaluations.Should().Be(1);
    }

    /// <summary>T0 plus whole ticks: 0.2 s steps added as doubles would land a tick short.</summary>
    private static DateTimeOffset At(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
