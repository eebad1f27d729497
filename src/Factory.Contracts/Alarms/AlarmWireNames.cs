namespace Factory.Contracts.Alarms;

/// <summary>
/// The values of <see cref="AlarmEvent.Kind"/> and <see cref="AlarmSnapshot.Kind"/>: what raised
/// an alarm. The wire carries these texts rather than numbers so that a reader in any language,
/// and a person reading a journal, understands them without our enums.
/// </summary>
public static class AlarmKinds
{
    /// <summary>High-high limit: the value is above the sensor's HH limit.</summary>
    public const string HighHigh = "hh";

    /// <summary>High limit.</summary>
    public const string High = "h";

    /// <summary>Low limit.</summary>
    public const string Low = "l";

    /// <summary>Low-low limit.</summary>
    public const string LowLow = "ll";

    /// <summary>The machine's anomaly score is above its threshold.</summary>
    public const string Anomaly = "anomaly";

    /// <summary>The machine's data stopped arriving.</summary>
    public const string StaleData = "stale-data";

    public static IReadOnlyList<string> All { get; } = [HighHigh, High, Low, LowLow, Anomaly, StaleData];
}

/// <summary>
/// The values of <see cref="AlarmEvent.State"/> and <see cref="AlarmSnapshot.State"/>: the
/// ISA-18.2 alarm states A to D. Shelved, suppressed and out of service are flags beside them.
/// </summary>
public static class AlarmStates
{
    /// <summary>A: not annunciated (condition clear and acknowledged, or the alarm is hidden).</summary>
    public const string Normal = "normal";

    /// <summary>B: condition active, not yet acknowledged (UNACK).</summary>
    public const string Unacknowledged = "unack";

    /// <summary>C: condition active, acknowledged (ACKED).</summary>
    public const string Acknowledged = "acked";

    /// <summary>D: condition cleared before anyone acknowledged it (RTNUN).</summary>
    public const string ReturnedUnacknowledged = "rtnun";

    public static IReadOnlyList<string> All { get; } = [Normal, Unacknowledged, Acknowledged, ReturnedUnacknowledged];
}

/// <summary>The values of <see cref="AlarmEvent.EventType"/>: what happened to the alarm.</summary>
public static class AlarmEventTypes
{
    public const string Activated = "activated";
    public const string Cleared = "cleared";
    public const string Acknowledged = "acknowledged";
    public const string Shelved = "shelved";
    public const string Unshelved = "unshelved";
    public const string ShelveExpired = "shelve-expired";
    public const string Suppressed = "suppressed";
    public const string Unsuppressed = "unsuppressed";
    public const string RemovedFromService = "removed-from-service";
    public const string ReturnedToService = "returned-to-service";
    public const string Commented = "commented";

    public static IReadOnlyList<string> All { get; } =
    [
        Activated, Cleared, Acknowledged, Shelved, Unshelved, ShelveExpired, Suppressed, Unsuppressed,
        RemovedFromService, ReturnedToService, Commented,
    ];
}

/// <summary>The values of the priority fields: the four ISA-18.2 priorities, lowest first.</summary>
public static class AlarmPriorities
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Urgent = "urgent";

    public static IReadOnlyList<string> All { get; } = [Low, Medium, High, Urgent];

    /// <summary>The order lists show alarms in: urgent 0, high 1, medium 2, anything else (low) 3.</summary>
    public static int Rank(string priority) => priority switch
    {
        Urgent => 0,
        High => 1,
        Medium => 2,
        _ => 3,
    };
}

/// <summary>The values of <see cref="AlarmFloodEvent.EventType"/>.</summary>
public static class AlarmFloodEventTypes
{
    public const string Started = "flood-started";
    public const string Ended = "flood-ended";
}
