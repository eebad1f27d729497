namespace Factory.Edge.Actors;

/// <summary>
/// The timing of an edge node. The defaults make a fault an alarm within the publishing
/// interval plus a few milliseconds; tests shorten them.
/// </summary>
public sealed record EdgeTuning
{
    /// <summary>How often the OPC UA server sends what changed; the floor of alarm latency.</summary>
    public TimeSpan PublishingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often each machine computes its window features and scores them.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A sensor silent for this many sampling intervals makes its machine's data stale.</summary>
    public int StaleAfterIntervals { get; init; } = 10;

    /// <summary>The shortest silence that counts as stale, whatever the sampling interval.</summary>
    public TimeSpan MinimumStaleTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive scores above the threshold that raise a machine's anomaly alarm.</summary>
    public int AnomalyRaiseAfter { get; init; } = 2;

    /// <summary>Consecutive scores below <see cref="AnomalyClearRatio"/> × threshold that clear it.</summary>
    public int AnomalyClearAfter { get; init; } = 5;

    public double AnomalyClearRatio { get; init; } = 0.9;

    /// <summary>How often the models directory is looked at for new packages (changes seen by the file watcher come sooner).</summary>
    public TimeSpan ModelScanInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the line's status (machines, connections, gaps) goes to the panel, at most.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The interval of the sensor summaries and machine health records sent to the cloud.</summary>
    public TimeSpan SummaryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Raw samples kept before an anomaly alarm is raised, sent to the cloud with it.</summary>
    public TimeSpan AnomalyWindowBefore { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Raw samples recorded after an anomaly alarm is raised, sent to the cloud with it.</summary>
    public TimeSpan AnomalyWindowAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before the OPC UA session is tried again after it failed; doubles up to the maximum.</summary>
    public TimeSpan SessionRestartMinimum { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan SessionRestartMaximum { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Values the server keeps per node between publishes: all of them for a publishing interval, twice over.</summary>
    public uint QueueSize(int samplingIntervalMs) =>
        (uint)Math.Clamp(2 * PublishingInterval.TotalMilliseconds / Math.Max(1, samplingIntervalMs) + 2, 2, 1000);
}
