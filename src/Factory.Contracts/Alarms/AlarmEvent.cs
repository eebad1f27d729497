namespace Factory.Contracts.Alarms;

/// <summary>
/// One thing that happened to one alarm of a line, as the line-side panel's live stream and the
/// cloud receive it. Serialized with <see cref="AlarmJsonContext"/> (camelCase field names, every
/// field always present, null where it does not apply); docs/alarms.md shows the JSON shape.
/// </summary>
/// <param name="SchemaVersion">The version of this shape: <see cref="CurrentSchemaVersion"/>.</param>
/// <param name="Sequence">Position of the event in its line's alarm journal, from 1, without gaps; (line, sequence) identifies it for idempotent ingest.</param>
/// <param name="AlarmId">e.g. <c>line-1/cnc-01/spindle-vibration-rms/hh</c>, <c>line-1/cnc-01/anomaly</c>.</param>
/// <param name="Line">The line id.</param>
/// <param name="Machine">The machine id.</param>
/// <param name="Sensor">The sensor id of a limit alarm; null for machine alarms (anomaly, stale data).</param>
/// <param name="Kind">One of <see cref="AlarmKinds"/>.</param>
/// <param name="Priority">One of <see cref="AlarmPriorities"/>.</param>
/// <param name="EventType">One of <see cref="AlarmEventTypes"/>.</param>
/// <param name="State">The ISA-18.2 state after the event, one of <see cref="AlarmStates"/>.</param>
/// <param name="ConditionActive">Whether the process condition is active after the event (tracked also while the alarm is hidden).</param>
/// <param name="Shelved">Whether the alarm is shelved after the event.</param>
/// <param name="Suppressed">Whether the alarm is suppressed by design (its machine stopped or idle) after the event.</param>
/// <param name="OutOfService">Whether the alarm is out of service after the event.</param>
/// <param name="Time">When it happened (UTC, ISO 8601): the sample's source time for condition changes, the edge's clock for people's actions.</param>
/// <param name="Value">The process value that raised or cleared the condition; for stale data the seconds without data.</param>
/// <param name="Score">For anomaly alarms, the anomaly score that raised it.</param>
/// <param name="Threshold">For anomaly alarms, the score threshold.</param>
/// <param name="Limit">For limit alarms, the limit.</param>
/// <param name="Unit">The engineering unit of value and limit, e.g. mm/s.</param>
/// <param name="User">Who acknowledged, shelved, unshelved, commented, removed from or returned to service.</param>
/// <param name="Comment">Their comment, or the reason of a suppression.</param>
/// <param name="ShelvedUntil">When the shelve expires, while shelved.</param>
/// <param name="Message">What a supervisor reads, e.g. "Spindle vibration RMS above HH limit 4.5 mm/s: 5.2 mm/s".</param>
public sealed record AlarmEvent(
    int SchemaVersion,
    long Sequence,
    string AlarmId,
    string Line,
    string Machine,
    string? Sensor,
    string Kind,
    string Priority,
    string EventType,
    string State,
    bool ConditionActive,
    bool Shelved,
    bool Suppressed,
    bool OutOfService,
    DateTimeOffset Time,
    double? Value,
    double? Score,
    double? Threshold,
    double? Limit,
    string? Unit,
    string? User,
    string? Comment,
    DateTimeOffset? ShelvedUntil,
    string Message)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;
}
