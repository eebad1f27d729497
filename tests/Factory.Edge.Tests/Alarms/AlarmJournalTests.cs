using System.Text;
using System.Text.RegularExpressions;
using Factory.Edge.Alarms;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Alarms.Support;

namespace Factory.Edge.Tests.Alarms;

/// <summary>
/// The durable alarm journal: a restart keeps every alarm and its history; a record cut short by
/// a power loss is cut off with a warning; a damaged record in the middle is skipped with a
/// warning and the records around it kept; concurrent appends share a flush.
/// </summary>
public sealed partial class AlarmJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestLine.T0;
    private readonly TemporaryDirectory _folder = new();

    private string JournalPath => _folder.File("journal/line-1.alarms");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_restart_rebuilds_every_active_and_unacknowledged_alarm_with_its_history()
    {
        var before = new BookDriver(TestLine.Book());
        await using (var journal = AlarmJournal.Open(JournalPath))
        {
            foreach (var (command, now) in Shift())
            {
                await journal.AppendAsync(before.Do(command, now).Events);
            }
        }

        await using var reopened = AlarmJournal.Open(JournalPath);
        var events = reopened.ReadAll();
        var after = AlarmBook.Replay(TestLine.Catalog(), events);

        reopened.Problems.Should().BeEmpty();
        events.Should().Equal(before.Journal);
        after.Annunciated.Select(after.Snapshot).Should().Equal(before.Book.Annunciated.Select(before.Book.Snapshot));
        after.Annunciated.Select(a => a.Id).Should().Contain([TestLine.VibrationHh, TestLine.ZoneH(1)], "the shift left them active and unacknowledged");
        foreach (var alarm in before.Book.Alarms)
        {
            after.Snapshot(alarm.Id).Should().Be(before.Book.Snapshot(alarm.Id));
            after.History(alarm.Id).Should().Equal(alarm.History);
        }

        after.Shelved.Select(a => a.Id).Should().Equal(TestLine.VibrationH);
        after.Suppressed.Select(a => a.Id).Should().Contain(TestLine.FlowL);
        after.OutOfService.Select(a => a.Id).Should().Equal("line-1/cnc-01/spindle-bearing-temperature/hh");
        (after.InFlood, after.FloodSince, after.LastSequence, after.NextDue).Should().Be((before.Book.InFlood, before.Book.FloodSince, before.Book.LastSequence, before.Book.NextDue));
        after.MachineState(TestLine.Pump).Should().Be(MachineOperatingState.Stopped);

        // Work goes on where it stopped: the next event continues the sequence.
        var next = after.Handle(new Acknowledge(TestLine.VibrationHh, "anna"), T0.AddHours(1));
        next.Events.Select(e => e.GetType().Name).Should().Equal(nameof(FloodEnded), nameof(AlarmAcknowledged));
        next.Events.Select(e => e.Sequence).Should().Equal(before.Book.LastSequence + 1, before.Book.LastSequence + 2);
    }

    [Fact]
    public async Task Records_are_checksummed_json_lines_with_every_field()
    {
        var events = Events(3);
        await using (var journal = AlarmJournal.Open(JournalPath))
        {
            await journal.AppendAsync(events);
            journal.Length.Should().Be(new FileInfo(JournalPath).Length, "an append counts once it is in the file");
        }

        var lines = await File.ReadAllLinesAsync(JournalPath);
        lines.Should().HaveCount(3).And.OnlyContain(line => Record().IsMatch(line));
        lines[0][9..].Should().Be(
            "{\"type\":\"activated\",\"priority\":\"High\",\"value\":31.5,\"score\":null,\"threshold\":null,\"message\":\"Coolant flow below L limit 40 m³/h: 31.5 m³/h\"," +
            "\"alarmId\":\"line-1/coolant-pump-01/flow/l\",\"state\":\"Unacknowledged\",\"sequence\":1,\"time\":\"2026-11-30T08:00:00+00:00\"}");
        lines[0][..8].Should().Be(Crc32.Compute(Encoding.UTF8.GetBytes(lines[0][9..])).ToString("x8"));
    }

    [Fact]
    public void The_checksum_is_the_CRC_32_of_zlib_and_PNG() =>
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926);

    [Fact]
    public async Task A_last_record_cut_short_by_a_power_loss_is_reported_and_cut_off_and_everything_before_it_kept()
    {
        var events = Events(4);
        await Write(events[..3]);
        var intact = new FileInfo(JournalPath).Length;
        var whole = await File.ReadAllBytesAsync(JournalPath);
        await File.AppendAllBytesAsync(JournalPath, whole.AsSpan(0, 60).ToArray());

        var logger = new ListLogger();
        await using var journal = AlarmJournal.Open(JournalPath, logger);

        var problem = journal.Problems.Should().ContainSingle().Subject;
        (problem.Kind, problem.Offset, problem.Line, problem.File).Should().Be((JournalProblemKind.TornRecord, intact, 4, Path.GetFullPath(JournalPath)));
        logger.Warnings.Should().ContainSingle().Which.Should().Be(
            $"Alarm journal {Path.GetFullPath(JournalPath)}: the last record, at byte {intact} (line 4), is incomplete or damaged (its checksum is " +
            $"{whole.AsSpan(0, 8).ToArray().Select(b => (char)b).Aggregate(string.Empty, (s, c) => s + c)} but its content sums to " +
            $"{Crc32.Compute(whole.AsSpan(9, 51)):x8}; power lost while it was written?): the 60 bytes from there to the end are cut off; kept: 3 records before it.");
        new FileInfo(JournalPath).Length.Should().Be(intact);
        journal.ReadAll().Should().Equal(events[..3]);

        await journal.AppendAsync(events[3..]);
        journal.ReadAll().Should().Equal(events);
    }

    [Fact]
    public async Task A_tail_of_zeros_left_by_a_power_loss_is_cut_off()
    {
        var events = Events(2);
        await Write(events);
        var intact = new FileInfo(JournalPath).Length;
        await File.AppendAllBytesAsync(JournalPath, new byte[4096]);

        await using var journal = AlarmJournal.Open(JournalPath);

        journal.Problems.Should().ContainSingle().Which.Message.Should().Contain($"at byte {intact} (line 3)").And.Contain("no checksum at its start").And.Contain("the 4096 bytes");
        journal.ReadAll().Should().Equal(events);
        new FileInfo(JournalPath).Length.Should().Be(intact);
    }

    [Fact]
    public async Task Damaged_lines_after_the_last_whole_record_are_all_cut_off()
    {
        var events = Events(2);
        await Write(events);
        var intact = new FileInfo(JournalPath).Length;
        await File.AppendAllTextAsync(JournalPath, "0000abcd {\"type\":\"cleared\"\ngarbage\nmore");

        await using var journal = AlarmJournal.Open(JournalPath);

        journal.Problems.Should().ContainSingle().Which.Offset.Should().Be(intact);
        journal.ReadAll().Should().Equal(events);
        new FileInfo(JournalPath).Length.Should().Be(intact);
    }

    [Fact]
    public async Task A_whole_last_record_that_lost_only_its_newline_is_kept()
    {
        var events = Events(3);
        await Write(events);
        var whole = await File.ReadAllBytesAsync(JournalPath);
        await File.WriteAllBytesAsync(JournalPath, whole[..^1]);

        await using var journal = AlarmJournal.Open(JournalPath);

        journal.Problems.Should().BeEmpty();
        journal.ReadAll().Should().Equal(events);
        journal.Length.Should().Be(whole.Length, "the newline was put back");
        await journal.AppendAsync(Events(4)[3..]);
        journal.ReadAll().Should().HaveCount(4);
    }

    [Fact]
    public async Task A_damaged_record_in_the_middle_is_reported_and_skipped_and_the_records_before_and_after_it_kept()
    {
        var events = Events(4);
        await Write(events);
        var bytes = await File.ReadAllBytesAsync(JournalPath);
        var second = Array.IndexOf(bytes, (byte)'\n') + 1;
        var valueAt = second + Encoding.UTF8.GetString(bytes, second, bytes.Length - second).IndexOf("\"value\":", StringComparison.Ordinal) + 8;
        bytes[valueAt] = (byte)(bytes[valueAt] == (byte)'9' ? '8' : '9'); // one digit of the value flipped on disk
        await File.WriteAllBytesAsync(JournalPath, bytes);

        var logger = new ListLogger();
        IReadOnlyList<AlarmBookEvent> read;
        await using (var journal = AlarmJournal.Open(JournalPath, logger))
        {
            read = journal.ReadAll();
            journal.Problems.Select(p => (p.Kind, p.Offset, p.Line)).Should().Equal(
                (JournalProblemKind.DamagedRecord, second, 2),
                (JournalProblemKind.SequenceGap, 3, 0));
        }

        read.Should().Equal(events[0], events[2], events[3]);
        logger.Warnings.First().Should().StartWith($"Alarm journal {Path.GetFullPath(JournalPath)}: the record at byte {second} (line 2, ")
            .And.EndWith("is skipped; kept: 1 record before it and 2 records after it; the file is left as it is.");
        logger.Warnings.Last().Should().EndWith("event 2 is missing (lost with a damaged record).");
        (await File.ReadAllBytesAsync(JournalPath)).Should().Equal(bytes, "the damaged file is kept for inspection");
        AlarmBook.Replay(TestLine.Catalog(), read)[TestLine.FlowL].State.Should().Be(AlarmState.Normal);
    }

    [Fact]
    public async Task Concurrent_appends_are_flushed_together_and_each_completes_once_on_disk()
    {
        await using var journal = AlarmJournal.Open(JournalPath);

        var appends = Enumerable.Range(1, 200)
            .Select(i => Task.Run(() => journal.AppendAsync([new AlarmCommented(i, T0, TestLine.FlowL, AlarmState.Normal, "anna", $"note {i}")])))
            .ToArray();
        await Task.WhenAll(appends);

        journal.RecordsAppended.Should().Be(200);
        journal.Commits.Should().BeLessThan(200, "appends waiting for a flush go to disk with the next one");
        journal.ReadAll().Select(e => e.Sequence).Should().BeEquivalentTo(Enumerable.Range(1, 200).Select(i => (long)i));
    }

    [Fact]
    public async Task A_second_journal_on_the_same_file_is_refused()
    {
        await using var journal = AlarmJournal.Open(JournalPath);

        var second = () => AlarmJournal.Open(JournalPath);

        second.Should().Throw<IOException>();
    }

    [Fact]
    public async Task An_event_that_cannot_be_written_fails_its_own_append_only()
    {
        await using var journal = AlarmJournal.Open(JournalPath);

        var bad = () => journal.AppendAsync([new AlarmCleared(1, T0, TestLine.FlowL, AlarmState.Normal, double.NaN)]);
        await bad.Should().ThrowAsync<ArgumentException>().WithMessage("An alarm event of this append cannot be written*");
        await journal.AppendAsync(Events(1));

        journal.ReadAll().Should().HaveCount(1);
    }

    /// <summary>A morning on the line: alarms raised, acknowledged, cleared, shelved, suppressed, removed from service, a flood.</summary>
    private static IEnumerable<(AlarmBookCommand Command, DateTimeOffset Now)> Shift()
    {
        var t = T0;
        yield return (new ReportMachineState(TestLine.Pump, MachineOperatingState.Running, t), t);
        yield return (new ActivateCondition(TestLine.VibrationH, t.AddSeconds(10), 3.1), t.AddSeconds(10));
        yield return (new Acknowledge(TestLine.VibrationH, "anna", "watching it"), t.AddSeconds(30));
        yield return (new Shelve(TestLine.VibrationH, "anna", t.AddHours(4), "spindle change at noon"), t.AddSeconds(40));
        yield return (new RemoveFromService("line-1/cnc-01/spindle-bearing-temperature/hh", "ben", "sensor replaced"), t.AddSeconds(50));
        for (var i = 1; i <= 10; i++)
        {
            yield return (new ActivateCondition(TestLine.ZoneH(i), t.AddSeconds(60 + (10 * i)), 70 + i), t.AddSeconds(60 + (10 * i)));
        }

        yield return (new ActivateCondition(TestLine.VibrationHh, t.AddSeconds(200), 5.2), t.AddSeconds(200));
        yield return (new Acknowledge(TestLine.ZoneH(2), "anna"), t.AddSeconds(210));
        yield return (new ClearCondition(TestLine.ZoneH(3), t.AddSeconds(220), 60), t.AddSeconds(220));
        yield return (new AddComment(TestLine.ZoneH(3), "anna", "fan restarted"), t.AddSeconds(230));
        yield return (new ReportMachineState(TestLine.Pump, MachineOperatingState.Stopped, t.AddSeconds(240)), t.AddSeconds(240));
        yield return (new ActivateCondition(TestLine.FlowL, t.AddSeconds(250), 3), t.AddSeconds(250));
    }

    private static AlarmBookEvent[] Events(int count)
    {
        var all = new AlarmBookEvent[]
        {
            new AlarmActivated(1, T0, TestLine.FlowL, AlarmState.Unacknowledged, Plant.Model.AlarmPriority.High, 31.5, null, null, "Coolant flow below L limit 40 m³/h: 31.5 m³/h"),
            new AlarmCleared(2, T0.AddSeconds(20), TestLine.FlowL, AlarmState.ReturnedUnacknowledged, 45.25),
            new AlarmAcknowledged(3, T0.AddSeconds(30), TestLine.FlowL, AlarmState.Normal, "anna", "strainer cleaned"),
            new AlarmActivated(4, T0.AddSeconds(40), TestLine.CncAnomaly, AlarmState.Unacknowledged, Plant.Model.AlarmPriority.Low, null, 0.93, 0.8, "Machining centre MC-01 behaves abnormally: anomaly score 0.93 above threshold 0.8"),
        };
        return all[..count];
    }

    private async Task Write(IReadOnlyList<AlarmBookEvent> events)
    {
        await using var journal = AlarmJournal.Open(JournalPath);
        await journal.AppendAsync(events);
    }

    [GeneratedRegex("^[0-9a-f]{8} \\{\"type\":\"[a-z-]+\",.*\\}$")]
    private static partial Regex Record();
}
