using System.Collections.Immutable;
using Factory.Plant.Model;
using AlarmEvent = Factory.Contracts.Alarms.AlarmEvent;
using AlarmEventTypes = Factory.Contracts.Alarms.AlarmEventTypes;

namespace Factory.Edge.Alarms;

/// <summary>
/// One alarm of a line and where it stands in its ISA-18.2 lifecycle: its state (A to D), the
/// process condition underneath (tracked also while the alarm is hidden), shelved, suppressed by
/// design, out of service, the occurrence that raised it and who did what. Immutable: changed
/// only by <see cref="Apply"/>, which the <see cref="AlarmBook"/> calls.
/// </summary>
public sealed record Alarm
{
    public required AlarmDefinition Definition { get; init; }

    /// <summary>The ISA-18.2 state; always <see cref="AlarmState.Normal"/> while the alarm is hidden.</summary>
    public AlarmState State { get; init; }

    /// <summary>Whether the process condition is active now.</summary>
    public bool ConditionActive { get; init; }

    /// <summary>The priority of the last activation (the definition's before the first).</summary>
    public AlarmPriority Priority { get; init; }

    /// <summary>The last time the condition became active, with the evidence that raised it.</summary>
    public AlarmActivation? Activation { get; init; }

    /// <summary>When the condition last cleared, if it has since <see cref="Activation"/>.</summary>
    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>Who acknowledged the current occurrence, when, with what comment.</summary>
    public AlarmAction? Acknowledgement { get; init; }

    public AlarmShelve? Shelve { get; init; }

    /// <summary>Why it is suppressed by design ("cnc-01 stopped"), and since when; null if it is not.</summary>
    public AlarmSuppression? Suppression { get; init; }

    /// <summary>Who took it out of service, when and why; null if it is in service.</summary>
    public AlarmAction? OutOfService { get; init; }

    public DateTimeOffset? LastChange { get; init; }

    /// <summary>What happened to it, oldest first, at most <see cref="AlarmBookOptions.HistoryLimit"/> entries (the journal keeps all).</summary>
    public ImmutableList<AlarmEvent> History { get; init; } = [];

    public string Id => Definition.Id;

    public AlarmKind Kind => Definition.Kind;

    public bool IsShelved => Shelve is not null;

    public bool IsSuppressed => Suppression is not null;

    public bool IsOutOfService => OutOfService is not null;

    /// <summary>Shelved, suppressed or out of service: not annunciated whatever its condition.</summary>
    public bool IsHidden => IsShelved || IsSuppressed || IsOutOfService;

    /// <summary>Shown on the panel: unacknowledged, acknowledged active, or returned unacknowledged.</summary>
    public bool IsAnnunciated => State != AlarmState.Normal;

    /// <summary>The message of the last activation, or what the alarm is about before the first.</summary>
    public string Message => Activation?.Message ?? Definition.Message(null);

    internal static Alarm Create(AlarmDefinition definition) => new() { Definition = definition, Priority = definition.Priority };

    /// <summary>The alarm after <paramref name="e"/>, which must be about it.</summary>
    internal Alarm Apply(AlarmChanged e, int historyLimit)
    {
        var next = e switch
        {
            AlarmActivated a => this with
            {
                ConditionActive = true,
                Priority = a.Priority,
                Activation = new AlarmActivation(a.Time, a.Value, a.Score, a.Threshold, a.Message),
                ClearedAt = null,
                Acknowledgement = null,
            },
            AlarmCleared c => this with { ConditionActive = false, ClearedAt = c.Time },
            AlarmAcknowledged a => this with { Acknowledgement = new AlarmAction(a.User, a.Time, a.Comment) },
            AlarmShelved s => this with { Shelve = new AlarmShelve(s.User, s.Time, s.Until, s.Comment), Acknowledgement = null },
            AlarmUnshelved or AlarmShelveExpired => this with { Shelve = null },
            AlarmSuppressed s => this with { Suppression = new AlarmSuppression(s.Reason, s.Time), Acknowledgement = null },
            AlarmUnsuppressed => this with { Suppression = null },
            AlarmRemovedFromService r => this with { OutOfService = new AlarmAction(r.User, r.Time, r.Comment), Shelve = null, Acknowledgement = null },
            AlarmReturnedToService => this with { OutOfService = null },
            _ => this,
        };

        // Coming back from shelved, suppressed or out of service with the condition still active
        // is a new annunciation: nobody has acknowledged this occurrence yet.
        if (e.State == AlarmState.Unacknowledged && e is not AlarmActivated)
        {
            next = next with { Acknowledgement = null };
        }

        next = next with { State = e.State, LastChange = e.Time };
        var history = next.History.Add(next.Describe(e));
        while (history.Count > historyLimit)
        {
            history = history.RemoveAt(0);
        }

        return next with { History = history };
    }

