using Factory.Edge.Telemetry;

namespace Factory.Edge.Alarms;

/// <summary>
/// What an <see cref="AlarmBook"/> is asked to do. <see cref="AlarmBook.Handle"/> decides each
/// against the book's state and the current time, and answers with events or a refusal.
/// </summary>
public abstract record AlarmBookCommand;

// What the process does (sent by the machine actors).

/// <summary>
/// A condition became active: a limit was passed (<see cref="LimitChange.ToCommand"/>), the
/// anomaly score went above its threshold, a machine's data stopped.
/// </summary>
/// <param name="Time">When (the sample's source time).</param>
/// <param name="Value">The value that raised it; for stale data the seconds without data.</param>
/// <param name="Score">For anomaly alarms, the score that raised it.</param>
/// <param name="Threshold">For anomaly alarms, the threshold the score passed.</param>
public sealed record ActivateCondition(string AlarmId, DateTimeOffset Time, double? Value, double? Score = null, double? Threshold = null) : AlarmBookCommand;

/// <summary>A condition cleared.</summary>
public sealed record ClearCondition(string AlarmId, DateTimeOffset Time, double? Value = null) : AlarmBookCommand;

/// <summary>
/// A machine's status node reported its operating state. Stopped, idle and maintenance suppress
/// the machine's alarms that such a machine naturally raises (low limits, anomaly: see
/// <see cref="AlarmBookOptions.SuppressedKinds"/>); running releases them after
/// <see cref="AlarmBookOptions.SuppressionReleaseDelay"/>.
/// </summary>
public sealed record ReportMachineState(string Machine, MachineOperatingState State, DateTimeOffset Time) : AlarmBookCommand;

// What people do (sent by the line-side panel). The time is the edge's clock when handled.

/// <summary>Acknowledge an unacknowledged alarm (active or returned to normal).</summary>
public sealed record Acknowledge(string AlarmId, string User, string? Comment = null) : AlarmBookCommand;

/// <summary>Acknowledge every unacknowledged alarm of the flood group at once.</summary>
public sealed record AcknowledgeGroup(string User, string? Comment = null) : AlarmBookCommand;

/// <summary>Hide an alarm until <paramref name="Until"/>, at most <see cref="AlarmBookOptions.MaxShelveDuration"/> ahead.</summary>
public sealed record Shelve(string AlarmId, string User, DateTimeOffset Until, string? Comment = null) : AlarmBookCommand;

/// <summary>End a shelve before it expires.</summary>
public sealed record Unshelve(string AlarmId, string User, string? Comment = null) : AlarmBookCommand;

/// <summary>Take an alarm out of service (e.g. its sensor is being replaced); a reason is required.</summary>
public sealed record RemoveFromService(string AlarmId, string User, string Comment) : AlarmBookCommand;

/// <summary>Put an alarm back into service.</summary>
public sealed record ReturnToService(string AlarmId, string User, string? Comment = null) : AlarmBookCommand;

/// <summary>Add a note to an alarm's history, in any state.</summary>
public sealed record AddComment(string AlarmId, string User, string Comment) : AlarmBookCommand;

// Time.

/// <summary>
/// Let time pass: decides what fell due (shelve expiries, the end of a flood, suppression
/// released after a start-up). Every command does this first; send this one at
/// <see cref="AlarmBook.NextDue"/> when no other command comes.
/// </summary>
public sealed record Tick : AlarmBookCommand;
