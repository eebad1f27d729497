using System.Globalization;
using Factory.Edge.Telemetry;

namespace Factory.Edge.Alarms;

// Handle: what each command does in each state, and what is refused (docs/alarms.md has the table).
public sealed partial class AlarmBook
{
    /// <summary>
    /// Decides <paramref name="command"/> at <paramref name="now"/> (UTC, the edge's clock). First
    /// lets time pass: what fell due by <paramref name="now"/> (a shelve expiring, suppressed alarms
    /// released after a start-up, the end of a flood) is decided at the time it fell due. Then the
    /// command: events, nothing (it changes nothing, e.g. a condition reported active twice), or a
    /// refusal with the reason. Pure: the book is not changed; <see cref="AlarmDecision.Book"/> is
    /// the book after the events.
    /// </summary>
    public AlarmDecision Handle(AlarmBookCommand command, DateTimeOffset now)
    {
        var decision = new Pending(this);
        PassTime(decision, now);
        var book = decision.Book;
        var refusal = command switch
        {
            ActivateCondition c => book.Activate(decision, c),
            ClearCondition c => book.Clear(decision, c),
            ReportMachineState c => book.ReportMachineState(decision, c),
            Acknowledge c => book.Acknowledge(decision, c, now),
            AcknowledgeGroup c => book.AcknowledgeGroup(decision, c, now),
            Shelve c => book.Shelve(decision, c, now),
            Unshelve c => book.Unshelve(decision, c, now),
            RemoveFromService c => book.RemoveFromService(decision, c, now),
            ReturnToService c => book.ReturnToService(decision, c, now),
            AddComment c => book.AddComment(decision, c, now),
            Tick => null,
            _ => $"The alarm book of line {Line} does not know the command {command.GetType().Name}.",
        };
        return new AlarmDecision(decision.Events, refusal, decision.Book);
    }

    private static void PassTime(Pending decision, DateTimeOffset now)
    {
        var book = decision.Book;
        if (book.NextDue is not { } next || next > now)
        {
            return;
        }

        var due = new List<(DateTimeOffset Time, int Order, string Key)>();
        due.AddRange(book._shelves.Where(s => s.Value <= now).Select(s => (s.Value, 0, s.Key)));
        due.AddRange(book._releases.Where(r => r.Value <= now).Select(r => (r.Value, 1, r.Key)));
        if (book.FloodEndDue() is { } floodEnd && floodEnd <= now)
        {
            due.Add((floodEnd, 2, string.Empty));
        }

        foreach (var (time, order, key) in due.OrderBy(d => d.Time).ThenBy(d => d.Order).ThenBy(d => d.Key, StringComparer.Ordinal))
        {
            book = decision.Book;
            switch (order)
            {
                case 0:
                    var alarm = book._alarms[key];
                    decision.Emit(new AlarmShelveExpired(decision.Next, time, key, StateOnReturn(alarm with { Shelve = null })));
                    break;
                case 1:
                    book.Release(decision, key, time);
                    break;
                default:
                    decision.Emit(new FloodEnded(decision.Next, time, book.ActivationsInWindow(time)));
                    break;
            }
        }
    }

    private string? Activate(Pending decision, ActivateCondition c)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if ((NotANumber(c.Value, "value") ?? NotANumber(c.Score, "score") ?? NotANumber(c.Threshold, "threshold")) is { } bad)
        {
            return $"{c.AlarmId}: {bad}";
        }

        if (alarm.ConditionActive)
        {
            return null;
        }

        var state = alarm.IsHidden ? AlarmState.Normal : AlarmState.Unacknowledged;
        decision.Emit(new AlarmActivated(
            decision.Next, c.Time, c.AlarmId, state, alarm.Definition.Priority, c.Value, c.Score, c.Threshold,
            alarm.Definition.Message(c.Value, c.Score, c.Threshold)));
        var book = decision.Book;
        if (state == AlarmState.Unacknowledged && !book.InFlood && book.ActivationsInWindow(c.Time) is var count && count > Options.FloodThreshold)
        {
            decision.Emit(new FloodStarted(decision.Next, c.Time, count));
        }