    /// <summary>The wire form of <paramref name="e"/>, this being the alarm after it.</summary>
    internal AlarmEvent Describe(AlarmChanged e)
    {
        var d = Definition;
        var (type, value, user, comment) = e switch
        {
            AlarmActivated a => (AlarmEventTypes.Activated, a.Value, null, null),
            AlarmCleared c => (AlarmEventTypes.Cleared, c.Value, null, null),
            AlarmAcknowledged a => (AlarmEventTypes.Acknowledged, Activation?.Value, a.User, a.Comment),
            AlarmShelved s => (AlarmEventTypes.Shelved, Activation?.Value, s.User, s.Comment),
            AlarmUnshelved u => (AlarmEventTypes.Unshelved, Activation?.Value, u.User, u.Comment),
            AlarmShelveExpired => (AlarmEventTypes.ShelveExpired, Activation?.Value, (string?)null, (string?)null),
            AlarmSuppressed s => (AlarmEventTypes.Suppressed, Activation?.Value, null, s.Reason),
            AlarmUnsuppressed u => (AlarmEventTypes.Unsuppressed, Activation?.Value, null, u.Reason),
            AlarmRemovedFromService r => (AlarmEventTypes.RemovedFromService, Activation?.Value, r.User, r.Comment),
            AlarmReturnedToService r => (AlarmEventTypes.ReturnedToService, Activation?.Value, r.User, r.Comment),
            AlarmCommented c => (AlarmEventTypes.Commented, Activation?.Value, c.User, c.Comment),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "not an alarm event"),
        };
        return new AlarmEvent(
            AlarmEvent.CurrentSchemaVersion,
            e.Sequence,
            d.Id,
            d.Line,
            d.Machine,
            d.Sensor,
            AlarmNames.Of(d.Kind),
            AlarmNames.Of(Priority),
            type,
            AlarmNames.Of(State),
            ConditionActive,
            IsShelved,
            IsSuppressed,
            IsOutOfService,
            e.Time,
            value,
            Activation?.Score,
            Activation?.Threshold,
            d.Limit,
            d.Unit,
            user,
            comment,
            Shelve?.Until,
            Message);
    }
}

/// <summary>A condition became active: when, and the evidence that raised it.</summary>
/// <param name="Value">The process value (for stale data, the seconds without data).</param>
/// <param name="Score">For anomaly alarms, the anomaly score.</param>
/// <param name="Threshold">For anomaly alarms, the threshold.</param>
/// <param name="Message">What the supervisor reads.</param>
public sealed record AlarmActivation(DateTimeOffset Time, double? Value, double? Score, double? Threshold, string Message);

/// <summary>Something a person did to an alarm.</summary>
public sealed record AlarmAction(string User, DateTimeOffset Time, string? Comment);

/// <summary>A shelve: who, when, until when, why.</summary>
public sealed record AlarmShelve(string User, DateTimeOffset Time, DateTimeOffset Until, string? Comment);

/// <summary>A suppression by design: why, since when.</summary>
public sealed record AlarmSuppression(string Reason, DateTimeOffset Since);
