using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;

namespace Factory.Cloud.Storage;

/// <summary>
/// Where the cloud keeps the plant's time series: InfluxDB through its v1 HTTP API
/// (<see cref="InfluxTelemetryStore"/>) or, with no InfluxDB configured, the embedded store
/// (<see cref="EmbeddedTelemetryStore"/>). Both pass the same contract tests; docs/telemetry-store.md
/// gives the schema and the query semantics.
/// </summary>
/// <remarks>
/// Writes are idempotent: every record is stored under its identity (a summary under line,
/// machine, sensor and start; an alarm event under line and sequence; ...), so writing it twice
/// leaves one copy. A write that returns has reached durable storage; one that throws may have
/// stored part of the batch, and is retried whole.
/// </remarks>
public interface ITelemetryStore
{
    /// <summary>Stores a batch; returns once it is durable.</summary>
    /// <exception cref="TelemetryStoreException">The store refused or could not be reached; the message says which and why.</exception>
    Task WriteAsync(TelemetryBatch batch, CancellationToken cancellationToken);

    /// <summary>One sensor over a time range, aggregated per bucket: buckets without data are left out.</summary>
    Task<IReadOnlyList<SensorBucket>> QuerySensorAsync(SensorQuery query, CancellationToken cancellationToken);

    /// <summary>A machine's health (anomaly scores, state) over a time range, per bucket: buckets without data are left out.</summary>
    Task<IReadOnlyList<HealthBucket>> QueryHealthAsync(HealthQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The end of the newest health interval of a machine before <paramref name="before"/> in which
    /// it was failed or in maintenance (the edge reports its state with every interval); null if
    /// the store has none. What came after it is the machine's current run since its last repair.
    /// </summary>
    Task<DateTimeOffset?> LastDowntimeAsync(string line, string machine, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The newest summary of every sensor and the newest health of every machine, of one line or of all.</summary>
    Task<IReadOnlyList<MachineLatest>> LatestAsync(string? line, CancellationToken cancellationToken);

    /// <summary>Alarm events, newest first.</summary>
    Task<IReadOnlyList<AlarmEvent>> AlarmHistoryAsync(AlarmHistoryQuery query, CancellationToken cancellationToken);

    /// <summary>Anomaly windows of a machine whose trigger falls in the range, oldest first.</summary>
    Task<IReadOnlyList<AnomalyWindow>> AnomalyWindowsAsync(string line, string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>How many summaries are stored, of one line or of all (operations and tests: was every summary stored exactly once?).</summary>
    Task<long> CountSummariesAsync(string? line, CancellationToken cancellationToken);
}

/// <summary>What one write stores. Any list may be empty.</summary>
public sealed record TelemetryBatch(
    IReadOnlyList<SensorSummary> Summaries,
    IReadOnlyList<MachineHealth> Health,
    IReadOnlyList<AlarmEvent> Alarms,
    IReadOnlyList<AnomalyWindow> AnomalyWindows)
{
    public static TelemetryBatch Empty { get; } = new([], [], [], []);

    public int Count => Summaries.Count + Health.Count + Alarms.Count + AnomalyWindows.Count;
}

/// <summary>A sensor's values from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive), in buckets of <see cref="Bucket"/> aligned to the Unix epoch.</summary>
public sealed record SensorQuery(string Line, string Machine, string Sensor, DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket);

/// <summary>
/// One bucket of a sensor: the summaries whose start falls in it, combined (min of minimums,
/// max of maximums, count-weighted mean, last of the newest).
/// </summary>
public sealed record SensorBucket(DateTimeOffset Start, double Min, double Max, double Mean, double Last, long Count);

/// <summary>A machine's health from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive), in buckets of <see cref="Bucket"/> aligned to the Unix epoch.</summary>
public sealed record HealthQuery(string Line, string Machine, DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket);

/// <summary>
/// One bucket of a machine's health: the intervals whose start falls in it, combined (the mean of
/// their mean scores, the largest score, the newest threshold and state).
/// </summary>
/// <param name="MeanScore">Mean of the intervals' mean scores; null if none was scored.</param>
/// <param name="MaxScore">The largest score; null if none was scored.</param>
/// <param name="Threshold">The newest threshold; null without a model.</param>
/// <param name="State">The state at the end of the newest interval.</param>
/// <param name="Intervals">How many health intervals the bucket holds.</param>
public sealed record HealthBucket(DateTimeOffset Start, double? MeanScore, double? MaxScore, double? Threshold, string State, long Intervals);

/// <summary>The operating states (as the edge writes them) that end a machine's run: the next run starts after them.</summary>
public static class DowntimeStates
{
    public const string Failed = "failed";
    public const string Maintenance = "maintenance";

    public static bool Contains(string state) => state is Failed or Maintenance;
}

/// <summary>The newest known state of one machine.</summary>
public sealed record MachineLatest(string Line, string Machine, MachineHealth? Health, IReadOnlyList<SensorSummary> Sensors);

/// <summary>Alarm events in [<see cref="From"/>, <see cref="To"/>), of one line and machine or all, at most <see cref="Limit"/>, newest first.</summary>
public sealed record AlarmHistoryQuery(DateTimeOffset From, DateTimeOffset To, string? Line = null, string? Machine = null, int Limit = 1000);

/// <summary>The store refused a write or a query, or could not be reached.</summary>
public sealed class TelemetryStoreException : Exception
{
    public TelemetryStoreException(string message, bool transient)
        : base(message)
    {
        Transient = transient;
    }

    public TelemetryStoreException(string message, bool transient, Exception innerException)
        : base(message, innerException)
    {
        Transient = transient;
    }

    /// <summary>True if trying again later may succeed (unreachable, timeout, 5xx); false if the data itself was refused (4xx).</summary>
    public bool Transient { get; }
}
