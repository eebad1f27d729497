namespace Factory.Edge.Alarms;

// Flood detection and the alarm rate: both count annunciated activations (AlarmActivated in
// Unacknowledged). Re-annunciation after a shelve, a suppression or out of service is not counted:
// ISA-18.2 rates count alarms raised by the process, not alarms people or the design let through.
public sealed partial class AlarmBook
{
    /// <summary>Annunciated activations in the flood window that ends at <paramref name="time"/>: (time - window, time].</summary>
    public int ActivationsInWindow(DateTimeOffset time) =>
        UpperBound(time) - UpperBound(time - Options.FloodWindow);

    /// <summary>
    /// Annunciated activations per 10 minutes from <paramref name="from"/> to <paramref name="to"/>
    /// (periods aligned to UTC, empty ones included), within <see cref="AlarmBookOptions.RateRetention"/>.
    /// </summary>
    public AlarmRate Rate(DateTimeOffset from, DateTimeOffset to)
    {
        var buckets = new List<AlarmRateBucket>();
        for (var start = BucketOf(from); start <= to; start += AlarmRate.BucketLength)
        {
            buckets.Add(new AlarmRateBucket(start, _rate.TryGetValue(start, out var count) ? count : 0));
        }

        return new AlarmRate(buckets, Options.FloodThreshold);
    }

    /// <summary>When the current flood ends if no alarm comes: when fewer than the end threshold remain in the window.</summary>
    private DateTimeOffset? FloodEndDue()
    {
        if (FloodSince is not { } since)
        {
            return null;
        }

        // With n activations t[0..n-1] ascending, the window (T - W, T] holds fewer than E of them
        // from T = t[n-E] + W on.
        var index = _recent.Count - Options.FloodEndThreshold;
        if (index < 0)
        {
            var newest = _recent.Count > 0 ? _recent[^1] : since;
            return newest > since ? newest : since;
        }

        return _recent[index] + Options.FloodWindow;
    }

    private void CountActivation(DateTimeOffset time)
    {
        _recent = _recent.Insert(UpperBound(time), time);
        var cutoff = _recent[^1] - Options.FloodWindow;
        while (_recent.Count > 0 && _recent[0] <= cutoff)
        {
            _recent = _recent.RemoveAt(0);
        }

        var bucket = BucketOf(time);
        _rate = _rate.SetItem(bucket, _rate.TryGetValue(bucket, out var count) ? count + 1 : 1);
        var oldest = bucket - Options.RateRetention;
        while (_rate.Count > 0 && _rate.Keys.First() < oldest)
        {
            _rate = _rate.Remove(_rate.Keys.First());
        }
    }

    /// <summary>The number of recent activations at or before <paramref name="time"/>.</summary>
    private int UpperBound(DateTimeOffset time)
    {
        int low = 0, high = _recent.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_recent[middle] <= time)
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

    private static DateTimeOffset BucketOf(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % AlarmRate.BucketLength.Ticks), TimeSpan.Zero);
    }
}
