using Factory.Contracts.Telemetry;

namespace Factory.Edge.Outbox;

/// <summary>
/// Summaries of one sensor merged into one of a coarser interval (quota step 1): minimum of the
/// minimums, maximum of the maximums, count-weighted mean, the population standard deviation of
/// all the samples computed exactly from each part's count, mean and standard deviation
/// (N σ² = Σ nᵢ (σᵢ² + (μᵢ − μ)²)), the last value of the newest part, summed counts.
/// </summary>
internal sealed class SummaryMerge
{
    private readonly List<SensorSummary> _parts = [];

    public int Count => _parts.Count;

    public SummaryMerge Add(SensorSummary part)
    {
        _parts.Add(part);
        return this;
    }

    public SensorSummary ToSummary(DateTimeOffset start, TimeSpan interval)
    {
        long count = 0;
        double weighted = 0;
        foreach (var part in _parts)
        {
            count += part.Count;
            weighted += part.Mean * part.Count;
        }

        var mean = weighted / count;
        double squares = 0;
        foreach (var part in _parts)
        {
            var offset = part.Mean - mean;
            squares += part.Count * ((part.StdDev * part.StdDev) + (offset * offset));
        }

        var newest = _parts.MaxBy(p => p.Start)!;
        return newest with
        {
            Start = start,
            IntervalSeconds = interval.TotalSeconds,
            Count = count,
            Min = _parts.Min(p => p.Min),
            Max = _parts.Max(p => p.Max),
            Mean = mean,
            StdDev = Math.Sqrt(squares / count),
            Last = newest.Last,
        };
    }

    /// <summary>The start of the coarser interval holding <paramref name="time"/>: a whole multiple of it since 0001-01-01 UTC, so whole minutes for a minute.</summary>
    public static DateTimeOffset Align(DateTimeOffset time, TimeSpan interval) =>
        new(time.UtcTicks - (time.UtcTicks % interval.Ticks), TimeSpan.Zero);
}
