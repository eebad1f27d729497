using Factory.Plant.Model;

namespace Factory.Ml.Features;

/// <summary>
/// The sliding window of one sensor: a ring of time buckets, each summarising the samples whose
/// source time falls into it. Adding a sample touches one bucket (O(1)); computing the window
/// merges its buckets (O(buckets)). Memory is fixed at construction: one 96-byte bucket per
/// <see cref="SensorFeatures.BucketWidth"/> of window, and <see cref="LookaheadTime"/> more.
/// </summary>
/// <remarks>
/// The edge adds samples as they arrive and computes the window at a whole evaluation period
/// behind the newest one, as training computes it; the extra buckets hold the samples newer than
/// that time, so they do not take the place of the window's oldest buckets.
/// </remarks>
internal sealed class SensorWindow
{
    private const double SecondsPerTick = 1.0 / TimeSpan.TicksPerSecond;

    /// <summary>How far ahead of the time a window is computed at samples may already be held without displacing any of it.</summary>
    public static readonly TimeSpan LookaheadTime = TimeSpan.FromSeconds(2);

    private readonly Bucket[] _buckets;
    private readonly int _windowBuckets;
    private readonly long _bucketTicks;
    private readonly double _bucketSeconds;

    private long _newestBucket = long.MinValue;
    private long _runStartBucket = long.MaxValue;
    private long _newestTicks = long.MinValue;
    private long _samples;
    private long _nonFinite;
    private long _late;

    public SensorWindow(SensorFeatures sensor)
    {
        Sensor = sensor;
        _bucketTicks = sensor.BucketWidth.Ticks;
        _bucketSeconds = _bucketTicks * SecondsPerTick;
        _windowBuckets = sensor.BucketCount;
        _buckets = new Bucket[_windowBuckets + (int)Math.Ceiling(LookaheadTime / sensor.BucketWidth)];
        Clear();
    }

    public SensorFeatures Sensor { get; }

    /// <summary>The buckets of the window (<see cref="SensorFeatures.BucketCount"/>).</summary>
    public int BucketCount => _windowBuckets;

    /// <summary>The buckets held: the window's and the lookahead's.</summary>
    public int RingLength => _buckets.Length;

    public SensorWindowStatus Status => new(
        _newestTicks == long.MinValue ? null : new DateTimeOffset(_newestTicks, TimeSpan.Zero),
        _samples,
        _nonFinite,
        _late);

    public void Clear()
    {
        Array.Fill(_buckets, new Bucket { Index = long.MinValue });
        _newestBucket = long.MinValue;
        _runStartBucket = long.MaxValue;
        _newestTicks = long.MinValue;
        _samples = 0;
        _nonFinite = 0;
        _late = 0;
    }

    public void Add(double value, long utcTicks)
    {
        if (!double.IsFinite(value))
        {
            _nonFinite++;
            return;
        }

        var index = utcTicks / _bucketTicks;
        var count = _buckets.Length;
        if (index > _newestBucket)
        {
            // A silence as long as the window empties it: from here on the window fills afresh,
            // and is not ready until it has been filled for its whole length.
            if (_newestBucket == long.MinValue || index - _newestBucket >= _windowBuckets)
            {
                _runStartBucket = index;
            }

            _newestBucket = index;
        }
        else if (index <= _newestBucket - count)
        {
            _late++;
            return;
        }

        ref var bucket = ref _buckets[index % count];
        if (bucket.Index != index)
        {
            // The slot holds a bucket that has left the window (or none yet).
            bucket = new Bucket { Index = index, Reference = value, Min = value, Max = value };
        }

        var deviation = value - bucket.Reference;
        var deviation2 = deviation * deviation;
        var time = (utcTicks - (index * _bucketTicks)) * SecondsPerTick;
        bucket.Count++;
        bucket.Sum += deviation;
        bucket.SumSquares += deviation2;
        bucket.SumCubes += deviation2 * deviation;
        bucket.SumFourths += deviation2 * deviation2;
        bucket.TimeSum += time;
        bucket.TimeSquares += time * time;
        bucket.TimeValueSum += time * deviation;
        if (value < bucket.Min)
        {
            bucket.Min = value;
        }

        if (value > bucket.Max)
        {
            bucket.Max = value;
        }

        _samples++;
        if (utcTicks > _newestTicks)
        {
            _newestTicks = utcTicks;
        }
    }

