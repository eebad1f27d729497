using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Storage;

/// <summary>
/// The telemetry store of a cloud with no InfluxDB configured (the demo on a machine with only the
/// .NET SDK): an append-only log file (<see cref="FileName"/>) of length- and CRC-framed records,
/// fsync'ed before a write returns, replayed into memory at open. Records are kept under the same
/// identities as in InfluxDB and queried with the same rules (docs/telemetry-store.md), so both pass
/// one contract test suite. Everything is held in memory: fine for a demo plant and weeks of
/// summaries, not for a fleet (use InfluxDB).
/// </summary>
/// <remarks>
/// At open, a record cut short at the end of the file (a crash during a write) is cut off with a
/// warning; a damaged record before the end is reported with the file and its offset and skipped,
/// and every record after it is kept. Thread-safe: writes and queries take one lock.
/// </remarks>
public sealed partial class EmbeddedTelemetryStore : ITelemetryStore, IDisposable
{
    /// <summary>The log's file name in the data folder.</summary>
    public const string FileName = "telemetry.log";

    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Line, string Machine, string Sensor), SortedList<long, SensorSummary>> _summaries = [];
    private readonly Dictionary<(string Line, string Machine), SortedList<long, MachineHealth>> _health = [];
    private readonly Dictionary<(string Line, long Sequence), AlarmEvent> _alarms = [];
    private readonly Dictionary<(string Line, string Machine), SortedList<long, AnomalyWindow>> _windows = [];

    /// <summary>Opens (or creates) the log in <paramref name="directory"/> and replays it; a second store on the same folder is refused.</summary>
    /// <exception cref="TelemetryStoreException">The file cannot be opened (in use, no permission) or is not a telemetry log.</exception>
    public EmbeddedTelemetryStore(string directory, ILogger logger)
    {
        _logger = logger;
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, FileName));
        try
        {
            Directory.CreateDirectory(directory);
            _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TelemetryStoreException($"The embedded telemetry store {Path} cannot be opened: {e.Message} (is another cloud node using the same data folder?)", transient: false, e);
        }

        try
        {
            Replay();
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The log file's full path.</summary>
    public string Path { get; }

    public Task WriteAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        TelemetryRules.Validate(batch);
        if (batch.Count == 0)
        {
            return Task.CompletedTask;
        }

        var normalized = batch with { AnomalyWindows = [.. batch.AnomalyWindows.Select(TelemetryRules.Normalize)] };
        var frames = LogFormat.Frames(normalized);
        lock (_lock)
        {
            var end = _file.Length;
            try
            {
                _file.Seek(end, SeekOrigin.Begin);
                _file.Write(frames);
                _file.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                TryCutBack(end);
                throw new TelemetryStoreException($"The embedded telemetry store {Path} cannot be written: {e.Message}", transient: true, e);
            }

            Index(normalized);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SensorBucket>> QuerySensorAsync(SensorQuery query, CancellationToken cancellationToken)
    {
        var bucket = TelemetryRules.BucketNanoseconds(query);
        var from = TelemetryRules.Nanoseconds(query.From);
        var to = TelemetryRules.Nanoseconds(query.To);
        var buckets = new List<SensorBucket>();
        lock (_lock)
        {
            if (from >= to || !_summaries.TryGetValue((query.Line, query.Machine, query.Sensor), out var series))
            {
                return Task.FromResult<IReadOnlyList<SensorBucket>>(buckets);
            }

            // The same combination as the InfluxQL query: min of minimums, max of maximums,
            // sum(mean × count) / sum(count), the last of the newest summary; buckets aligned to the epoch.
            var keys = series.Keys;
            long? current = null;
            double min = 0, max = 0, sum = 0, last = 0;
            long count = 0;
            for (var i = FirstAtOrAfter(keys, from); i < keys.Count && keys[i] < to; i++)
            {
                var s = series.Values[i];
                var start = TelemetryRules.BucketStart(keys[i], bucket);
                if (start != current)
                {
                    Flush();
                    current = start;
                    min = s.Min;
                    max = s.Max;
                    sum = 0;
                    count = 0;
                }

                min = Math.Min(min, s.Min);
                max = Math.Max(max, s.Max);
                sum += InfluxSchema.SumOf(s);
                count += s.Count;
                last = s.Last;
            }

            Flush();

            void Flush()
            {
                if (current is { } start)
                {
                    buckets.Add(new SensorBucket(TelemetryRules.FromNanoseconds(start), min, max, sum / count, last, count));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<SensorBucket>>(buckets);
    }

    public Task<IReadOnlyList<HealthBucket>> QueryHealthAsync(HealthQuery query, CancellationToken cancellationToken)
    {
        var bucket = TelemetryRules.BucketNanoseconds(query);
        var from = TelemetryRules.Nanoseconds(query.From);
        var to = TelemetryRules.Nanoseconds(query.To);
        var buckets = new List<HealthBucket>();
        lock (_lock)
        {
            if (from >= to || !_health.TryGetValue((query.Line, query.Machine), out var history))
            {
                return Task.FromResult<IReadOnlyList<HealthBucket>>(buckets);
            }

            // The same combination as the InfluxQL query: mean of the mean scores, max of the
            // maximums, the newest threshold and state; buckets aligned to the epoch.
            var keys = history.Keys;
            long? current = null;
            double sum = 0;
            long scored = 0, intervals = 0;
            double? max = null, threshold = null;
            var state = "";
            for (var i = FirstAtOrAfter(keys, from); i < keys.Count && keys[i] < to; i++)
            {
                var h = history.Values[i];
                var start = TelemetryRules.BucketStart(keys[i], bucket);
                if (start != current)
                {
                    Flush();
                    current = start;
                    (sum, scored, intervals, max, threshold) = (0, 0, 0, null, null);
                }

                if (h.MeanScore is { } mean)
                {
                    sum += mean;
                    scored++;
                }

                if (h.MaxScore is { } m)
                {
                    max = Math.Max(max ?? m, m);
                }

                threshold = h.Threshold ?? threshold;
                state = h.State;
                intervals++;
            }

            Flush();

            void Flush()
            {
                if (current is { } start)
                {
                    buckets.Add(new HealthBucket(TelemetryRules.FromNanoseconds(start), scored > 0 ? sum / scored : null, max, threshold, state, intervals));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<HealthBucket>>(buckets);
    }

    public Task<DateTimeOffset?> LastDowntimeAsync(string line, string machine, DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_health.TryGetValue((line, machine), out var history))
            {
                for (var i = FirstAtOrAfter(history.Keys, TelemetryRules.Nanoseconds(before)) - 1; i >= 0; i--)
                {
                    var h = history.Values[i];
                    if (DowntimeStates.Contains(h.State))
                    {
                        return Task.FromResult<DateTimeOffset?>(h.Start.AddSeconds(h.IntervalSeconds));
                    }
                }
            }
        }

        return Task.FromResult<DateTimeOffset?>(null);
    }

    public Task<IReadOnlyList<MachineLatest>> LatestAsync(string? line, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var sensors = _summaries.Where(s => line is null || s.Key.Line == line).Select(s => s.Value.Values[^1]).ToList();
            var health = _health.Where(h => line is null || h.Key.Line == line).Select(h => h.Value.Values[^1]).ToList();
            return Task.FromResult(LatestView.Combine(sensors, health));
        }
    }

    public Task<IReadOnlyList<AlarmEvent>> AlarmHistoryAsync(AlarmHistoryQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var events = _alarms.Values
                .Where(a => a.Time >= query.From && a.Time < query.To && (query.Line is null || a.Line == query.Line) && (query.Machine is null || a.Machine == query.Machine))
                .ToList();
            events.Sort(TelemetryRules.NewestFirst);
            return Task.FromResult<IReadOnlyList<AlarmEvent>>(events.Count > Math.Max(query.Limit, 0) ? events.GetRange(0, Math.Max(query.Limit, 0)) : events);
        }
    }

    public Task<IReadOnlyList<AnomalyWindow>> AnomalyWindowsAsync(string line, string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var fromNs = TelemetryRules.Nanoseconds(from);
        var toNs = TelemetryRules.Nanoseconds(to);
        lock (_lock)
        {
            if (fromNs >= toNs || !_windows.TryGetValue((line, machine), out var series))
            {
                return Task.FromResult<IReadOnlyList<AnomalyWindow>>([]);
            }

            var windows = new List<AnomalyWindow>();
            for (var i = FirstAtOrAfter(series.Keys, fromNs); i < series.Count && series.Keys[i] < toNs; i++)
            {
                windows.Add(series.Values[i]);
            }

            return Task.FromResult<IReadOnlyList<AnomalyWindow>>(windows);
        }
    }

    public Task<long> CountSummariesAsync(string? line, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_summaries.Where(s => line is null || s.Key.Line == line).Sum(s => (long)s.Value.Count));
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }

    private void Index(TelemetryBatch batch)
    {
        foreach (var s in batch.Summaries)
        {
            var key = (s.Line, s.Machine, s.Sensor);
            if (!_summaries.TryGetValue(key, out var series))
            {
                _summaries[key] = series = [];
            }

            series[TelemetryRules.Nanoseconds(s.Start)] = s;
        }

        foreach (var h in batch.Health)
        {
            if (!_health.TryGetValue((h.Line, h.Machine), out var history))
            {
                _health[(h.Line, h.Machine)] = history = [];
            }

            history[TelemetryRules.Nanoseconds(h.Start)] = h;
        }

        foreach (var a in batch.Alarms)
        {
            _alarms[(a.Line, a.Sequence)] = a;
        }

        foreach (var w in batch.AnomalyWindows)
        {
            if (!_windows.TryGetValue((w.Line, w.Machine), out var series))
            {
                _windows[(w.Line, w.Machine)] = series = [];
            }

            series[TelemetryRules.Nanoseconds(w.Trigger)] = w;
        }
    }

    private static int FirstAtOrAfter(IList<long> keys, long value)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (keys[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private void TryCutBack(long length)
    {
        try
        {
            _file.SetLength(length);
        }
        catch (IOException e)
        {
            // The next open finds the damaged tail and cuts it off or skips it.
            _logger.LogWarning("The embedded telemetry store {File} could not cut a failed write back to {Length} bytes: {Reason}", Path, length, e.Message);
        }
    }
}
