using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Factory.Contracts.Alarms;
using Factory.Edge.Telemetry;

namespace Factory.Edge.Alarms;

/// <summary>
/// Every alarm of one line and what the line-side panel shows of them: the ISA-18.2 lifecycle
/// of each alarm, suppression by design while machines are stopped, shelving, out of service,
/// flood detection and grouping, the alarm rate. Pure and immutable: <see cref="Handle"/> decides
/// a command into events, <see cref="Apply(AlarmBookEvent)"/> returns the book after an event, so
/// the line's actor owns one and a restart rebuilds it from the journal with <see cref="Replay"/>.
/// </summary>
public sealed partial class AlarmBook
{
    private ImmutableDictionary<string, Alarm> _alarms;
    private ImmutableDictionary<string, MachineStatus> _machines;

    // Expiry of each shelved alarm, and when each machine that runs again releases its suppressed
    // alarms: kept apart so that deciding what fell due does not walk every alarm of the line.
    private ImmutableDictionary<string, DateTimeOffset> _shelves;
    private ImmutableDictionary<string, DateTimeOffset> _releases;

    // Times of annunciated activations within the flood window of the newest, ascending.
    private ImmutableList<DateTimeOffset> _recent;

    // Annunciated activations per 10-minute period (start, UTC), within the rate retention.
    private ImmutableSortedDictionary<DateTimeOffset, int> _rate;

    private DateTimeOffset? _nextDue;
    private bool _nextDueKnown;