    /// <summary>
    /// Merges the buckets of the window at <paramref name="nowTicks"/>: the <see cref="BucketCount"/>
    /// buckets the last of which began before now. False when the sensor has not been reporting
    /// for the whole window yet or the window holds fewer than two samples.
    /// </summary>
    /// <remarks>
    /// Two passes over the buckets: the first finds the window's mean, the second shifts each
    /// bucket's power sums from its own reference to that mean (binomial expansion, no division)
    /// and adds them. Moments about the window's own mean lose no precision to a signal's level.
    /// </remarks>
    public bool TryMerge(long nowTicks, out WindowMoments moments)
    {
        moments = default;
        var buckets = _buckets;
        var count = buckets.Length;
        var last = (nowTicks - 1) / _bucketTicks;
        var first = last - _windowBuckets + 1;
        if (_runStartBucket > first)
        {
            return false;
        }

        var firstSlot = (int)(first % count);
        long n = 0;
        var sum = 0.0;
        var slot = firstSlot;
        for (var index = first; index <= last; index++)
        {
            ref readonly var bucket = ref buckets[slot];
            if (bucket.Index == index)
            {
                n += bucket.Count;
                sum += (bucket.Count * bucket.Reference) + bucket.Sum;
            }

            if (++slot == count)
            {
                slot = 0;
            }
        }

        if (n < 2)
        {
            return false;
        }

        var reference = sum / n;
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0, t1 = 0, t2 = 0, tx = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        slot = firstSlot;
        for (var index = first; index <= last; index++)
        {
            ref readonly var b = ref buckets[slot];
            if (b.Index == index && b.Count > 0)
            {
                double nb = b.Count;
                var d = b.Reference - reference;
                var d2 = d * d;
                var o = (index - first) * _bucketSeconds;
                s4 += b.SumFourths + (4 * d * b.SumCubes) + (6 * d2 * b.SumSquares) + (4 * d2 * d * b.Sum) + (nb * d2 * d2);
                s3 += b.SumCubes + (3 * d * b.SumSquares) + (3 * d2 * b.Sum) + (nb * d2 * d);
                s2 += b.SumSquares + (2 * d * b.Sum) + (nb * d2);
                s1 += b.Sum + (nb * d);
                tx += b.TimeValueSum + (d * b.TimeSum) + (o * b.Sum) + (nb * o * d);
                t2 += b.TimeSquares + (2 * o * b.TimeSum) + (nb * o * o);
                t1 += b.TimeSum + (nb * o);
                min = Math.Min(min, b.Min);
                max = Math.Max(max, b.Max);
            }

            if (++slot == count)
            {
                slot = 0;
            }
        }

        // s1 is close to 0 (the reference is the mean); keeping its terms keeps the rounding of the mean out of the moments.
        var m = s1 / n;
        var m2 = m * m;
        var timeMean = t1 / n;
        moments = new WindowMoments
        {
            Count = n,
            Mean = reference + m,
            M2 = Math.Max(0, s2 - (s1 * m)),
            M4 = Math.Max(0, s4 - (4 * m * s3) + (6 * m2 * s2) - (3 * n * m2 * m2)),
            Min = min,
            Max = max,
            TimeMean = timeMean,
            TimeM2 = Math.Max(0, t2 - (t1 * timeMean)),
            TimeValueC = tx - (t1 * m),
        };
        return true;
    }

    /// <summary>Writes the sensor's statistics, in the order of <see cref="SensorFeatures.Statistics"/>, at the given positions.</summary>
    public static void Write(in WindowMoments m, IReadOnlyList<FeatureStatistic> statistics, int[] positions, Span<float> features)
    {
        var variance = m.M2 / m.Count;
        var rms = Math.Sqrt((m.Mean * m.Mean) + variance);
        for (var i = 0; i < positions.Length; i++)
        {
            features[positions[i]] = (float)(statistics[i] switch
            {
                FeatureStatistic.Mean => m.Mean,
                FeatureStatistic.Rms => rms,
                FeatureStatistic.StandardDeviation => Math.Sqrt(variance),
                FeatureStatistic.Min => m.Min,
                FeatureStatistic.Max => m.Max,
                FeatureStatistic.Slope => m.TimeM2 > 0 ? m.TimeValueC / m.TimeM2 : 0,
                FeatureStatistic.Kurtosis => m.M2 > 0 ? m.Count * m.M4 / (m.M2 * m.M2) : 0,
                FeatureStatistic.CrestFactor => rms > 0 ? Math.Max(Math.Abs(m.Min), Math.Abs(m.Max)) / rms : 0,
                _ => throw new InvalidOperationException($"Unknown statistic {statistics[i]}."),
            });
        }
    }

    /// <summary>
    /// One bucket: power sums of the deviations from its first sample (<see cref="Reference"/>),
    /// which keeps them small whatever the level of the signal, and time sums in seconds from the
    /// bucket's start. 96 bytes.
    /// </summary>
    internal struct Bucket
    {
        public long Index;
        public int Count;
        public double Reference;
        public double Sum;
        public double SumSquares;
        public double SumCubes;
        public double SumFourths;
        public double Min;
        public double Max;
        public double TimeSum;
        public double TimeSquares;
        public double TimeValueSum;
    }
}
