using Factory.Contracts.Link;
using Factory.Edge.Outbox;

namespace Factory.Edge.Tests.Outbox;

public sealed class OutboxRecoveryTests : OutboxTestBase
{
    [Fact]
    public async Task A_restart_keeps_what_was_not_acknowledged_all_pending_and_forgets_what_was()
    {
        using (var outbox = Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                outbox.Append(RecordKinds.Summary, T0.AddSeconds(i), Json($$"""{"n":{{i}}}"""));
            }

            await outbox.FlushAsync(CancellationToken.None);
            outbox.Take(3, 1 << 20).Should().HaveCount(3);
            outbox.Acknowledge([new SequenceRange(1, 2)]);
        }

        using var reopened = Open();

        reopened.Metrics.InFlightRecords.Should().Be(0);
        reopened.Metrics.PendingRecords.Should().Be(3);
        var taken = TakeAll(reopened);
        taken.Select(r => r.Sequence).Should().Equal(3, 4, 5);
        taken.Select(r => r.Time).Should().Equal(T0.AddSeconds(3), T0.AddSeconds(4), T0.AddSeconds(5));
        taken.Select(Text).Should().Equal("""{"n":3}""", """{"n":4}""", """{"n":5}""");
        reopened.Append(RecordKinds.Summary, T0, Json("{}"));
        await reopened.FlushAsync(CancellationToken.None);
        reopened.Metrics.LastSequence.Should().Be(6, "sequence numbers are never reused");
    }

    [Fact]
    public async Task Appended_counters_and_the_last_alarm_sequence_survive_restarts_after_every_segment_was_deleted()
    {
        using (var outbox = Open(segmentBytes: 1024))
        {
            for (var i = 0; i < 20; i++)
            {
                outbox.Append(RecordKinds.Summary, T0, Body("summary", i));
            }

            outbox.Append(RecordKinds.Alarm, T0, Json("{}"), sourceSequence: 41);
            outbox.Append(RecordKinds.Alarm, T0, Json("{}"), sourceSequence: 42);
            await outbox.FlushAsync(CancellationToken.None);
            Segments().Length.Should().BeGreaterThan(3);
            AcknowledgeAll(outbox, TakeAll(outbox));
            await UntilAsync(() => Segments().Length <= 1, "the acknowledged segments to be deleted");
        }

        using (var reopened = Open(segmentBytes: 1024))
        {
            var metrics = reopened.Metrics;
            metrics.AppendedByKind.Should().BeEquivalentTo(new Dictionary<string, long> { [RecordKinds.Summary] = 20, [RecordKinds.Alarm] = 2 });
            metrics.Acknowledged.Should().Be(22);
            metrics.PendingRecords.Should().Be(0);
            reopened.LastAlarmSequence.Should().Be(42);
            reopened.Append(RecordKinds.Summary, T0, Body("summary", 21));
            await reopened.FlushAsync(CancellationToken.None);
            reopened.Metrics.LastSequence.Should().Be(23);
        }

        using var again = Open(segmentBytes: 1024);
        again.Metrics.AppendedByKind[RecordKinds.Summary].Should().Be(21);
        again.LastAlarmSequence.Should().Be(42);
        TakeAll(again).Select(r => r.Sequence).Should().Equal(23);
    }

    [Fact]
    public async Task A_record_cut_short_by_a_crash_is_cut_off_with_a_warning_and_the_records_before_it_kept()
    {
        using (var outbox = Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                outbox.Append(RecordKinds.Summary, T0, Body("summary", i));
            }
        }

        var segment = Segments().Single();
        var length = new FileInfo(segment).Length;
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(length - 20);
        }

        using var reopened = Open();

        TakeAll(reopened).Select(r => r.Sequence).Should().Equal(1, 2, 3, 4);
        Log.Warnings.Should().ContainSingle(w => w.Contains(segment) && w.Contains("offset") && w.Contains("cut off"));
        new FileInfo(segment).Length.Should().Be(length / 5 * 4, "the file ends with a whole record again");
    }

    [Fact]
    public async Task A_damaged_record_in_the_middle_is_logged_with_its_file_and_offset_and_the_records_after_it_kept()
    {
        using (var outbox = Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                outbox.Append(RecordKinds.Summary, T0, Body("summary", i));
            }
        }

        var segment = Segments().Single();
        var frame = new FileInfo(segment).Length / 5;
        var bytes = File.ReadAllBytes(segment);
        bytes[(2 * frame) + 60] ^= 0x20;
        bytes[(2 * frame) + 4] ^= 0x7F; // its length too: the next record is found by its marker
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open();

        TakeAll(reopened).Select(r => r.Sequence).Should().Equal(1, 2, 4, 5);
        Errors.Should().ContainSingle(e => e.Contains(segment) && e.Contains($"offset {2 * frame}") && e.Contains("skipped"));
    }

    [Fact]
    public async Task An_unreadable_state_file_sends_acknowledged_records_again_rather_than_lose_any()
    {
        using (var outbox = Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                outbox.Append(RecordKinds.Health, T0, Body("health", i));
            }

            await outbox.FlushAsync(CancellationToken.None);
            AcknowledgeAll(outbox, outbox.Take(2, 1 << 20));
        }

        File.WriteAllText(Path.Combine(Directory, "outbox.state"), "this is not the state\n");

        using var reopened = Open();

        TakeAll(reopened).Select(r => r.Sequence).Should().Equal(1, 2, 3, 4, 5);
        Errors.Should().ContainSingle(e => e.Contains("outbox.state") && e.Contains("sent again"));
        reopened.Metrics.AppendedByKind[RecordKinds.Health].Should().Be(5, "counted again from the segment file");
    }

    [Fact]
    public void A_second_open_of_a_directory_in_use_fails_with_a_message_naming_it()
    {
        using (var first = Open())
        {
            var second = () => Open();

            second.Should().Throw<OutboxException>().Which.Message.Should().Contain(Directory).And.Contain("in use by another process");
        }

        using var afterwards = Open();
        afterwards.Metrics.PendingRecords.Should().Be(0);
    }

    [Fact]
    public void A_directory_that_cannot_be_made_fails_with_a_message_naming_it()
    {
        var file = Path.Combine(Directory, "a-file");
        File.WriteAllText(file, "");

        var open = () => Open(directory: Path.Combine(file, "outbox"));

        open.Should().Throw<OutboxException>().Which.Message.Should().Contain(Path.Combine(file, "outbox")).And.Contain("cannot be used");
    }

    [Fact]
    public async Task A_crash_at_any_point_of_a_write_loses_nothing_that_a_flush_confirmed()
    {
        var outbox = Open();
        for (var i = 1; i <= 200; i++)
        {
            outbox.Append(i % 20 == 0 ? RecordKinds.Alarm : RecordKinds.Summary, T0.AddSeconds(i), Body("r", i), sourceSequence: i);
        }

        await outbox.FlushAsync(CancellationToken.None);
        var confirmed = new FileInfo(Segments().Single()).Length;
        var taken = outbox.Take(50, 1 << 20);
        outbox.Acknowledge([.. taken.Take(30).Select(r => new SequenceRange(r.Sequence, r.Sequence))]);
        for (var i = 201; i <= 400; i++)
        {
            outbox.Append(RecordKinds.Summary, T0.AddSeconds(i), Body("r", i));
        }

        // The process dies now: what is on disk at this moment, cut at random points after what was confirmed, is all that is left.
        var random = new Random(7);
        var image = Path.Combine(Directory, "image");
        for (var crash = 0; crash < 12; crash++)
        {
            System.IO.Directory.CreateDirectory(image);
            foreach (var file in System.IO.Directory.GetFiles(Directory))
            {
                if (!file.EndsWith(".lock", StringComparison.Ordinal))
                {
                    File.Copy(file, Path.Combine(image, Path.GetFileName(file)));
                }
            }

            var segment = Path.Combine(image, Path.GetFileName(Segments()[^1]));
            var length = new FileInfo(segment).Length;
            using (var file = File.OpenWrite(segment))
            {
                file.SetLength(confirmed + (long)(random.NextDouble() * (length - confirmed)));
                if (crash % 3 == 0)
                {
                    file.Seek(0, SeekOrigin.End);
                    file.Write(new byte[random.Next(1, 300)].Select(_ => (byte)random.Next(256)).ToArray());
                }
            }

            using (var recovered = Open(directory: image))
            {
                var sequences = TakeAll(recovered).Select(r => r.Sequence).ToHashSet();
                sequences.Should().Contain(Enumerable.Range(1, 200).Select(i => (long)i).Except(taken.Take(30).Select(r => r.Sequence)), $"crash {crash} keeps every confirmed record");
                recovered.LastAlarmSequence.Should().BeGreaterThanOrEqualTo(200);
                recovered.Append(RecordKinds.Summary, T0, Json("{}"));
                await recovered.FlushAsync(CancellationToken.None);
                recovered.Metrics.LastSequence.Should().BeGreaterThan(sequences.Max());
            }

            System.IO.Directory.Delete(image, recursive: true);
        }

        outbox.Dispose();
    }
}
