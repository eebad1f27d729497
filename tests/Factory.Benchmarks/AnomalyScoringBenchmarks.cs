using BenchmarkDotNet.Attributes;
using Factory.Ml.Detectors;
using Factory.Ml.Scoring;

namespace Factory.Benchmarks;

/// <summary>
/// Scores per second of each detector through <see cref="AnomalyScorer"/> (the engine pool for
/// ML.NET's PredictionEngine, one shared engine for Mahalanobis), on one thread and on two
/// threads at once. Op/s counts scores (of both threads together for the two-thread case).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MlBenchmarkData.Config))]
public class AnomalyScoringBenchmarks : IDisposable
{
    private const int Vectors = 1_000;

    private AnomalyScorer _scorer = null!;
    private List<float[]> _vectors = [];

    [Params(RandomizedPcaKind.KindName, RobustMahalanobisKind.KindName)]
    public string Detector { get; set; } = RandomizedPcaKind.KindName;

    /// <summary>Features per vector: a small machine, and one of 20 sensors with 3 to 4 statistics each.</summary>
    [Params(6, 64)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var training = MlBenchmarkData.HealthyVectors(5_000, Features, seed: 1);
        var model = DetectorKinds.Find(Detector)!.Train(training, seed: 1);
        var heldOut = MlBenchmarkData.HealthyVectors(2_000, Features, seed: 2);
        _scorer = new AnomalyScorer(model, AlarmThreshold.ForFalseAlarmRate(model.ScoreAll(heldOut), 0.001));
        _vectors = MlBenchmarkData.HealthyVectors(Vectors, Features, seed: 3);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _scorer?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Vectors)]
    public float OneThread() => ScoreAll(0);

    [Benchmark(OperationsPerInvoke = 2 * Vectors)]
    public void TwoThreads() =>
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, thread => ScoreAll(thread));

    private float ScoreAll(int offset)
    {
        var sum = 0f;
        for (var i = 0; i < _vectors.Count; i++)
        {
            sum += _scorer.Score(_vectors[(i + offset) % _vectors.Count]);
        }

        return sum;
    }
}
