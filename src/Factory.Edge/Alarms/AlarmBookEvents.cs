using System.Text.Json.Serialization;
using Factory.Edge.Telemetry;
using Factory.Plant.Model;

namespace Factory.Edge.Alarms;

/// <summary>
/// What happened in an <see cref="AlarmBook"/>: the facts the alarm journal keeps, from which
/// <see cref="AlarmBook.Apply(AlarmBookEvent)"/> rebuilds the book after a restart.
/// </summary>
/// <param name="Sequence">Position in the line's journal, from 1, without gaps.</param>
/// <param name="Time">When it happened (UTC).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AlarmActivated), "activated")]
[JsonDerivedType(typeof(AlarmCleared), "cleared")]
[JsonDerivedType(typeof(AlarmAcknowledged), "acknowledged")]
[JsonDerivedType(typeof(AlarmShelved), "shelved")]
[JsonDerivedType(typeof(AlarmUnshelved), "unshelved")]
[JsonDerivedType(typeof(AlarmShelveExpired), "shelve-expired")]
[JsonDerivedType(typeof(AlarmSuppressed), "suppressed")]
[JsonDerivedType(typeof(AlarmUnsuppressed), "unsuppressed")]
[JsonDerivedType(typeof(AlarmRemovedFromService), "removed-from-service")]
[JsonDerivedType(typeof(AlarmReturnedToService), "returned-to-service")]
[JsonDerivedType(typeof(AlarmCommented), "commented")]
[JsonDerivedType(typeof(MachineStateChanged), "machine-state-changed")]
[JsonDerivedType(typeof(FloodStarted), "flood-started")]
[JsonDerivedType(typeof(FloodEnded), "flood-ended")]
public abstract record AlarmBookEvent(long Sequence, DateTimeOffset Time);

/// <summary>Something happened to one alarm.</summary>
/// <param name="State">The alarm's ISA-18.2 state after the event.</param>
public abstract record AlarmChanged(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State) : AlarmBookEvent(Sequence, Time);

/// <summary>
/// The alarm's condition became active. <paramref name="State"/> is Unacknowledged when it is
/// annunciated, Normal when the alarm is shelved, suppressed or out of service (then only the
/// condition is recorded).
/// </summary>
public sealed record AlarmActivated(
    long Sequence,
    DateTimeOffset Time,
    string AlarmId,
    AlarmState State,
    AlarmPriority Priority,
    double? Value,
    double? Score,
    double? Threshold,
    string Message) : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmCleared(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, double? Value)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmAcknowledged(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string User, string? Comment)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmShelved(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string User, DateTimeOffset Until, string? Comment)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmUnshelved(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string User, string? Comment)
    : AlarmChanged(Sequence, Time, AlarmId, State);

/// <summary>The shelve ran out; <paramref name="Time"/> is its expiry.</summary>
public sealed record AlarmShelveExpired(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State)
    : AlarmChanged(Sequence, Time, AlarmId, State);

/// <summary>Suppressed by design, e.g. because its machine stopped (<paramref name="Reason"/>: "cnc-01 stopped").</summary>
public sealed record AlarmSuppressed(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string Reason)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmUnsuppressed(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string Reason)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmRemovedFromService(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string User, string Comment)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmReturnedToService(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string User, string? Comment)
    : AlarmChanged(Sequence, Time, AlarmId, State);

public sealed record AlarmCommented(long Sequence, DateTimeOffset Time, string AlarmId, AlarmState State, string User, string Comment)
    : AlarmChanged(Sequence, Time, AlarmId, State);

/// <summary>A machine's reported operating state changed; kept so that a restart knows what is suppressed and when it is released.</summary>
public sealed record MachineStateChanged(long Sequence, DateTimeOffset Time, string Machine, MachineOperatingState State)
    : AlarmBookEvent(Sequence, Time);

/// <summary>More than <see cref="AlarmBookOptions.FloodThreshold"/> alarms were annunciated within <see cref="AlarmBookOptions.FloodWindow"/>.</summary>
/// <param name="Activations">Annunciated activations in the window ending at <paramref name="Time"/>.</param>
public sealed record FloodStarted(long Sequence, DateTimeOffset Time, int Activations) : AlarmBookEvent(Sequence, Time);

/// <summary>Fewer than <see cref="AlarmBookOptions.FloodEndThreshold"/> alarms in the window ending at <paramref name="Time"/>.</summary>
public sealed record FloodEnded(long Sequence, DateTimeOffset Time, int Activations) : AlarmBookEvent(Sequence, Time);
