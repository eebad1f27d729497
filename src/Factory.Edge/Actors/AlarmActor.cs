using Akka.Actor;
using Factory.Contracts.Alarms;
using Factory.Edge.Alarms;
using Factory.Edge.Outbox;
using Factory.Edge.Panel;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Actors;

/// <summary>A supervisor's action from the panel or the JSON API; answered with <see cref="OperatorCommandResult"/> once it is on disk.</summary>
public sealed record OperatorCommand(AlarmBookCommand Command);

/// <summary>The answer to an <see cref="OperatorCommand"/>: done (and durable), or refused with the reason.</summary>
public sealed record OperatorCommandResult(bool Accepted, string? Refusal);

/// <summary>Asks for one alarm's current state and history; answered with <see cref="AlarmDetails"/> (null alarm if unknown).</summary>
public sealed record GetAlarmDetails(string AlarmId);

public sealed record AlarmDetails(AlarmSnapshot? Alarm, IReadOnlyList<AlarmEvent> History);

/// <summary>Published on the actor system's event stream for every alarm event, for whoever forwards them (the cloud link).</summary>
public sealed record AlarmEventRaised(AlarmEvent Event);

/// <summary>
/// The alarms of a line (ISA-18.2): a thin shell over the pure <see cref="AlarmBook"/>. Process
/// conditions from the machine actors and supervisors' actions are decided by the book; the
/// resulting events are annunciated at once (the panel must not wait for a disk) and written to
/// the durable journal in order. A supervisor's action is confirmed only once it is on disk. A
/// condition annunciated just before a crash and not yet written is raised again after the
/// restart by the live data that raised it.
/// </summary>
public sealed class AlarmActor : ReceiveActor, IWithTimers
{
    private readonly AlarmCatalog _catalog;
    private readonly AlarmBookOptions _options;
    private readonly string _journalPath;
    private readonly AlarmFeed _feed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IOutbox? _outbox;

    // Journal writes in the order they were started: their events go to the outbox in this order,
    // also when two writes of one commit report back the other way round.
    private readonly Queue<JournalWrite> _writes = new();
    private long _outboxFailures;
    private AlarmJournal _journal = null!;
    private AlarmBook _book = null!;

    /// <param name="outbox">Where alarm events for the cloud go once they are in the journal; null without a cloud link.</param>
    public AlarmActor(AlarmCatalog catalog, AlarmBookOptions options, string journalPath, AlarmFeed feed, TimeProvider time, ILoggerFactory loggerFactory, IOutbox? outbox = null)
    {
        _outbox = outbox;
        _catalog = catalog;
        _options = options;
        _journalPath = journalPath;
        _feed = feed;
        _time = time;
        _logger = loggerFactory.CreateLogger<AlarmActor>();

        Receive<OperatorCommand>(OnOperatorCommand);
        Receive<AlarmBookCommand>(command => Decide(command, null));
        Receive<GetAlarmDetails>(query => Sender.Tell(Details(query.AlarmId)));
        Receive<GetActiveConditions>(query => Sender.Tell(new ActiveConditions(
            [.. _catalog.OfMachine(query.Machine).Select(d => d.Id).Where(_book.IsConditionActive)])));
        Receive<Persisted>(OnPersisted);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The journal's file name in an edge node's data directory.</summary>
    public static string JournalFile(string line) => $"{line}.alarms.journal";

    public static Props Props(AlarmCatalog catalog, AlarmBookOptions options, string journalPath, AlarmFeed feed, TimeProvider time, ILoggerFactory loggerFactory, IOutbox? outbox = null) =>
        Akka.Actor.Props.Create(() => new AlarmActor(catalog, options, journalPath, feed, time, loggerFactory, outbox));

    protected override void PreStart()
    {
        // The book is rebuilt from the journal at every start, a restart after a crash included:
        // the journal is the truth, the book in memory a view of it.
        _journal = AlarmJournal.Open(_journalPath, _logger);
        var events = _journal.ReadAll();
        var sent = _outbox?.LastAlarmSequence ?? long.MaxValue;
        _book = AlarmBook.Replay(_catalog, events.Where(e => e.Sequence <= sent), _options);

        // Events the journal holds and the outbox does not (the node stopped between the two
        // writes, or the cloud link is new) go to the cloud now, in order. They are replayed one
        // by one for their wire form: the alarms' histories keep only their last entries.
        var caughtUp = 0;
        foreach (var e in events)
        {
            if (e.Sequence > sent)
            {
                _book = _book.Apply(e);
                if (_book.ToAlarmEvent(e) is { } alarmEvent)
                {
                    AppendToOutbox(alarmEvent);
                    caughtUp++;
                }
            }
        }

        _logger.LogInformation(
            "Line {Line}: {Events} alarm events replayed from {Journal}; {Active} alarms active, {Unacknowledged} unacknowledged",
            _book.Line, events.Count, _journal.Path,
            _book.Alarms.Count(a => a.ConditionActive),
            _book.Alarms.Count(a => a.State is AlarmState.Unacknowledged or AlarmState.ReturnedUnacknowledged));
        if (caughtUp > 0)
        {
            _logger.LogInformation("Line {Line}: {Events} journaled alarm events after sequence {Sequence} were not in the outbox and are added to it", _book.Line, caughtUp, sent);
        }

        if (_outbox is not null && sent > _book.LastSequence)
        {
            // New events would reuse sequence numbers the cloud already holds other events under.
            _logger.LogWarning(
                "Line {Line}: the outbox has taken alarm events up to sequence {Sent}, but the journal {Journal} ends at {Last}: was the journal replaced or removed?",
                _book.Line, sent, _journal.Path, _book.LastSequence);
        }

        // Shelves expire, floods end and suppressions lift on time, even with no samples coming.
        Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(1));
        PublishAll();
    }

