using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>What happens when the segment files pass the disk quota (docs/outbox.md).</summary>
public sealed partial class EdgeOutbox
{
    private DateTimeOffset _lastAlarmsOnlyWarning = DateTimeOffset.MinValue;

    /// <summary>
    /// Compacts the oldest segment: its summaries are merged per sensor into intervals of
    /// <see cref="OutboxOptions.DownsampleTo"/> (already merged ones are dropped), its health
    /// records and anomaly windows are dropped, and its alarms are carried over unchanged. The
    /// merged summaries and the alarms are appended anew, the segment is deleted. A segment with
    /// records in flight waits; one that holds only alarms is kept, and that is logged (at most
    /// once an hour).
    /// </summary>
    private void Compact()
    {
        var oldest = _segments.Values.FirstOrDefault(s => !ReferenceEquals(s, _active));
        if (oldest is null || _inFlight.Values.Any(e => ReferenceEquals(e.Segment, oldest)))
        {
            return;
        }

        var entries = _pendingAlarms.Values.Concat(_pendingOthers.Values).Where(e => ReferenceEquals(e.Segment, oldest)).ToList();
        if (entries.All(e => e.Kind == RecordKinds.Alarm))
        {
            var now = _time.GetUtcNow();
            if (now - _lastAlarmsOnlyWarning > TimeSpan.FromHours(1))
            {
                _lastAlarmsOnlyWarning = now;
                _logger.LogError("Outbox {Directory}: over its quota of {Quota} bytes with only alarms left in its oldest segment; alarms are never dropped, so it grows past the quota until the cloud takes them", _options.Directory, _options.QuotaBytes);
            }

            return;
        }

        // Summaries are merged per sensor and interval across every segment, so that an interval
        // split over two segments still becomes one summary (two with the same identity would
        // replace each other in the cloud). One in flight in an affected interval makes it wait.
        var ticks = _options.DownsampleTo.Ticks;
        var intervals = entries.Where(e => e.Kind == RecordKinds.Summary).Select(e => e.Time.UtcTicks - (e.Time.UtcTicks % ticks)).ToHashSet();
        if (_inFlight.Values.Any(e => e.Kind == RecordKinds.Summary && intervals.Contains(e.Time.UtcTicks - (e.Time.UtcTicks % ticks))))
        {
            return;
        }

        var candidates = entries.Concat(_pendingOthers.Values.Where(e => e.Kind == RecordKinds.Summary && !ReferenceEquals(e.Segment, oldest) && intervals.Contains(e.Time.UtcTicks - (e.Time.UtcTicks % ticks)))).ToList();
        var merged = new Dictionary<(string Line, string Machine, string Sensor, long Start), SummaryParts>();
        var evicted = new Dictionary<string, long>();
        var downsampled = 0;
        foreach (var entry in candidates)
        {
            var body = ReadBody(entry);
            if (entry.Kind == RecordKinds.Alarm)
            {
                Remove(entry.Sequence);
                var source = JsonDocument.Parse(body).RootElement.TryGetProperty("sequence", out var s) ? s.GetInt64() : 0;
                _appends.Writer.TryWrite(new PendingAppend(++_lastSequence, entry.Kind, entry.Time, source, true, body.ToArray()));
                continue;
            }

            if (entry.Kind == RecordKinds.Summary && JsonSerializer.Deserialize(body.Span, LinkJsonContext.Default.SensorSummary) is { } summary && summary.IntervalSeconds < _options.DownsampleTo.TotalSeconds)
            {
                Remove(entry.Sequence);
                var key = (summary.Line, summary.Machine, summary.Sensor, summary.Start.UtcTicks - (summary.Start.UtcTicks % ticks));
                merged[key] = merged.TryGetValue(key, out var parts) ? parts.Add(summary) : new SummaryParts(summary);
                downsampled++;
                continue;
            }

            if (ReferenceEquals(entry.Segment, oldest))
            {
                // Health, anomaly windows, summaries merged before: dropped, oldest first.
                Remove(entry.Sequence);
                evicted[entry.Kind] = evicted.GetValueOrDefault(entry.Kind) + 1;
            }
        }

        foreach (var ((_, _, _, start), parts) in merged.OrderBy(m => m.Key.Start))
        {
            var summary = parts.ToSummary(new DateTimeOffset(start, TimeSpan.Zero), _options.DownsampleTo.TotalSeconds);
            _appends.Writer.TryWrite(new PendingAppend(++_lastSequence, RecordKinds.Summary, summary.Start, 0, true, JsonSerializer.SerializeToUtf8Bytes(summary, LinkJsonContext.Default.SensorSummary)));
        }

        _state.Downsampled += downsampled;
        foreach (var (kind, count) in evicted)
        {
            _state.EvictedByKind[kind] = _state.EvictedByKind.GetValueOrDefault(kind) + count;
        }

        _logger.LogWarning(
            "Outbox {Directory} is over its quota of {Quota} bytes: its oldest segment was compacted, {Downsampled} summaries merged into {Merged} of {Interval:0} s, dropped {Evicted}, alarms kept",
            _options.Directory, _options.QuotaBytes, downsampled, merged.Count, _options.DownsampleTo.TotalSeconds,
            evicted.Count == 0 ? "nothing" : string.Join(", ", evicted.Select(e => $"{e.Value} {e.Key}")));
        DeleteFinishedSegments();
    }

    /// <summary>Summaries of one sensor being merged: exact pooled mean and standard deviation from the parts.</summary>
    internal sealed class SummaryParts(SensorSummary first)
    {
        private readonly SensorSummary _first = first;
        private long _count = first.Count;
        private double _min = first.Min;
        private double _max = first.Max;
        private double _sum = first.Mean * first.Count;
        private double _sumOfSquares = ((first.StdDev * first.StdDev) + (first.Mean * first.Mean)) * first.Count;
        private DateTimeOffset _lastStart = first.Start;
        private double _last = first.Last;

        public SummaryParts Add(SensorSummary part)
        {
            _count += part.Count;
            _min = Math.Min(_min, part.Min);
            _max = Math.Max(_max, part.Max);
            _sum += part.Mean * part.Count;
            _sumOfSquares += ((part.StdDev * part.StdDev) + (part.Mean * part.Mean)) * part.Count;
            if (part.Start >= _lastStart)
            {
                _lastStart = part.Start;
                _last = part.Last;
            }

            return this;
        }

        public SensorSummary ToSummary(DateTimeOffset start, double intervalSeconds)
        {
            var mean = _sum / _count;
            var variance = Math.Max(0, (_sumOfSquares / _count) - (mean * mean));
            return _first with { Start = start, IntervalSeconds = intervalSeconds, Count = _count, Min = _min, Max = _max, Mean = mean, StdDev = Math.Sqrt(variance), Last = _last };
        }
    }
}
