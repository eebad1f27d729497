using Factory.Plant.Model;

namespace Factory.Ml.Tests.Features;

/// <summary>The straightforward two-pass computation of window statistics that the incremental one must equal.</summary>
internal static class WindowReference
{
    public static double Compute(FeatureStatistic statistic, IReadOnlyList<(double Value, DateTimeOffset Time)> samples)
    {
        var n = samples.Count;
        var mean = samples.Sum(s => s.Value) / n;
        var variance = samples.Sum(s => (s.Value - mean) * (s.Value - mean)) / n;
        var rms = Math.Sqrt(samples.Sum(s => s.Value * s.Value) / n);
        switch (statistic)
        {
            case FeatureStatistic.Mean:
                return mean;
            case FeatureStatistic.Rms:
                return rms;
            case FeatureStatistic.StandardDeviation:
                return Math.Sqrt(variance);
            case FeatureStatistic.Min:
                return samples.Min(s => s.Value);
            case FeatureStatistic.Max:
                return samples.Max(s => s.Value);
            case FeatureStatistic.Kurtosis:
                var m4 = samples.Sum(s => Math.Pow(s.Value - mean, 4)) / n;
                return variance > 0 ? m4 / (variance * variance) : 0;
            case FeatureStatistic.CrestFactor:
                return rms > 0 ? samples.Max(s => Math.Abs(s.Value)) / rms : 0;
            case FeatureStatistic.Slope:
                var origin = samples[0].Time;
                var times = samples.Select(s => (s.Time - origin).TotalSeconds).ToArray();
                var timeMean = times.Average();
                var sxx = times.Sum(t => (t - timeMean) * (t - timeMean));
                var sxy = samples.Select((s, i) => (times[i] - timeMean) * (s.Value - mean)).Sum();
                return sxx > 0 ? sxy / sxx : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(statistic));
        }
    }

    /// <summary>The samples of the window at <paramref name="now"/> as the documentation defines it: whole buckets, the last of which began before now.</summary>
    public static List<(double Value, DateTimeOffset Time)> InWindow(
        IEnumerable<(double Value, DateTimeOffset Time)> samples, DateTimeOffset now, TimeSpan bucketWidth, int bucketCount)
    {
        var last = (now.UtcTicks - 1) / bucketWidth.Ticks;
        var first = last - bucketCount + 1;
        return samples.Where(s => double.IsFinite(s.Value) && s.Time.UtcTicks / bucketWidth.Ticks >= first && s.Time.UtcTicks / bucketWidth.Ticks <= last).ToList();
    }
}
