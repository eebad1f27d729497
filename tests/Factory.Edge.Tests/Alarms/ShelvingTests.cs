using Factory.Edge.Alarms;
using Factory.Edge.Tests.Alarms.Support;
using Microsoft.Extensions.Time.Testing;

namespace Factory.Edge.Tests.Alarms;

/// <summary>Shelves expire on their own, at their expiry time, under a controlled clock.</summary>
public sealed class ShelvingTests
{
    private readonly FakeTimeProvider _clock = new(TestLine.T0);
    private readonly BookDriver _book = new(TestLine.Book());

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void A_shelved_alarm_whose_condition_is_still_active_is_annunciated_again_when_the_shelve_expires()
    {
        _book.Accept(new ActivateCondition(TestLine.VibrationHh, Now, 5.2), Now);
        var until = Now.AddHours(2);
        _book.Accept(new Shelve(TestLine.VibrationHh, "anna", until, "bearing change planned at noon"), Now);
        _book.Book.Annunciated.Should().BeEmpty();
        _book.Book.Shelved.Should().ContainSingle().Which.Shelve!.Until.Should().Be(until);
        _book.Book.NextDue.Should().Be(until);

        _clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        _book.Accept(new Tick(), Now).Events.Should().BeEmpty();
        _book[TestLine.VibrationHh].IsShelved.Should().BeTrue();

        _clock.Advance(TimeSpan.FromSeconds(1));
        var expiry = _book.Accept(new Tick(), Now);

        expiry.Events.Should().Equal(new AlarmShelveExpired(3, until, TestLine.VibrationHh, AlarmState.Unacknowledged));
        _book.Book.Annunciated.Select(a => a.Id).Should().Equal(TestLine.VibrationHh);
        _book.Book.Shelved.Should().BeEmpty();
        _book.Book.NextDue.Should().BeNull();
        _book.Book.History(TestLine.VibrationHh).Select(e => e.EventType).Should().Equal("activated", "shelved", "shelve-expired");
    }

    [Fact]
    public void A_late_tick_records_the_expiry_at_the_time_the_shelve_ran_out()
    {
        _book.Accept(new Shelve(TestLine.VibrationHh, "anna", Now.AddMinutes(30)), Now);
        var until = Now.AddMinutes(30);

        // The actor's timer is coarse: it ticks once a minute, a little late.
        var expiries = new List<AlarmBookEvent>();
        for (var minute = 0; minute < 40; minute++)
        {
            _clock.Advance(TimeSpan.FromSeconds(61));
            expiries.AddRange(_book.Accept(new Tick(), Now).Events);
        }

        expiries.Should().Equal(new AlarmShelveExpired(2, until, TestLine.VibrationHh, AlarmState.Normal));
    }

    [Fact]
    public void A_command_after_the_expiry_sees_the_shelve_expired_even_before_a_tick()
    {
        _book.Accept(new ActivateCondition(TestLine.VibrationHh, Now, 5.2), Now);
        _book.Accept(new Shelve(TestLine.VibrationHh, "anna", Now.AddHours(1)), Now);
        _clock.Advance(TimeSpan.FromHours(1.5));

        var acknowledged = _book.Accept(new Acknowledge(TestLine.VibrationHh, "ben"), Now);

        acknowledged.Events.Select(e => e.GetType().Name).Should().Equal(nameof(AlarmShelveExpired), nameof(AlarmAcknowledged));
        _book[TestLine.VibrationHh].State.Should().Be(AlarmState.Acknowledged);
    }

    [Fact]
    public void The_longest_shelve_is_configurable()
    {
        var book = new BookDriver(TestLine.Book(new AlarmBookOptions { MaxShelveDuration = TimeSpan.FromMinutes(90) }));

        book.Do(new Shelve(TestLine.VibrationHh, "anna", Now.AddHours(2)), Now).Refusal.Should().StartWith("A shelve may last at most 90 min");
        book.Accept(new Shelve(TestLine.VibrationHh, "anna", Now.AddMinutes(90)), Now);
    }
}
