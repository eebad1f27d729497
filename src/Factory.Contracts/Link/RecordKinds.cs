namespace Factory.Contracts.Link;

/// <summary>
/// The values of <see cref="LinkRecord.Kind"/>: what a record sent from the edge to the cloud holds.
/// Texts rather than numbers, so that a reader in any language understands them.
/// </summary>
public static class RecordKinds
{
    /// <summary>An <see cref="Alarms.AlarmEvent"/>.</summary>
    public const string Alarm = "alarm";

    /// <summary>A <see cref="Telemetry.SensorSummary"/>.</summary>
    public const string Summary = "summary";

    /// <summary>A <see cref="Telemetry.MachineHealth"/>.</summary>
    public const string Health = "health";

    /// <summary>An <see cref="Telemetry.AnomalyWindow"/>.</summary>
    public const string AnomalyWindow = "anomaly-window";

    public static IReadOnlyList<string> All { get; } = [Alarm, Summary, Health, AnomalyWindow];
}
