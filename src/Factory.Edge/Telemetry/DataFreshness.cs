using Factory.Plant.Model;

namespace Factory.Edge.Telemetry;

/// <summary>
/// Whether a machine's data is current, judged on the edge's own clock by when each sensor's
/// values last arrived: a sensor silent for longer than its allowance (a number of sampling
/// intervals, at least a minimum) makes the machine's data stale. Source timestamps are not used
/// for this, because a machine's clock may be wrong or simulated; arrival is what the edge knows.
/// Not thread-safe: its machine actor owns it.
/// </summary>
public sealed class DataFreshness
{
    private readonly long[] _lastArrival;
    private readonly long[] _allowance;
    private long _started;

    /// <param name="sensors">The machine's sensors, in configuration order.</param>
    /// <param name="staleAfterIntervals">Sampling intervals of silence allowed.</param>
    /// <param name="minimum">The least silence that counts as stale, whatever the sampling interval.</param>
    /// <param name="now">The start: a sensor that never reports is stale its allowance after it.</param>
    public DataFreshness(IReadOnlyList<Sensor> sensors, int staleAfterIntervals, TimeSpan minimum, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfterIntervals, 1);
        _lastArrival = new long[sensors.Count];
        _allowance = [.. sensors.Select(s => Math.Max(TimeSpan.FromMilliseconds((double)s.SamplingIntervalMs * staleAfterIntervals).Ticks, minimum.Ticks))];
        Restart(now);
    }

    /// <summary>Whether the data was stale when last evaluated.</summary>
    public bool Stale { get; private set; }

    /// <summary>A value of the sensor arrived at <paramref name="now"/> (the edge's clock).</summary>
    public void Arrived(int sensorIndex, DateTimeOffset now) => _lastArrival[sensorIndex] = now.UtcTicks;

    /// <summary>Every sensor counts as silent from <paramref name="now"/> on (at start, after a restart).</summary>
    public void Restart(DateTimeOffset now)
    {
        _started = now.UtcTicks;
        Array.Fill(_lastArrival, 0L);
    }

    /// <summary>
    /// Decides whether the data is stale at <paramref name="now"/>: some sensor has been silent
    /// for longer than its allowance. Also gives the longest silence of a stale sensor, and that
    /// sensor's index (−1 if none is stale).
    /// </summary>
    public bool Evaluate(DateTimeOffset now, out TimeSpan longestSilence, out int silentSensor)
    {
        var nowTicks = now.UtcTicks;
        longestSilence = TimeSpan.Zero;
        silentSensor = -1;
        for (var i = 0; i < _lastArrival.Length; i++)
        {
            var since = _lastArrival[i] == 0 ? _started : _lastArrival[i];
            var silence = nowTicks - since;
            if (silence > _allowance[i] && silence > longestSilence.Ticks)
            {
                longestSilence = TimeSpan.FromTicks(silence);
                silentSensor = i;
            }
        }

        Stale = silentSensor >= 0;
        return Stale;
    }
}