        return null;
    }

    private string? Clear(Pending decision, ClearCondition c)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (NotANumber(c.Value, "value") is { } bad)
        {
            return $"{c.AlarmId}: {bad}";
        }

        if (!alarm.ConditionActive)
        {
            return null;
        }

        var state = alarm.State switch
        {
            AlarmState.Unacknowledged => AlarmState.ReturnedUnacknowledged,
            _ => AlarmState.Normal,
        };
        decision.Emit(new AlarmCleared(decision.Next, c.Time, c.AlarmId, state, c.Value));
        return null;
    }

    private string? ReportMachineState(Pending decision, ReportMachineState c)
    {
        var definitions = Catalog.OfMachine(c.Machine);
        if (definitions.Count == 0)
        {
            return $"Line {Line} has no machine '{c.Machine}'.";
        }

        if (MachineState(c.Machine) == c.State)
        {
            return null;
        }

        decision.Emit(new MachineStateChanged(decision.Next, c.Time, c.Machine, c.State));
        if (Options.SuppressingStates.Contains(c.State))
        {
            var reason = $"{definitions[0].MachineName} {Word(c.State)}";
            foreach (var definition in definitions)
            {
                if (Options.SuppressedKinds.Contains(definition.Kind) && !decision.Book._alarms[definition.Id].IsSuppressed)
                {
                    decision.Emit(new AlarmSuppressed(decision.Next, c.Time, definition.Id, AlarmState.Normal, reason));
                }
            }
        }
        else if (Options.SuppressionReleaseDelay == TimeSpan.Zero)
        {
            decision.Book.Release(decision, c.Machine, c.Time);
        }

        return null;
    }

    private void Release(Pending decision, string machine, DateTimeOffset time)
    {
        var definitions = Catalog.OfMachine(machine);
        var reason = $"{(definitions.Count > 0 ? definitions[0].MachineName : machine)} {Word(MachineState(machine))}";
        foreach (var alarm in _alarms.Values.Where(a => a.IsSuppressed && a.Definition.Machine == machine).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            decision.Emit(new AlarmUnsuppressed(decision.Next, time, alarm.Id, StateOnReturn(alarm with { Suppression = null }), reason));
        }
    }

    private string? Acknowledge(Pending decision, Acknowledge c, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (Unnamed(c.User, "Acknowledging") is { } unnamed)
        {
            return unnamed;
        }

        if (WhyHidden(alarm) is { } hidden)
        {
            return $"{alarm.Id} {hidden}: there is nothing to acknowledge.";
        }

        switch (alarm.State)
        {
            case AlarmState.Normal:
                return $"{alarm.Id} is not active or unacknowledged: there is nothing to acknowledge.";
            case AlarmState.Acknowledged:
                return $"{alarm.Id} was acknowledged already, by {alarm.Acknowledgement?.User} at {Text(alarm.Acknowledgement?.Time)}.";
        }

        var state = alarm.State == AlarmState.Unacknowledged ? AlarmState.Acknowledged : AlarmState.Normal;
        decision.Emit(new AlarmAcknowledged(decision.Next, now, alarm.Id, state, c.User, Blank(c.Comment)));
        return null;
    }

    private string? AcknowledgeGroup(Pending decision, AcknowledgeGroup c, DateTimeOffset now)
    {
        if (Unnamed(c.User, "Acknowledging") is { } unnamed)
        {
            return unnamed;
        }

        if (!InFlood)
        {
            return $"Line {Line} has no alarm flood: no alarms are grouped.";
        }

        var members = Annunciated.Where(a => IsGrouped(a) && a.State is AlarmState.Unacknowledged or AlarmState.ReturnedUnacknowledged).ToList();
        if (members.Count == 0)
        {
            return "Every alarm of the flood group is acknowledged already.";
        }

        foreach (var alarm in members)
        {
            var state = alarm.State == AlarmState.Unacknowledged ? AlarmState.Acknowledged : AlarmState.Normal;
            decision.Emit(new AlarmAcknowledged(decision.Next, now, alarm.Id, state, c.User, Blank(c.Comment)));
        }

        return null;
    }

    private string? Shelve(Pending decision, Shelve c, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (Unnamed(c.User, "Shelving") is { } unnamed)
        {
            return unnamed;
        }

        if (alarm.OutOfService is { } removal)
        {
            return $"{alarm.Id} is out of service (since {Text(removal.Time)}, by {removal.User}): return it to service before shelving it.";
        }

        if (alarm.Shelve is { } shelve)
        {
            return $"{alarm.Id} is shelved already, until {Text(shelve.Until)} by {shelve.User}: unshelve it first to shelve it again.";
        }

        if (c.Until <= now)
        {
            return $"A shelve must end in the future: {Text(c.Until)} is not after {Text(now)}.";
        }

        if (c.Until - now > Options.MaxShelveDuration)
        {
            return $"A shelve may last at most {Duration(Options.MaxShelveDuration)}: until {Text(now + Options.MaxShelveDuration)}, not {Text(c.Until)}.";
        }

        decision.Emit(new AlarmShelved(decision.Next, now, alarm.Id, AlarmState.Normal, c.User, c.Until, Blank(c.Comment)));
        return null;
    }

    private string? Unshelve(Pending decision, Unshelve c, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (Unnamed(c.User, "Unshelving") is { } unnamed)
        {
            return unnamed;
        }

        if (!alarm.IsShelved)
        {
            return $"{alarm.Id} is not shelved.";
        }

        decision.Emit(new AlarmUnshelved(decision.Next, now, alarm.Id, StateOnReturn(alarm with { Shelve = null }), c.User, Blank(c.Comment)));
        return null;
    }

    private string? RemoveFromService(Pending decision, RemoveFromService c, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (Unnamed(c.User, "Removing an alarm from service") is { } unnamed)
        {
            return unnamed;
        }

        if (string.IsNullOrWhiteSpace(c.Comment))
        {
            return $"Removing {alarm.Id} from service needs a reason (the comment), e.g. \"sensor being replaced\".";
        }

        if (alarm.OutOfService is { } removal)
        {
            return $"{alarm.Id} is out of service already, since {Text(removal.Time)} by {removal.User}.";
        }

        decision.Emit(new AlarmRemovedFromService(decision.Next, now, alarm.Id, AlarmState.Normal, c.User, c.Comment));
        return null;
    }

    private string? ReturnToService(Pending decision, ReturnToService c, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (Unnamed(c.User, "Returning an alarm to service") is { } unnamed)
        {
            return unnamed;
        }

        if (!alarm.IsOutOfService)
        {
            return $"{alarm.Id} is in service.";
        }

        decision.Emit(new AlarmReturnedToService(decision.Next, now, alarm.Id, StateOnReturn(alarm with { OutOfService = null }), c.User, Blank(c.Comment)));
        return null;
    }

    private string? AddComment(Pending decision, AddComment c, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(c.AlarmId, out var alarm))
        {
            return NoSuchAlarm(c.AlarmId);
        }

        if (Unnamed(c.User, "Commenting") is { } unnamed)
        {
            return unnamed;
        }

        if (string.IsNullOrWhiteSpace(c.Comment))
        {
            return "A comment needs some text.";
        }

        decision.Emit(new AlarmCommented(decision.Next, now, alarm.Id, alarm.State, c.User, c.Comment));
        return null;
    }

    /// <summary>The state of an alarm coming back from shelved, suppressed or out of service (the alarm as it will be).</summary>
    private static AlarmState StateOnReturn(Alarm alarm) =>
        !alarm.IsHidden && alarm.ConditionActive ? AlarmState.Unacknowledged : AlarmState.Normal;

    private static string? WhyHidden(Alarm alarm) =>
        alarm.OutOfService is { } removal ? $"is out of service (since {Text(removal.Time)}, by {removal.User})"
        : alarm.Shelve is { } shelve ? $"is shelved until {Text(shelve.Until)} (by {shelve.User})"
        : alarm.Suppression is { } suppression ? $"is suppressed by design ({suppression.Reason})"
        : null;

    private string NoSuchAlarm(string alarmId) => $"Line {Line} has no alarm '{alarmId}'.";

    private static string? Unnamed(string user, string what) =>
        string.IsNullOrWhiteSpace(user) ? $"{what} needs the name of who does it." : null;

    private static string? NotANumber(double? value, string what) =>
        value is { } v && !double.IsFinite(v) ? $"the {what} must be a finite number, is {v}" : null;

    private static string? Blank(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment;

    private static string Text(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "an unknown time";

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
            ? $"{span.TotalHours:0} h"
            : $"{span.TotalMinutes:0.#} min";

    private static string Word(MachineOperatingState state) => state switch
    {
        MachineOperatingState.Running => "running",
        MachineOperatingState.Idle => "idle",
        MachineOperatingState.Stopped => "stopped",
        MachineOperatingState.Failed => "failed",
        MachineOperatingState.Maintenance => "in maintenance",
        _ => "in an unknown state",
    };

    /// <summary>The events of one decision so far, and the book with them applied.</summary>
    private sealed class Pending(AlarmBook book)
    {
        public AlarmBook Book { get; private set; } = book;

        public List<AlarmBookEvent> Events { get; } = [];

        /// <summary>The sequence number of the next event.</summary>
        public long Next => Book.LastSequence + 1;

        public void Emit(AlarmBookEvent e)
        {
            Events.Add(e);
            Book = Book.Apply(e);
        }
    }
}
