using Factory.Ml.Features;
using Factory.Plant.Model;
using static Factory.Ml.Tests.TestMachines;

namespace Factory.Ml.Tests.Features;

public sealed class WindowStatisticsTests
{
    private static readonly FeatureStatistic[] AllStatistics = Enum.GetValues<FeatureStatistic>();

    [Fact]
    public void Four_samples_give_the_textbook_statistics()
    {
        var schema = FeatureSchema.For(Machine("m", "t", Sensor("x", SignalKind.Flow, 1000, Window(4, AllStatistics))));
        var features = new MachineFeatures(schema);
        var t0 = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 4; i++)
        {
            features.Add(0, i + 1, t0.AddSeconds(i));
        }

        var values = new float[schema.Count];
        features.TryCompute(t0.AddSeconds(4), values).Should().BeTrue();

        // Schema order: mean, rms, standard-deviation, min, max, slope, kurtosis, crest-factor.
        values.Should().Equal(
            [2.5f, (float)Math.Sqrt(7.5), (float)Math.Sqrt(1.25), 1f, 4f, 1f, 1.64f, (float)(4 / Math.Sqrt(7.5))],
            (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Window_statistics_equal_a_two_pass_computation_over_the_same_samples_for_random_streams()
    {
        var random = new Random(20261128);
        var windows = new[] { 1, 3, 10, 45, 60, 600 };
        var checkedWindows = 0;
        for (var run = 0; run < 150; run++)
        {
            var windowSeconds = windows[random.Next(windows.Length)];
            var level = new[] { 0.0, 20.0, 1000.0, -50.0, 1e5 }[random.Next(5)];
            var noise = new[] { 0.01, 1.0, 10.0 }[random.Next(3)];
            var trendPerSecond = (random.NextDouble() - 0.5) * noise;
            var intervalMs = Math.Max(random.Next(10, 2000), windowSeconds * 1000 / 4000);
            intervalMs = Math.Min(intervalMs, windowSeconds * 1000 / 3);
            var schema = FeatureSchema.For(Machine("m", "t", Sensor("x", SignalKind.VibrationRms, intervalMs, Window(windowSeconds, AllStatistics))));
            var sensor = schema.Sensors[0];
            var features = new MachineFeatures(schema);

            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 300));
            var stream = new List<(double Value, DateTimeOffset Time)>();
            var count = (int)(windowSeconds * 2.5 * 1000 / intervalMs);
            for (var i = 0; i < count; i++)
            {
                // Jitter of up to 40 % of the interval puts some samples out of order.
                var time = start.AddMilliseconds((i + ((random.NextDouble() - 0.5) * 0.8)) * intervalMs);
                var value = level + (trendPerSecond * (time - start).TotalSeconds) + (noise * Gaussian(random));
                if (random.NextDouble() < 0.01)
                {
                    value += 20 * noise; // an impact
                }

                if (random.NextDouble() < 0.01)
                {
                    value = double.NaN;
                }

                stream.Add((value, time));
            }

            // Evaluate as the edge does: at increasing times, each after the samples that arrived before it.
            var evaluations = Enumerable.Range(0, 6)
                .Select(e => e % 2 == 0
                    ? start.AddSeconds(Math.Ceiling(random.NextDouble() * windowSeconds * 2.6))
                    : start.AddTicks(random.NextInt64((long)(windowSeconds * 2.6 * TimeSpan.TicksPerSecond))))
                .Order()
                .ToArray();
            var added = new List<(double Value, DateTimeOffset Time)>();
            var next = 0;
            var values = new float[schema.Count];
            foreach (var now in evaluations)
            {
                while (next < stream.Count && stream[next].Time < now)
                {
                    features.Add(0, stream[next].Value, stream[next].Time);
                    added.Add(stream[next++]);
                }

                var window = WindowReference.InWindow(added, now, sensor.BucketWidth, sensor.BucketCount);
                var lastBucket = (now.UtcTicks - 1) / sensor.BucketWidth.Ticks;
                var firstFinite = added.Where(s => double.IsFinite(s.Value)).Select(s => s.Time.UtcTicks / sensor.BucketWidth.Ticks).FirstOrDefault(long.MaxValue);
                var expectReady = firstFinite <= lastBucket - sensor.BucketCount + 1 && window.Count >= 2;

                features.TryCompute(now, values).Should().Be(expectReady, $"run {run}: window {windowSeconds} s, {window.Count} samples at {now:O}");
                if (!expectReady)
                {
                    continue;
                }

                checkedWindows++;
                for (var k = 0; k < schema.Count; k++)
                {
                    var statistic = schema.Features[k].Statistic;
                    var expected = WindowReference.Compute(statistic, window);
                    var tolerance = (2e-5 * Math.Abs(expected)) + statistic switch
                    {
                        FeatureStatistic.Slope => 1e-6 * (noise + Math.Abs(level)) / windowSeconds,
                        FeatureStatistic.Kurtosis or FeatureStatistic.CrestFactor => 1e-6,
                        FeatureStatistic.StandardDeviation => (1e-6 * noise) + (1e-9 * Math.Abs(level)),
                        _ => 1e-6 * (noise + Math.Abs(level)),
                    };
                    ((double)values[k]).Should().BeApproximately(
                        expected,
                        tolerance,
                        $"run {run}: {schema.Names[k]} over {window.Count} samples, window {windowSeconds} s, level {level}, noise {noise}");
                }
            }
        }

        checkedWindows.Should().BeGreaterThan(250, "most evaluations fall after the window has filled");
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
