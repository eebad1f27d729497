namespace Factory.Ml.Features;

/// <summary>
/// The sliding windows of every sensor of one machine, fed sample by sample and turned into a
/// feature vector on demand. Not thread-safe: one instance belongs to one machine's actor.
/// </summary>
/// <remarks>
/// <para>
/// Each sensor's window is a ring of time buckets (<see cref="SensorFeatures.BucketWidth"/>,
/// chosen from the window length: 100 ms for a 10 s window, 5 s for a 10-minute one). A sample
/// goes into the bucket its source time falls into; buckets are aligned to whole multiples of
/// their width since 0001-01-01 UTC, so evaluations at whole seconds fall on bucket boundaries.
/// The window at <c>now</c> covers whole buckets: the <see cref="SensorFeatures.BucketCount"/>
/// buckets the last of which began before <c>now</c>. When <c>now</c> is on a bucket boundary
/// that is exactly the samples with source time in [now − window, now).
/// </para>
/// <para>
/// Samples that are not finite (NaN, ±∞) are ignored and counted. Samples may arrive out of
/// order: one that falls into a bucket still in the ring is counted as if it had come in order;
/// one older than the ring (more than a window before the sensor's newest sample) is dropped and
/// counted as late. A sensor that falls silent for longer than its window starts afresh.
/// </para>
/// <para>
/// The ring holds the buckets up to the sensor's newest sample, so <c>now</c> should not be
/// earlier than the newest source time: a sample stamped after <c>now</c> (a machine clock
/// running ahead) takes the place of the window's oldest bucket, and the window at <c>now</c>
/// is then that much shorter.
/// </para>
/// </remarks>
public sealed class MachineFeatures
{
    private readonly SensorWindow[] _windows;
    private readonly int[][] _positions;

    /// <summary>Creates the windows of a machine; their memory is allocated here, once.</summary>
    public MachineFeatures(FeatureSchema schema)
    {
        Schema = schema;
        _windows = schema.Sensors.Select(s => new SensorWindow(s)).ToArray();
        var positionOf = schema.Features
            .Select((feature, position) => (feature, position))
            .ToDictionary(x => (x.feature.SensorId, x.feature.Statistic), x => x.position);
        _positions = schema.Sensors
            .Select(s => s.Statistics.Select(statistic => positionOf[(s.SensorId, statistic)]).ToArray())
            .ToArray();
    }

    /// <summary>The schema the features are computed for.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Adds one sample of one sensor.</summary>
    /// <param name="sensorIndex">The sensor's position in the machine's configuration.</param>
    /// <param name="value">The value in engineering units; NaN and infinities are ignored and counted.</param>
    /// <param name="sourceTime">When the machine measured it (the OPC UA source timestamp).</param>
    public void Add(int sensorIndex, double value, DateTimeOffset sourceTime) =>
        _windows[sensorIndex].Add(value, sourceTime.UtcTicks);

    /// <summary>
    /// Computes the features of the windows at <paramref name="now"/>, in schema order.
    /// </summary>
    /// <returns>
    /// False while some sensor with features has not been reporting for its whole window (since
    /// the start, or since a silence longer than its window) or holds fewer than two samples in
    /// it; <paramref name="features"/> then holds nothing meaningful.
    /// </returns>
    public bool TryCompute(DateTimeOffset now, Span<float> features)
    {
        if (features.Length < Schema.Count)
        {
            throw new ArgumentException($"The span holds {features.Length} features; machine '{Schema.MachineId}' has {Schema.Count}.", nameof(features));
        }

        var nowTicks = now.UtcTicks;
        for (var i = 0; i < _windows.Length; i++)
        {
            var positions = _positions[i];
            if (positions.Length == 0)
            {
                continue;
            }

            var window = _windows[i];
            if (!window.TryMerge(nowTicks, out var moments))
            {
                return false;
            }

            SensorWindow.Write(moments, window.Sensor.Statistics, positions, features);
        }

        return true;
    }

    /// <summary>The source time of the newest finite sample of a sensor, or null before the first: what staleness is judged by.</summary>
    public DateTimeOffset? LastSampleTime(int sensorIndex) => _windows[sensorIndex].Status.LastSampleTime;

    /// <summary>What a sensor's window has received so far.</summary>
    public SensorWindowStatus SensorStatus(int sensorIndex) => _windows[sensorIndex].Status;

    /// <summary>Empties every window and counter, as after a restart of the machine's data.</summary>
    public void Clear()
    {
        foreach (var window in _windows)
        {
            window.Clear();
        }
    }
}

/// <summary>What one sensor's window has received since it was created or cleared.</summary>
/// <param name="LastSampleTime">The source time of the newest finite sample, or null before the first.</param>
/// <param name="Samples">Finite samples added to the window (late ones not counted).</param>
/// <param name="NotFiniteSamples">Samples ignored because they were NaN or infinite.</param>
/// <param name="LateSamples">Samples dropped because they were older than the window of the sensor's newest sample.</param>
public readonly record struct SensorWindowStatus(DateTimeOffset? LastSampleTime, long Samples, long NotFiniteSamples, long LateSamples);
