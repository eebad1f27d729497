using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;

namespace Factory.Portal.Components.Pages;

/// <summary>A point of a chart: the charts draw only points that have a value.</summary>
public sealed record ChartPoint(DateTime Time, double Value);

/// <summary>
/// The anomaly score timeline of a machine page: the largest and the mean score per bucket, the
/// model's threshold, and a marker for every alarm raised in the range, at its score (anomaly
/// alarms) or at the bucket's largest score (limit alarms), so it sits on the line it explains.
/// </summary>
public sealed record ScoreSeries(IReadOnlyList<ChartPoint> Max, IReadOnlyList<ChartPoint> Mean, IReadOnlyList<ChartPoint> Threshold, IReadOnlyList<ChartPoint> Alarms)
{
    public static ScoreSeries Empty { get; } = new([], [], [], []);

    public static ScoreSeries Of(IReadOnlyList<HealthBucket> buckets, IReadOnlyList<AlarmEvent> events)
    {
        var max = buckets.Where(b => b.MaxScore is not null).Select(b => new ChartPoint(b.Start.UtcDateTime, b.MaxScore!.Value)).ToList();
        var markers = new List<ChartPoint>();
        foreach (var e in events.Where(e => e.EventType == AlarmEventTypes.Activated).OrderBy(e => e.Time))
        {
            var at = buckets.LastOrDefault(b => b.Start <= e.Time);
            if ((e.Score ?? at?.MaxScore) is { } value)
            {
                markers.Add(new ChartPoint(e.Time.UtcDateTime, value));
            }
        }

        return new ScoreSeries(
            max,
            [.. buckets.Where(b => b.MeanScore is not null).Select(b => new ChartPoint(b.Start.UtcDateTime, b.MeanScore!.Value))],
            [.. buckets.Where(b => b.Threshold is not null).Select(b => new ChartPoint(b.Start.UtcDateTime, b.Threshold!.Value))],
            markers);
    }
}
