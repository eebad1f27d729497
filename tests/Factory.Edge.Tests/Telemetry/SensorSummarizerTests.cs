using Factory.Contracts.Telemetry;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Node.Support;

namespace Factory.Edge.Tests.EdgeTelemetry;

/// <summary>
/// Sensor summaries against hand computations: 10-second intervals of the machine's clock,
/// aligned to the Unix epoch, closed 1 s after their end; late, bad and missing samples.
/// </summary>
public sealed class SensorSummarizerTests
{
    /// <summary>A whole multiple of 10 s since the Unix epoch.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private const int Vibration = 0;
    private const int Temperature = 1;

    private readonly SensorSummarizer _summarizer = new("line-1", EdgeTestPlant.Pump("pump-1"), TimeSpan.FromSeconds(10));
    private readonly List<SensorSummary> _completed = [];

    [Fact]
    public void An_interval_gives_count_min_max_mean_population_stddev_and_the_newest_value()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4. The newest by source time (9.5 s) is 5, though it arrives third.
        Add(Vibration, 0.5, 2);
        Add(Vibration, 1.5, 4);
        Add(Vibration, 9.5, 5);
        Add(Vibration, 2.5, 4);
        Add(Vibration, 3.5, 4);
        Add(Vibration, 4.5, 9);
        Add(Vibration, 5.5, 7);
        Add(Vibration, 6.5, 5);

        _completed.Should().BeEmpty("the interval is open until the machine's clock passes 11 s");
        Add(Vibration, 11, 100);

        var summary = _completed.Should().ContainSingle().Subject;
        summary.Should().BeEquivalentTo(
            new SensorSummary("line-1", "pump-1", "vibration-rms", T0, 10, 8, 2, 9, 5, 2, 5, "mm/s"),
            o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void Intervals_are_aligned_to_the_epoch_and_a_sample_on_the_boundary_opens_the_next()
    {
        Add(Vibration, 9.999, 1);
        Add(Vibration, 10, 2);
        Add(Vibration, 19.9, 3);
        Add(Vibration, 31, 4);

        _completed.Select(s => (s.Start, s.Count, s.Mean)).Should().Equal((T0, 1, 1.0), (At(10), 2, 2.5));
        (At(10).ToUnixTimeMilliseconds() % 10_000).Should().Be(0);
    }

    [Fact]
    public void A_sample_up_to_a_second_late_still_counts_and_one_later_is_counted_as_late_and_dropped()
    {
        Add(Vibration, 9, 1);
        Add(Vibration, 10.5, 2);
        Add(Vibration, 9.8, 3);

        _completed.Should().BeEmpty("10.5 s is within the second of lateness after 10 s");
        Add(Vibration, 11, 4);
        _completed.Should().ContainSingle().Which.Should().Match<SensorSummary>(s => s.Start == T0 && s.Count == 2 && s.Max == 3 && s.Last == 3);

        Add(Vibration, 9.9, 50);
        _summarizer.LateSamples.Should().Be(1);
        _completed.Should().ContainSingle("the late sample makes no second summary of the interval");

        Tick(21);
        _completed[1].Should().Match<SensorSummary>(s => s.Start == At(10) && s.Count == 2 && s.Max == 4);
    }

    [Fact]
    public void Bad_quality_samples_and_values_that_are_not_numbers_are_not_counted()
    {
        Add(Vibration, 1, 3);
        _summarizer.Add(new SensorSample(Vibration, 1000, At(2), Good: false), _completed);
        _summarizer.Add(new SensorSample(Vibration, double.NaN, At(3), Good: true), _completed);
        _summarizer.Add(new SensorSample(Vibration, double.PositiveInfinity, At(4), Good: true), _completed);
        Add(Vibration, 5, 5);

        Tick(11);

        _completed.Should().ContainSingle().Which.Should().Match<SensorSummary>(s => s.Count == 2 && s.Max == 5 && s.Mean == 4);
    }

    [Fact]
    public void Intervals_without_samples_produce_nothing()
    {
        Add(Vibration, 1, 1);
        Add(Vibration, 35, 2);
        Tick(100);

        _completed.Select(s => s.Start).Should().Equal(T0, At(30));
    }

    [Fact]
    public void A_sensor_that_goes_quiet_has_its_interval_closed_by_the_machines_clock_a_second_after_its_end()
    {
        Add(Vibration, 3, 1);
        Add(Temperature, 4, 60);

        Tick(10.9);
        _completed.Should().BeEmpty();

        Tick(11);
        _completed.Select(s => s.Sensor).Should().BeEquivalentTo(["vibration-rms", "bearing-temperature"]);
        Tick(30);
        _completed.Should().HaveCount(2);
    }

    [Fact]
    public void Sensors_are_summarized_apart()
    {
        Add(Vibration, 1, 1);
        Add(Temperature, 2, 60);
        Add(Temperature, 3, 62);
        Tick(11);

        _completed.Single(s => s.Sensor == "vibration-rms").Count.Should().Be(1);
        _completed.Single(s => s.Sensor == "bearing-temperature").Should().Match<SensorSummary>(s => s.Count == 2 && s.Mean == 61 && s.StdDev == 1 && s.Unit == "°C");
    }

    [Fact]
    public void The_standard_deviation_stays_exact_for_large_nearly_equal_values()
    {
        // Sums of squares would lose every digit here: 1e9² is 1e18.
        Add(Vibration, 1, 1e9);
        Add(Vibration, 2, 1e9 + 1);
        Add(Vibration, 3, 1e9 + 2);
        Tick(11);

        var summary = _completed.Single();
        summary.Mean.Should().Be(1e9 + 1);
        summary.StdDev.Should().BeApproximately(Math.Sqrt(2.0 / 3), 1e-9);
    }

    [Fact]
    public void Samples_of_consecutive_intervals_arriving_together_are_summarized_in_order()
    {
        for (var t = 0.0; t < 40; t += 0.2)
        {
            Add(Vibration, t, t);
        }

        Tick(41);

        _completed.Select(s => (s.Start, s.Count)).Should().Equal(
            (T0, 50), (At(10), 50), (At(20), 50), (At(30), 50));
        _completed[1].Min.Should().BeApproximately(10, 1e-9);
        _completed[1].Last.Should().BeApproximately(19.8, 1e-9);
    }

    private void Add(int sensor, double seconds, double value) =>
        _summarizer.Add(new SensorSample(sensor, value, At(seconds), Good: true), _completed);

    private void Tick(double seconds) => _summarizer.Tick(At(seconds), _completed);

    /// <summary>T0 plus whole ticks: 0.2 s steps added as doubles would land a tick short.</summary>
    private static DateTimeOffset At(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
