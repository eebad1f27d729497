using BenchmarkDotNet.Attributes;
using Factory.Edge.Alarms;
using Factory.Plant.Model;

namespace Factory.Benchmarks;

/// <summary>
/// What an append to the alarm journal costs until it is durable (written and fsync'ed): one
/// event, a batch of 100 events in one append, and 100 appends of one event issued at once (group
/// commit). The file lives in <c>$FACTORY_BENCH_DIR</c>, or the temp folder (check that it is a
/// real disk, not tmpfs, where fsync is free).
/// </summary>
[MemoryDiagnoser]
public class AlarmJournalBenchmarks : IDisposable
{
    private readonly AlarmBookEvent[] _one = [Event(1)];
    private readonly AlarmBookEvent[] _hundred = [.. Enumerable.Range(1, 100).Select(i => Event(i))];
    private readonly Task[] _appends = new Task[100];
    private string _folder = null!;
    private AlarmJournal _journal = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = Environment.GetEnvironmentVariable("FACTORY_BENCH_DIR") ?? Path.GetTempPath();
        _folder = Path.Combine(root, $"factory-journal-bench-{Guid.NewGuid():N}");
        _journal = AlarmJournal.Open(Path.Combine(_folder, "line-1.alarms"));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _journal?.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task AppendOne() => _journal.AppendAsync(_one);

    [Benchmark]
    public Task AppendBatchOf100() => _journal.AppendAsync(_hundred);

    [Benchmark]
    public Task Append100AtOnce()
    {
        for (var i = 0; i < _appends.Length; i++)
        {
            _appends[i] = _journal.AppendAsync(_one);
        }

        return Task.WhenAll(_appends);
    }

    /// <summary>A typical record: an activation with its message (about 300 bytes on disk).</summary>
    internal static AlarmActivated Event(long sequence) =>
        new(sequence, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero).AddSeconds(sequence), "line-1/cnc-01/spindle-vibration-rms/hh",
            AlarmState.Unacknowledged, AlarmPriority.High, 5.2, null, null, "Spindle vibration RMS above HH limit 4.5 mm/s: 5.2 mm/s");
}
