using Factory.Edge.Tests.Node.Support;
using Akka.Actor;
using Factory.Edge.Actors;
using Factory.Edge.Alarms;
using Factory.Edge.Panel;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Edge.Tests.EdgeTelemetry.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Edge.Tests.Node;

/// <summary>
/// Alarm events reach the cloud from the journal: an edge node killed after an event was written
/// to the journal and before it reached the outbox sends it at its next start, and only what the
/// outbox does not have. Flood events are not sent: the cloud derives them.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class AlarmCatchUpTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = TestLine.T0;
    private readonly TemporaryDirectory _data = new();
    private readonly ActorSystem _system = ActorSystem.Create("alarm-catch-up", "akka.loglevel = WARNING");
    private string Journal => _data.File(AlarmActor.JournalFile(TestLine.Line));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        _data.Dispose();
    }

    [Fact]
    public async Task A_restart_appends_exactly_the_journaled_alarm_events_beyond_the_outboxs_last_sequence_and_no_flood_events()
    {
        // A journal of 14 events: two alarms raised, one acknowledged and cleared, then eleven zone alarms in a minute: a flood.
        var book = new BookDriver(TestLine.Book());
        book.Accept(new ActivateCondition(TestLine.VibrationH, T0, 3.1), T0);
        book.Accept(new ActivateCondition(TestLine.FlowL, T0.AddSeconds(1), 38), T0.AddSeconds(1));
        book.Accept(new Acknowledge(TestLine.VibrationH, "ana", "checking"), T0.AddSeconds(2));
        book.Accept(new ClearCondition(TestLine.VibrationH, T0.AddSeconds(3)), T0.AddSeconds(3));
        for (var zone = 1; zone <= 11; zone++)
        {
            var time = T0.AddSeconds(10 + zone);
            book.Accept(new ActivateCondition(TestLine.ZoneH(zone), time, 71), time);
        }

        using (var journal = AlarmJournal.Open(Journal))
        {
            journal.Append(book.Journal);
        }

        book.Journal.OfType<FloodStarted>().Should().ContainSingle("the journal holds a flood event");
        var outbox = new RecordingOutbox(lastAlarmSequence: 3);

        var alarms = await StartAsync(outbox);

        var expected = book.Journal.OfType<AlarmChanged>().Where(e => e.Sequence > 3).ToList();
        outbox.Alarms.Select(a => (a.Sequence, a.AlarmId)).Should().Equal(expected.Select(e => (e.Sequence, e.AlarmId)));
        outbox.Alarms[0].EventType.Should().Be("cleared");
        outbox.Records.Should().OnlyContain(r => r.Kind == Contracts.Link.RecordKinds.Alarm && r.SourceSequence > 3);

        // Running on: a new event goes to the outbox once, after its journal write; a second restart re-appends nothing.
        var now = DateTimeOffset.UtcNow;
        await alarms.Ask<OperatorCommandResult>(new OperatorCommand(new AddComment(TestLine.FlowL, "ana", "valve replaced")), TimeSpan.FromSeconds(5));
        var last = book.Journal[^1].Sequence + 1;
        outbox.Alarms.Should().ContainSingle(a => a.Sequence == last && a.EventType == "commented");
        outbox.LastAlarmSequence.Should().Be(last);

        await alarms.GracefulStop(TimeSpan.FromSeconds(5));
        var before = outbox.Records.Count;
        await StartAsync(outbox, "alarms-2");
        outbox.Records.Should().HaveCount(before, "the outbox has every event of the journal already");
        outbox.Alarms.Select(a => a.Sequence).Should().OnlyHaveUniqueItems();
        now.Should().BeBefore(DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task A_new_cloud_link_sends_the_whole_journal_also_beyond_the_history_an_alarm_keeps()
    {
        // The book keeps 3 history entries per alarm; the journal has 8 events of one alarm.
        var options = new AlarmBookOptions { HistoryLimit = 3 };
        var book = new BookDriver(TestLine.Book(options));
        for (var i = 0; i < 8; i++)
        {
            book.Accept(new AddComment(TestLine.FlowH, "ana", $"note {i}"), T0.AddMinutes(i));
        }

        using (var journal = AlarmJournal.Open(Journal))
        {
            journal.Append(book.Journal);
        }

        var outbox = new RecordingOutbox();
        await StartAsync(outbox, options: options);

        outbox.Alarms.Select(a => a.Comment).Should().Equal(Enumerable.Range(0, 8).Select(i => $"note {i}"));
    }

    private async Task<IActorRef> StartAsync(RecordingOutbox outbox, string name = "alarms", AlarmBookOptions? options = null)
    {
        var alarms = _system.ActorOf(AlarmActor.Props(TestLine.Catalog(), options ?? new AlarmBookOptions(), Journal, new AlarmFeed(), TimeProvider.System, NullLoggerFactory.Instance, outbox), name);

        // Answered after the start (the journal replay and the catch-up) is done.
        await alarms.Ask<AlarmDetails>(new GetAlarmDetails(TestLine.FlowL), TimeSpan.FromSeconds(5));
        return alarms;
    }
}
