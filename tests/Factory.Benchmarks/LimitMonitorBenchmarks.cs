using BenchmarkDotNet.Attributes;
using Factory.Edge.Alarms;
using Factory.Plant.Model;

namespace Factory.Benchmarks;

/// <summary>
/// Limit evaluation per sample (<see cref="LimitMonitor.Evaluate(double, DateTimeOffset)"/>) with
/// the sample plant's machine-tool vibration limits (H 2.8, HH 4.5 mm/s, deadband 0.2, on-delay
/// 2 s, off-delay 5 s), one sample every 10 ms. Each operation is one sample; the baseline reads
/// the same samples and does nothing else, so the difference is what evaluation costs.
/// </summary>
[MemoryDiagnoser]
public class LimitMonitorBenchmarks
{
    private const int Samples = 1024;
    private static readonly long Step = TimeSpan.FromMilliseconds(10).Ticks;
    private static readonly LimitAlarms Vibration = new(new LimitLevel(4.5, AlarmPriority.High), new LimitLevel(2.8, null), null, null, 0.2, 2000, 5000);

    private readonly double[] _withinLimits = new double[Samples];
    private readonly double[] _crossingLimits = new double[Samples];
    private LimitMonitor _quiet = null!;
    private LimitMonitor _busy = null!;
    private long _ticks = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero).UtcTicks;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Samples; i++)
        {
            // A healthy spindle: 2 mm/s with noise. A failing one: swings from 1 to 6 mm/s and back
            // every 10 s, through H and HH, so conditions activate and clear in every invocation.
            _withinLimits[i] = 2.0 + (0.3 * Math.Sin(i * 0.1)) + (i % 7 * 0.01);
            var phase = (double)i / Samples;
            _crossingLimits[i] = 1.0 + (10.0 * (phase < 0.5 ? phase : 1 - phase));
        }

        _quiet = new LimitMonitor("line-1/cnc-01/spindle-vibration-rms", Vibration);
        _busy = new LimitMonitor("line-1/cnc-02/spindle-vibration-rms", Vibration);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    public double ReadSamples()
    {
        var sum = 0.0;
        var ticks = _ticks;
        for (var i = 0; i < Samples; i++)
        {
            var time = new DateTimeOffset(ticks + (i * Step), TimeSpan.Zero);
            sum += _withinLimits[i] + time.Millisecond;
        }

        _ticks += Samples * Step;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public int EvaluateWithinLimits()
    {
        var changes = 0;
        var ticks = _ticks;
        for (var i = 0; i < Samples; i++)
        {
            changes += _quiet.Evaluate(_withinLimits[i], new DateTimeOffset(ticks + (i * Step), TimeSpan.Zero)).Length;
        }

        _ticks += Samples * Step;
        return changes;
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public int EvaluateCrossingLimits()
    {
        var changes = 0;
        var ticks = _ticks;
        for (var i = 0; i < Samples; i++)
        {
            changes += _busy.Evaluate(_crossingLimits[i], new DateTimeOffset(ticks + (i * Step), TimeSpan.Zero)).Length;
        }

        _ticks += Samples * Step;
        return changes;
    }
}