    protected override void PostStop() => _journal?.Dispose();

    private void OnOperatorCommand(OperatorCommand command) => Decide(command.Command, Sender);

    private void Decide(AlarmBookCommand command, IActorRef? replyTo)
    {
        var decision = _book.Handle(command, _time.GetUtcNow());
        if (decision.IsRefused)
        {
            if (replyTo is null)
            {
                // From the machines: a refusal here is a bug or a configuration mismatch, never a person's mistake.
                _logger.LogWarning("Line {Line}: the alarm book refused {Command}: {Reason}", _book.Line, command, decision.Refusal);
            }

            replyTo?.Tell(new OperatorCommandResult(false, decision.Refusal));
            return;
        }

        _book = decision.Book;
        if (decision.Events.Count == 0)
        {
            replyTo?.Tell(new OperatorCommandResult(true, null));
            return;
        }

        var write = new JournalWrite(decision.Events.Count, replyTo, Annunciate(decision.Events));
        _writes.Enqueue(write);
        var self = Self;
        _journal.AppendAsync(decision.Events).ContinueWith(
            written => self.Tell(new Persisted(write, written.Exception?.GetBaseException())),
            TaskScheduler.Default);
    }

    private void OnPersisted(Persisted persisted)
    {
        if (!_writes.Contains(persisted.Write))
        {
            // A write of this actor before a restart: its events came to the outbox with the journal replay.
            persisted.Write.ReplyTo?.Tell(new OperatorCommandResult(persisted.Failure is null, persisted.Failure is null ? null : $"the action was applied but could not be recorded: {persisted.Failure.Message}"));
            return;
        }

        persisted.Write.Done = true;
        persisted.Write.Failure = persisted.Failure;

        while (_writes.TryPeek(out var oldest) && oldest.Done)
        {
            _writes.Dequeue();
            Written(oldest);
        }
    }

    private void Written(JournalWrite write)
    {
        if (write.Failure is { } failure)
        {
            // The alarms are annunciated; only their record is missing. Say so loudly: a restart now would forget them.
            _logger.LogError(failure, "{Count} alarm events of line {Line} could not be written to {Journal}", write.Count, _book.Line, _journal.Path);
            write.ReplyTo?.Tell(new OperatorCommandResult(false, $"the action was applied but could not be recorded: {failure.Message}"));
            return;
        }

        // To the cloud only what the journal holds: the journal is what a restart catches up from.
        foreach (var alarmEvent in write.AlarmEvents)
        {
            AppendToOutbox(alarmEvent);
        }

        write.ReplyTo?.Tell(new OperatorCommandResult(true, null));
    }

    private void AppendToOutbox(AlarmEvent alarmEvent)
    {
        if (_outbox is null)
        {
            return;
        }

        try
        {
            _outbox.Append(alarmEvent);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            // It is in the journal: the next start appends it, unless a later event reached the outbox first.
            if (_outboxFailures++ % 100 == 0)
            {
                _logger.LogError(e, "Line {Line}: alarm event {Sequence} could not be put in the outbox ({Failures} so far)", _book.Line, alarmEvent.Sequence, _outboxFailures);
            }
        }
    }

    /// <summary>Publishes the events to the panel and the event stream; returns the alarm events among them (not the flood events: the cloud derives those).</summary>
    private List<AlarmEvent> Annunciate(IReadOnlyList<AlarmBookEvent> events)
    {
        var alarmEvents = new List<AlarmEvent>(events.Count);
        foreach (var e in events)
        {
            if (_book.ToAlarmEvent(e) is { } alarmEvent)
            {
                alarmEvents.Add(alarmEvent);
                _feed.Publish(_book.Snapshot(alarmEvent.AlarmId), alarmEvent);
                Context.System.EventStream.Publish(new AlarmEventRaised(alarmEvent));
            }
            else if (_book.ToFloodEvent(e) is { } flood)
            {
                _feed.Publish(flood);
            }
        }

        return alarmEvents;
    }

    private void PublishAll() =>
        _feed.Reset(
            _book.Alarms.Select(_book.Snapshot),
            _book.FloodSince,
            _book.Alarms.SelectMany(a => a.History).OrderBy(e => e.Sequence));

    private AlarmDetails Details(string alarmId) =>
        _book.TryGet(alarmId, out var alarm) ? new AlarmDetails(_book.Snapshot(alarm), alarm.History) : new AlarmDetails(null, []);

    private sealed record Persisted(JournalWrite Write, Exception? Failure);

    private sealed class JournalWrite(int count, IActorRef? replyTo, IReadOnlyList<AlarmEvent> alarmEvents)
    {
        public int Count { get; } = count;

        public IActorRef? ReplyTo { get; } = replyTo;

        public IReadOnlyList<AlarmEvent> AlarmEvents { get; } = alarmEvents;

        public bool Done { get; set; }

        public Exception? Failure { get; set; }
    }
}
