using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Factory.Plant.Model;

namespace Factory.Benchmarks;

/// <summary>Machines and feature vectors for the Factory.Ml benchmarks.</summary>
public static class MlBenchmarkData
{
    /// <summary>A machine of 20 sensors sampled every 100 ms, every statistic over windows of the given length (160 features).</summary>
    public static Machine TwentySensors(int windowSeconds, IReadOnlyList<FeatureStatistic>? statistics = null) => new(
        "bench-machine",
        "Bench machine",
        "cnc-spindle",
        Criticality.High,
        "ns=2;s=bench.status",
        "ns=2;s=bench.maintenance",
        Enumerable.Range(0, 20).Select(i => new Sensor(
            $"sensor-{i:00}",
            $"Sensor {i}",
            (SignalKind)(i % Enum.GetValues<SignalKind>().Length),
            $"ns=2;s=bench.sensor-{i:00}",
            "u",
            new ValueRange(0, 100),
            100,
            null,
            new FeatureWindow(windowSeconds, statistics ?? Enum.GetValues<FeatureStatistic>()))).ToArray());

    /// <summary>
    /// Feature vectors of healthy operation: a few hidden operating variables (load, speed,
    /// ambient temperature) drive every feature, plus noise, as on a real machine.
    /// </summary>
    public static List<float[]> HealthyVectors(int count, int features, int seed)
    {
        var random = new Random(seed);
        var loadings = new double[features, 3];
        var levels = new double[features];
        var noise = new double[features];
        var shape = new Random(1);
        for (var j = 0; j < features; j++)
        {
            levels[j] = 10 + (90 * shape.NextDouble());
            noise[j] = 0.05 + (0.2 * shape.NextDouble());
            for (var k = 0; k < 3; k++)
            {
                loadings[j, k] = shape.NextDouble() * 2 - 1;
            }
        }

        var vectors = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var hidden = new[] { Gaussian(random), Gaussian(random), Gaussian(random) };
            var vector = new float[features];
            for (var j = 0; j < features; j++)
            {
                vector[j] = (float)(levels[j] + (loadings[j, 0] * hidden[0]) + (loadings[j, 1] * hidden[1]) + (loadings[j, 2] * hidden[2]) + (noise[j] * Gaussian(random)));
            }

            vectors.Add(vector);
        }

        return vectors;
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Operations per second next to the mean, and a fixed, moderate number of iterations.</summary>
    public sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(20));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
