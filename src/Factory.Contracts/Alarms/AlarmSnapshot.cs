namespace Factory.Contracts.Alarms;

/// <summary>
/// The current state of one alarm, one row of the line-side panel's alarm list. Serialized with
/// <see cref="AlarmJsonContext"/>; docs/alarms.md shows the JSON shape.
/// </summary>
/// <param name="SchemaVersion">The version of this shape: <see cref="CurrentSchemaVersion"/>.</param>
/// <param name="AlarmId">The alarm id, e.g. <c>line-1/cnc-01/spindle-vibration-rms/hh</c>.</param>
/// <param name="Kind">One of <see cref="AlarmKinds"/>.</param>
/// <param name="Priority">One of <see cref="AlarmPriorities"/>.</param>
/// <param name="State">One of <see cref="AlarmStates"/>.</param>
/// <param name="ConditionActive">Whether the process condition is active now.</param>
/// <param name="Grouped">Whether the panel shows the alarm inside the flood group rather than on its own line.</param>
/// <param name="SuppressionReason">Why it is suppressed by design, e.g. "cnc-01 stopped".</param>
/// <param name="ActivatedAt">When the condition last became active (the occurrence the message, value and score describe).</param>
/// <param name="ClearedAt">When the condition last cleared, if it has since then.</param>
/// <param name="LastChange">The time of the alarm's last event.</param>
/// <param name="Message">What a supervisor reads about the last activation.</param>
public sealed record AlarmSnapshot(
    int SchemaVersion,
    string AlarmId,
    string Line,
    string Machine,
    string? Sensor,
    string Kind,
    string Priority,
    string State,
    bool ConditionActive,
    bool Grouped,
    bool Shelved,
    DateTimeOffset? ShelvedUntil,
    string? ShelvedBy,
    bool Suppressed,
    string? SuppressionReason,
    bool OutOfService,
    string? OutOfServiceBy,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? ClearedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    string? AcknowledgeComment,
    double? Value,
    double? Score,
    double? Threshold,
    double? Limit,
    string? Unit,
    DateTimeOffset? LastChange,
    string Message)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;
}
