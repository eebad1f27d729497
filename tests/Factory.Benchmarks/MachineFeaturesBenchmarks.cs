using BenchmarkDotNet.Attributes;
using Factory.Ml.Features;

namespace Factory.Benchmarks;

/// <summary>
/// The feature side of the edge's hot path for a machine of 20 sensors sampled every 100 ms:
/// <see cref="Add"/> is one sample (Op/s = samples per second on one core), <see cref="Compute"/>
/// is one evaluation of all 20 windows (160 features), <see cref="CreateMachine"/> allocates one
/// machine's windows (Allocated = bytes per machine).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MlBenchmarkData.Config))]
public class MachineFeaturesBenchmarks
{
    private const int Sensors = 20;
    private const int SamplesPerSensor = 1_000;
    private const int Samples = Sensors * SamplesPerSensor;
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private FeatureSchema _schema = null!;
    private MachineFeatures _features = null!;
    private int[] _sensor = [];
    private double[] _value = [];
    private long[] _offsetTicks = [];
    private long _streamTicks;
    private long _round;
    private float[] _vector = [];
    private DateTimeOffset _now;

    /// <summary>The window of every sensor: 10 s (vibration's default) or 10 minutes (the memory budget's case).</summary>
    [Params(10, 600)]
    public int WindowSeconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _schema = FeatureSchema.For(MlBenchmarkData.TwentySensors(WindowSeconds));
        _features = new MachineFeatures(_schema);
        _vector = new float[_schema.Count];
        var random = new Random(7);
        _sensor = new int[Samples];
        _value = new double[Samples];
        _offsetTicks = new long[Samples];
        for (var i = 0; i < Samples; i++)
        {
            _sensor[i] = i % Sensors;
            _value[i] = 50 + (10 * Math.Sin(i * 0.01)) + MlBenchmarkData.Gaussian(random);
            _offsetTicks[i] = (i / Sensors) * TimeSpan.TicksPerMillisecond * 100;
        }

        _streamTicks = SamplesPerSensor * TimeSpan.TicksPerMillisecond * 100;

        // Fill every window, so that Add and Compute run on a machine in steady state.
        var fill = (int)Math.Ceiling(WindowSeconds * 1.2 / (_streamTicks / (double)TimeSpan.TicksPerSecond)) + 1;
        for (var i = 0; i < fill; i++)
        {
            Add();
        }

        _now = Start.AddTicks(_round * _streamTicks);
        if (!_features.TryCompute(_now, _vector))
        {
            throw new InvalidOperationException("The windows did not fill: the benchmark would measure nothing.");
        }
    }

    /// <summary>One sample of one sensor; the stream moves on in time with every invocation, as a live machine's does.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public void Add()
    {
        var baseTicks = Start.UtcTicks + (_round++ * _streamTicks);
        var features = _features;
        for (var i = 0; i < Samples; i++)
        {
            features.Add(_sensor[i], _value[i], new DateTimeOffset(baseTicks + _offsetTicks[i], TimeSpan.Zero));
        }
    }

    /// <summary>One evaluation: every window merged, 160 features written.</summary>
    [Benchmark]
    public bool Compute() => _features.TryCompute(_now, _vector);

    /// <summary>One machine's windows: the memory a machine of 20 sensors takes (see Allocated).</summary>
    [Benchmark]
    public MachineFeatures CreateMachine() => new(_schema);
}
