namespace Factory.Edge.Alarms;

/// <summary>What raises an alarm. The four limit kinds come first, in the order of <see cref="LimitMonitor"/>.</summary>
public enum AlarmKind
{
    HighHigh,
    High,
    Low,
    LowLow,

    /// <summary>The machine's anomaly score is above its threshold.</summary>
    Anomaly,

    /// <summary>The machine's data stopped arriving.</summary>
    StaleData,
}

/// <summary>
/// The ISA-18.2 alarm states A to D. Shelved (E), suppressed by design (F) and out of service (G)
/// are kept beside the state by <see cref="Alarm"/>: an alarm in one of them is in
/// <see cref="Normal"/> here, and returns from it to <see cref="Unacknowledged"/> if its condition
/// is still active.
/// </summary>
public enum AlarmState
{
    /// <summary>A: nothing to show: condition clear and acknowledged, or the alarm hidden.</summary>
    Normal,

    /// <summary>B: condition active, not yet acknowledged (UNACK).</summary>
    Unacknowledged,

    /// <summary>C: condition active, acknowledged (ACKED).</summary>
    Acknowledged,

    /// <summary>D: condition cleared before anyone acknowledged it (RTNUN).</summary>
    ReturnedUnacknowledged,
}

/// <summary>The wire names of the alarm enums (Factory.Contracts.Alarms), and the short names used in alarm ids.</summary>
public static class AlarmNames
{
    /// <summary>hh, h, l, ll, anomaly, stale-data: also the last segment of the alarm's id.</summary>
    public static string Of(AlarmKind kind) => kind switch
    {
        AlarmKind.HighHigh => Contracts.Alarms.AlarmKinds.HighHigh,
        AlarmKind.High => Contracts.Alarms.AlarmKinds.High,
        AlarmKind.Low => Contracts.Alarms.AlarmKinds.Low,
        AlarmKind.LowLow => Contracts.Alarms.AlarmKinds.LowLow,
        AlarmKind.Anomaly => Contracts.Alarms.AlarmKinds.Anomaly,
        AlarmKind.StaleData => Contracts.Alarms.AlarmKinds.StaleData,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an alarm kind"),
    };

    public static string Of(AlarmState state) => state switch
    {
        AlarmState.Normal => Contracts.Alarms.AlarmStates.Normal,
        AlarmState.Unacknowledged => Contracts.Alarms.AlarmStates.Unacknowledged,
        AlarmState.Acknowledged => Contracts.Alarms.AlarmStates.Acknowledged,
        AlarmState.ReturnedUnacknowledged => Contracts.Alarms.AlarmStates.ReturnedUnacknowledged,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not an alarm state"),
    };

    public static string Of(Plant.Model.AlarmPriority priority) => priority switch
    {
        Plant.Model.AlarmPriority.Low => Contracts.Alarms.AlarmPriorities.Low,
        Plant.Model.AlarmPriority.Medium => Contracts.Alarms.AlarmPriorities.Medium,
        Plant.Model.AlarmPriority.High => Contracts.Alarms.AlarmPriorities.High,
        Plant.Model.AlarmPriority.Urgent => Contracts.Alarms.AlarmPriorities.Urgent,
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, "not an alarm priority"),
    };

    /// <summary>The abbreviation supervisors read in messages: HH, H, L, LL.</summary>
    internal static string Abbreviation(AlarmKind kind) => kind switch
    {
        AlarmKind.HighHigh => "HH",
        AlarmKind.High => "H",
        AlarmKind.Low => "L",
        AlarmKind.LowLow => "LL",
        _ => kind.ToString(),
    };

    internal static bool IsLimit(this AlarmKind kind) => kind <= AlarmKind.LowLow;

    internal static bool IsHighLimit(this AlarmKind kind) => kind is AlarmKind.HighHigh or AlarmKind.High;
}
