using BenchmarkDotNet.Attributes;
using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Scoring;
using Factory.Plant.Model;

namespace Factory.Benchmarks;

/// <summary>
/// The Factory.Ml share of the edge's per-sample budget: one second of a machine of 20 sensors
/// sampled every 100 ms (200 samples added), one evaluation of its windows (the sample plant's
/// default statistics, 10 s windows) and one score. Op/s is samples per second on one core with
/// evaluation and scoring included; the edge's whole pipeline must reach 200,000.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MlBenchmarkData.Config))]
public class EdgeMlPathBenchmarks : IDisposable
{
    private const int Sensors = 20;
    private const int SamplesPerSecond = Sensors * 10;

    // Ten minutes of distinct values, cycled: windows never repeat within a training set's features.
    private const int RecordedSeconds = 600;
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private MachineFeatures _features = null!;
    private AnomalyScorer _scorer = null!;
    private float[] _vector = [];
    private double[] _values = [];
    private long _second;

    [Params(RandomizedPcaKind.KindName, RobustMahalanobisKind.KindName)]
    public string Detector { get; set; } = RandomizedPcaKind.KindName;

    [GlobalSetup]
    public void Setup()
    {
        var schema = FeatureSchema.For(MlBenchmarkData.TwentySensors(10, [FeatureStatistic.Mean, FeatureStatistic.StandardDeviation, FeatureStatistic.Max]));
        _features = new MachineFeatures(schema);
        _vector = new float[schema.Count];
        var random = new Random(5);
        _values = Enumerable.Range(0, SamplesPerSecond * RecordedSeconds).Select(i => 50 + MlBenchmarkData.Gaussian(random)).ToArray();

        // Train on the features this very machine produces, so that scoring sees realistic vectors.
        var training = new List<float[]>();
        for (var s = 0; s < 4_000; s++)
        {
            AddOneSecond();
            if (_features.TryCompute(Start.AddSeconds(_second), _vector))
            {
                training.Add(_vector.ToArray());
            }
        }

        var model = DetectorKinds.Find(Detector)!.Train(training, seed: 1);
        _scorer = new AnomalyScorer(model, AlarmThreshold.ForFalseAlarmRate(model.ScoreAll(training), 0.001));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _scorer?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = SamplesPerSecond)]
    public bool OneSecondOfAMachine()
    {
        AddOneSecond();
        return _features.TryCompute(Start.AddSeconds(_second), _vector) && _scorer.IsAnomalous(_scorer.Score(_vector));
    }

    private void AddOneSecond()
    {
        var baseTicks = Start.UtcTicks + (_second * TimeSpan.TicksPerSecond);
        var values = _values.AsSpan((int)(_second % RecordedSeconds) * SamplesPerSecond, SamplesPerSecond);
        for (var tick = 0; tick < 10; tick++)
        {
            var time = new DateTimeOffset(baseTicks + (tick * TimeSpan.TicksPerMillisecond * 100), TimeSpan.Zero);
            for (var s = 0; s < Sensors; s++)
            {
                _features.Add(s, values[(tick * Sensors) + s], time);
            }
        }

        _second++;
    }
}