    /// <summary>A book with every alarm of <paramref name="catalog"/> in Normal.</summary>
    /// <exception cref="ArgumentException">An option makes no sense (<see cref="AlarmBookOptions.Validate"/>).</exception>
    public AlarmBook(AlarmCatalog catalog, AlarmBookOptions? options = null)
    {
        options ??= new AlarmBookOptions();
        options.Validate();
        Catalog = catalog;
        Options = options;
        _alarms = catalog.Definitions.ToImmutableDictionary(d => d.Id, Alarm.Create, StringComparer.Ordinal);
        _machines = ImmutableDictionary.Create<string, MachineStatus>(StringComparer.Ordinal);
        _shelves = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);
        _releases = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);
        _recent = [];
        _rate = ImmutableSortedDictionary<DateTimeOffset, int>.Empty;
    }

    public AlarmCatalog Catalog { get; }

    public AlarmBookOptions Options { get; }

    public string Line => Catalog.Line;

    /// <summary>The sequence number of the last event applied; the next event gets this + 1.</summary>
    public long LastSequence { get; private set; }

    /// <summary>When the current alarm flood began; null when there is none.</summary>
    public DateTimeOffset? FloodSince { get; private set; }

    public bool InFlood => FloodSince is not null;

    /// <summary>Every alarm of the line, in no particular order.</summary>
    public IEnumerable<Alarm> Alarms => _alarms.Values;

    public Alarm this[string alarmId] =>
        _alarms.TryGetValue(alarmId, out var alarm) ? alarm : throw new KeyNotFoundException($"Line {Line} has no alarm '{alarmId}'.");

    /// <summary>
    /// The earliest time something falls due if no command comes before: a shelve expiring,
    /// suppressed alarms released after a start-up, the end of a flood. Send <see cref="Tick"/>
    /// then. Null when nothing is pending.
    /// </summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            // The book never changes, so the answer is kept; Apply makes a new book without it.
            // Threads that race here compute the same value; the flag is published after it.
            if (!Volatile.Read(ref _nextDueKnown))
            {
                _nextDue = EarliestDue();
                Volatile.Write(ref _nextDueKnown, true);
            }

            return _nextDue;
        }
    }

    /// <summary>The book after the events of a journal, in order.</summary>
    public static AlarmBook Replay(AlarmCatalog catalog, IEnumerable<AlarmBookEvent> events, AlarmBookOptions? options = null) =>
        new AlarmBook(catalog, options).Apply(events);

    public AlarmBook Apply(IEnumerable<AlarmBookEvent> events)
    {
        var book = this;
        foreach (var e in events)
        {
            book = book.Apply(e);
        }

        return book;
    }

    /// <summary>
    /// The book after <paramref name="e"/>. An event whose sequence number is not above
    /// <see cref="LastSequence"/> was applied already and changes nothing, so replaying a journal
    /// twice is harmless. An event about an alarm the catalog no longer has (the plant
    /// configuration changed) keeps that alarm, rebuilt from its id, so nothing recorded is lost.
    /// </summary>
    public AlarmBook Apply(AlarmBookEvent e)
    {
        if (e.Sequence <= LastSequence)
        {
            return this;
        }

        var next = (AlarmBook)MemberwiseClone();
        next.LastSequence = e.Sequence;
        next._nextDueKnown = false;
        switch (e)
        {
            case AlarmChanged change:
                next.ApplyToAlarm(change);
                break;
            case MachineStateChanged machine:
                next._machines = _machines.SetItem(machine.Machine, new MachineStatus(machine.State, machine.Time));
                next._releases = !Options.SuppressingStates.Contains(machine.State) && HoldsSuppressed(machine.Machine)
                    ? _releases.SetItem(machine.Machine, machine.Time + Options.SuppressionReleaseDelay)
                    : _releases.Remove(machine.Machine);
                break;
            case FloodStarted started:
                next.FloodSince = started.Time;
                break;
            case FloodEnded:
                next.FloodSince = null;
                break;
        }

        return next;
    }

    public bool TryGet(string alarmId, [MaybeNullWhen(false)] out Alarm alarm) => _alarms.TryGetValue(alarmId, out alarm);

    /// <summary>
    /// Whether the journal says the condition of the alarm is active. After a restart, give the
    /// active limit conditions to their monitors (<see cref="LimitMonitor.RestoreActive"/>).
    /// </summary>
    public bool IsConditionActive(string alarmId) => _alarms.TryGetValue(alarmId, out var alarm) && alarm.ConditionActive;

    /// <summary>The last operating state a machine reported; Unknown before the first.</summary>
    public MachineOperatingState MachineState(string machine) =>
        _machines.TryGetValue(machine, out var status) ? status.State : MachineOperatingState.Unknown;

    /// <summary>Annunciated alarms (UNACK, ACKED, RTNUN), highest priority first, newest activation first within a priority.</summary>
    public IReadOnlyList<Alarm> Annunciated => InPanelOrder(_alarms.Values.Where(a => a.IsAnnunciated));

    /// <summary>What the panel shows: during a flood, the grouped alarms as one entry.</summary>
    public AlarmPanel Panel()
    {
        var annunciated = Annunciated;
        if (!InFlood)
        {
            return new AlarmPanel(annunciated, null);
        }

        return new AlarmPanel(
            [.. annunciated.Where(a => !IsGrouped(a))],
            new AlarmGroup(FloodSince!.Value, [.. annunciated.Where(IsGrouped)]));
    }

    /// <summary>Whether the panel shows the alarm inside the flood group.</summary>
    public bool IsGrouped(Alarm alarm) => InFlood && alarm.IsAnnunciated && alarm.Priority <= Options.GroupedPriorityCeiling;

    public IReadOnlyList<Alarm> Shelved => InPanelOrder(_alarms.Values.Where(a => a.IsShelved));

    public IReadOnlyList<Alarm> Suppressed => InPanelOrder(_alarms.Values.Where(a => a.IsSuppressed));

    public IReadOnlyList<Alarm> OutOfService => InPanelOrder(_alarms.Values.Where(a => a.IsOutOfService));

    /// <summary>What happened to an alarm, oldest first (the last <see cref="AlarmBookOptions.HistoryLimit"/> entries).</summary>
    public IReadOnlyList<AlarmEvent> History(string alarmId) => this[alarmId].History;

    /// <summary>The wire form of an alarm event this book has just applied; null for events that are not about one alarm.</summary>
    public AlarmEvent? ToAlarmEvent(AlarmBookEvent e)
    {
        if (e is not AlarmChanged change || !_alarms.TryGetValue(change.AlarmId, out var alarm))
        {
            return null;
        }

        for (var i = alarm.History.Count - 1; i >= 0; i--)
        {
            if (alarm.History[i].Sequence == e.Sequence)
            {
                return alarm.History[i];
            }
        }

        return null;
    }

    /// <summary>The wire form of a flood event; null for other events.</summary>
    public AlarmFloodEvent? ToFloodEvent(AlarmBookEvent e) => e switch
    {
        FloodStarted s => new AlarmFloodEvent(AlarmFloodEvent.CurrentSchemaVersion, s.Sequence, Line, AlarmFloodEventTypes.Started, s.Time, s.Activations, (int)Options.FloodWindow.TotalSeconds),
        FloodEnded f => new AlarmFloodEvent(AlarmFloodEvent.CurrentSchemaVersion, f.Sequence, Line, AlarmFloodEventTypes.Ended, f.Time, f.Activations, (int)Options.FloodWindow.TotalSeconds),
        _ => null,
    };

    public AlarmSnapshot Snapshot(string alarmId) => Snapshot(this[alarmId]);

    public AlarmSnapshot Snapshot(Alarm alarm)
    {
        var d = alarm.Definition;
        return new AlarmSnapshot(
            AlarmSnapshot.CurrentSchemaVersion,
            d.Id,
            d.Line,
            d.Machine,
            d.Sensor,
            AlarmNames.Of(d.Kind),
            AlarmNames.Of(alarm.Priority),
            AlarmNames.Of(alarm.State),
            alarm.ConditionActive,
            IsGrouped(alarm),
            alarm.IsShelved,
            alarm.Shelve?.Until,
            alarm.Shelve?.User,
            alarm.IsSuppressed,
            alarm.Suppression?.Reason,
            alarm.IsOutOfService,
            alarm.OutOfService?.User,
            alarm.Activation?.Time,
            alarm.ClearedAt,
            alarm.Acknowledgement?.Time,
            alarm.Acknowledgement?.User,
            alarm.Acknowledgement?.Comment,
            alarm.Activation?.Value,
            alarm.Activation?.Score,
            alarm.Activation?.Threshold,
            d.Limit,
            d.Unit,
            alarm.LastChange,
            alarm.Message);
    }

    private DateTimeOffset? EarliestDue()
    {
        var next = FloodEndDue();
        foreach (var (_, time) in _shelves)
        {
            next = next is null || time < next ? time : next;
        }

        foreach (var (_, time) in _releases)
        {
            next = next is null || time < next ? time : next;
        }

        return next;
    }

    private static IReadOnlyList<Alarm> InPanelOrder(IEnumerable<Alarm> alarms) =>
        [.. alarms
            .OrderByDescending(a => a.Priority)
            .ThenByDescending(a => a.Activation?.Time ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.Id, StringComparer.Ordinal)];

    private void ApplyToAlarm(AlarmChanged change)
    {
        if (!_alarms.TryGetValue(change.AlarmId, out var alarm))
        {
            if (Orphan(change) is not { } orphan)
            {
                return;
            }

            alarm = orphan;
        }

        var after = alarm.Apply(change, Options.HistoryLimit);
        _alarms = _alarms.SetItem(change.AlarmId, after);
        switch (change)
        {
            case AlarmActivated { State: AlarmState.Unacknowledged } activated:
                CountActivation(activated.Time);
                break;
            case AlarmShelved shelved:
                _shelves = _shelves.SetItem(change.AlarmId, shelved.Until);
                break;
            case AlarmUnshelved or AlarmShelveExpired or AlarmRemovedFromService:
                _shelves = _shelves.Remove(change.AlarmId);
                break;
            case AlarmUnsuppressed when !HoldsSuppressed(after.Definition.Machine):
                _releases = _releases.Remove(after.Definition.Machine);
                break;
        }
    }

    /// <summary>An alarm the catalog does not define, rebuilt from its id and the event; null if the id is not one.</summary>
    private static Alarm? Orphan(AlarmChanged change)
    {
        if (!AlarmIds.TryParse(change.AlarmId, out var line, out var machine, out var sensor, out var kind))
        {
            return null;
        }

        var priority = change is AlarmActivated activated ? activated.Priority : Plant.Model.AlarmPriority.Low;
        return Alarm.Create(new AlarmDefinition(change.AlarmId, line, machine, machine, sensor, sensor, kind, priority, null, null));
    }

    private bool HoldsSuppressed(string machine) =>
        _alarms.Values.Any(a => a.IsSuppressed && a.Definition.Machine == machine);

    private sealed record MachineStatus(MachineOperatingState State, DateTimeOffset Since);
}
