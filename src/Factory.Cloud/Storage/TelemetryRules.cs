using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;

namespace Factory.Cloud.Storage;

/// <summary>
/// What both stores agree on, so that one contract holds for both: which records are accepted,
/// how time maps to nanoseconds, how buckets align, in which order alarm events are returned.
/// </summary>
internal static class TelemetryRules
{
    private const long NanosecondsPerTick = 100;

    /// <summary>The smallest and largest nanosecond timestamps InfluxDB accepts (1677-09-21 to 2262-04-11).</summary>
    public const long MinNanoseconds = -9_223_372_036_854_775_806;

    public const long MaxNanoseconds = 9_223_372_036_854_775_806;

    /// <summary>Nanoseconds since the Unix epoch; exact, since a tick is 100 ns. Outside InfluxDB's range it clamps (used for query bounds only: a record outside it is refused).</summary>
    public static long Nanoseconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks > MaxNanoseconds / NanosecondsPerTick ? MaxNanoseconds
            : ticks < MinNanoseconds / NanosecondsPerTick ? MinNanoseconds
            : ticks * NanosecondsPerTick;
    }

    public static DateTimeOffset FromNanoseconds(long nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / NanosecondsPerTick);

    /// <summary>
    /// Where an alarm event is kept in time: its time cut to the millisecond plus its sequence
    /// modulo a million in nanoseconds, so that events of one machine in the same millisecond do
    /// not overwrite each other in InfluxDB (one point per series and timestamp) and a redelivered
    /// event lands on itself.
    /// </summary>
    public static long AlarmNanoseconds(AlarmEvent alarm)
    {
        var ns = Nanoseconds(alarm.Time);
        return (ns - Modulo(ns, 1_000_000)) + Modulo(alarm.Sequence, 1_000_000);
    }

    /// <summary>The start of the bucket <paramref name="nanoseconds"/> falls in, buckets aligned to the Unix epoch (as InfluxQL's GROUP BY time).</summary>
    public static long BucketStart(long nanoseconds, long bucketNanoseconds) =>
        nanoseconds - Modulo(nanoseconds, bucketNanoseconds);

    public static long BucketNanoseconds(SensorQuery query) => BucketNanoseconds(query.Bucket, "a sensor query");

    public static long BucketNanoseconds(HealthQuery query) => BucketNanoseconds(query.Bucket, "a health query");

    private static long BucketNanoseconds(TimeSpan bucket, string what)
    {
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The bucket of {what} must be positive, not {bucket}.", nameof(bucket));
        }

        return bucket.Ticks * NanosecondsPerTick;
    }

    /// <summary>Newest first; events of the same instant by sequence, then line, descending.</summary>
    public static int NewestFirst(AlarmEvent a, AlarmEvent b)
    {
        var byTime = b.Time.UtcTicks.CompareTo(a.Time.UtcTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySequence = b.Sequence.CompareTo(a.Sequence);
        return bySequence != 0 ? bySequence : string.CompareOrdinal(b.Line, a.Line);
    }

    /// <summary>A window as both stores keep it: samples that are not finite numbers (which InfluxDB cannot store) left out.</summary>
    public static AnomalyWindow Normalize(AnomalyWindow window)
    {
        if (window.Sensors.All(s => s.Values.All(double.IsFinite)))
        {
            return window;
        }

        return window with
        {
            Sensors = [.. window.Sensors.Select(s =>
            {
                var keep = Enumerable.Range(0, s.Values.Count).Where(i => double.IsFinite(s.Values[i])).ToList();
                return new SensorTrace(s.Sensor, [.. keep.Select(i => s.TimesMs[i])], [.. keep.Select(i => s.Values[i])]);
            })],
        };
    }

    /// <summary>Refuses (not transient) a batch with a record neither store can keep faithfully; nothing of the batch is stored then.</summary>
    public static void Validate(TelemetryBatch batch)
    {
        // The checks allocate nothing for a good record: the description is made for a bad one only.
        foreach (var s in batch.Summaries)
        {
            var problem = Identity(("line", s.Line), ("machine", s.Machine), ("sensor", s.Sensor))
                ?? Time(s.Start)
                ?? Finite("min", s.Min) ?? Finite("max", s.Max) ?? Finite("mean", s.Mean) ?? Finite("stdDev", s.StdDev) ?? Finite("last", s.Last) ?? Finite("intervalSeconds", s.IntervalSeconds)
                ?? (s.Count < 1 ? $"count must be 1 or more, not {s.Count}" : null);
            ThrowIf(problem, () => $"summary of {s.Line}/{s.Machine}/{s.Sensor} at {s.Start:O}");
        }

        foreach (var h in batch.Health)
        {
            var problem = Identity(("line", h.Line), ("machine", h.Machine))
                ?? Time(h.Start)
                ?? Finite("intervalSeconds", h.IntervalSeconds) ?? Finite("lastScore", h.LastScore) ?? Finite("meanScore", h.MeanScore) ?? Finite("maxScore", h.MaxScore) ?? Finite("threshold", h.Threshold);
            ThrowIf(problem, () => $"health of {h.Line}/{h.Machine} at {h.Start:O}");
        }

        foreach (var a in batch.Alarms)
        {
            var problem = Identity(("line", a.Line), ("machine", a.Machine))
                ?? Time(a.Time)
                ?? (a.ShelvedUntil is { } until ? Time(until) : null)
                ?? Finite("value", a.Value) ?? Finite("score", a.Score) ?? Finite("threshold", a.Threshold) ?? Finite("limit", a.Limit);
            ThrowIf(problem, () => $"alarm event {a.Sequence} of line {a.Line}");
        }

        foreach (var w in batch.AnomalyWindows)
        {
            var problem = Identity(("line", w.Line), ("machine", w.Machine))
                ?? Time(w.Trigger) ?? Time(w.From) ?? Time(w.To)
                ?? Finite("score", w.Score) ?? Finite("threshold", w.Threshold)
                ?? w.Sensors.Select(s => Identity(("sensor", s.Sensor))
                    ?? (s.TimesMs.Count != s.Values.Count ? $"sensor '{s.Sensor}' has {s.TimesMs.Count} times but {s.Values.Count} values" : null)).FirstOrDefault(p => p is not null)
                ?? (w.Sensors.Select(s => s.Sensor).Distinct(StringComparer.Ordinal).Count() != w.Sensors.Count ? "a sensor appears twice" : null);
            ThrowIf(problem, () => $"anomaly window of {w.Line}/{w.Machine} at {w.Trigger:O}");
        }
    }

    private static void ThrowIf(string? problem, Func<string> what)
    {
        if (problem is not null)
        {
            throw new TelemetryStoreException($"The {what()} cannot be stored: {problem}.", transient: false);
        }
    }

    private static string? Identity((string Name, string Value) first, (string Name, string Value) second = default, (string Name, string Value) third = default) =>
        IdentityPart(first) ?? (second.Name is null ? null : IdentityPart(second)) ?? (third.Name is null ? null : IdentityPart(third));

    private static string? IdentityPart((string Name, string Value) part)
    {
        // Line protocol cannot carry these in a tag value: empty tags are dropped, a line break ends
        // the point, and a backslash before the separator would escape it.
        var value = part.Value;
        return string.IsNullOrEmpty(value) || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal) || value.EndsWith('\\')
            ? $"{part.Name} '{value}' must be non-empty, on one line, and not end with a backslash"
            : null;
    }

    private static string? Time(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks > MaxNanoseconds / NanosecondsPerTick || ticks < MinNanoseconds / NanosecondsPerTick
            ? $"time {time:O} is outside 1677-09-21..2262-04-11"
            : null;
    }

    private static string? Finite(string name, double? value) =>
        value is { } v && !double.IsFinite(v) ? $"{name} is {v}, not a finite number" : null;

    private static long Modulo(long value, long divisor)
    {
        var r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
