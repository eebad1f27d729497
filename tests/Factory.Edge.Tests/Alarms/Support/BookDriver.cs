using Factory.Edge.Alarms;

namespace Factory.Edge.Tests.Alarms.Support;

/// <summary>
/// Drives an <see cref="AlarmBook"/> the way the line actor does: handle a command, keep the
/// events, carry on with the book after them. Refusals are kept for the test to look at.
/// </summary>
internal sealed class BookDriver(AlarmBook book)
{
    public AlarmBook Book { get; private set; } = book;

    /// <summary>Every event so far, in order: what the journal would hold.</summary>
    public List<AlarmBookEvent> Journal { get; } = [];

    public AlarmDecision Last { get; private set; } = null!;

    public AlarmDecision Do(AlarmBookCommand command, DateTimeOffset now)
    {
        Last = Book.Handle(command, now);
        Journal.AddRange(Last.Events);

        // The decision's book is the events applied: check that once here, for every test.
        var applied = Book.Apply(Last.Events);
        applied.LastSequence.Should().Be(Last.Book.LastSequence);
        Book = Last.Book;
        return Last;
    }

    /// <summary>Like <see cref="Do"/>, and the command must not be refused.</summary>
    public AlarmDecision Accept(AlarmBookCommand command, DateTimeOffset now)
    {
        var decision = Do(command, now);
        decision.Refusal.Should().BeNull($"{command} should be accepted");
        return decision;
    }

    public Alarm this[string id] => Book[id];
}
