using Factory.Contracts.Link;

namespace Factory.Edge.Tests.Outbox;

public sealed class EdgeOutboxTests : OutboxTestBase
{
    [Fact]
    public async Task Records_flushed_to_disk_are_taken_with_their_sequence_kind_time_and_body_and_acknowledged_ones_are_gone()
    {
        using var outbox = Open();
        outbox.Append(RecordKinds.Summary, T0, Json("""{"n":1}"""));
        outbox.Append(RecordKinds.Health, T0.AddSeconds(10), Json("""{"n":2}"""));
        await outbox.FlushAsync(CancellationToken.None);

        var taken = outbox.Take(10, 1 << 20);

        taken.Select(r => (r.Sequence, r.Kind, r.Time)).Should().Equal((1, RecordKinds.Summary, T0), (2, RecordKinds.Health, T0.AddSeconds(10)));
        taken.Select(Text).Should().Equal("""{"n":1}""", """{"n":2}""");
        outbox.Metrics.InFlightRecords.Should().Be(2);
        outbox.Take(10, 1 << 20).Should().BeEmpty("everything is in flight");

        outbox.Acknowledge([new SequenceRange(1, 2)]);

        var metrics = outbox.Metrics;
        metrics.PendingRecords.Should().Be(0);
        metrics.InFlightRecords.Should().Be(0);
        metrics.PendingBytes.Should().Be(0);
        metrics.OldestPendingTime.Should().BeNull();
        metrics.Acknowledged.Should().Be(2);
        metrics.LastSequence.Should().Be(2);
        metrics.AppendedByKind.Should().BeEquivalentTo(new Dictionary<string, long> { [RecordKinds.Summary] = 1, [RecordKinds.Health] = 1 });
        outbox.Take(10, 1 << 20).Should().BeEmpty();
    }

    [Fact]
    public async Task Every_pending_alarm_is_taken_first_then_the_other_kinds_in_append_order()
    {
        using var outbox = Open();
        outbox.Append(RecordKinds.Summary, T0, Json("""{"n":1}"""));
        outbox.Append(RecordKinds.Alarm, T0, Json("""{"sequence":7}"""), sourceSequence: 7);
        outbox.Append(RecordKinds.AnomalyWindow, T0, Json("""{"n":3}"""));
        outbox.Append(RecordKinds.Health, T0, Json("""{"n":4}"""));
        outbox.Append(RecordKinds.Alarm, T0, Json("""{"sequence":8}"""), sourceSequence: 8);
        await outbox.FlushAsync(CancellationToken.None);

        var first = outbox.Take(3, 1 << 20);
        var rest = outbox.Take(10, 1 << 20);

        first.Select(r => (r.Sequence, r.Kind)).Should().Equal((2, RecordKinds.Alarm), (5, RecordKinds.Alarm), (1, RecordKinds.Summary));
        rest.Select(r => r.Sequence).Should().Equal(3, 4);
        outbox.LastAlarmSequence.Should().Be(8);
    }

    [Fact]
    public async Task A_take_stops_at_the_byte_limit_but_returns_one_record_larger_than_it()
    {
        using var outbox = Open();
        outbox.Append(RecordKinds.AnomalyWindow, T0, new byte[5000]);
        outbox.Append(RecordKinds.Summary, T0, new byte[100]);
        outbox.Append(RecordKinds.Summary, T0, new byte[100]);
        outbox.Append(RecordKinds.Summary, T0, new byte[100]);
        await outbox.FlushAsync(CancellationToken.None);

        outbox.Take(10, 1000).Select(r => r.Body.Length).Should().Equal(5000);
        outbox.Take(10, 250).Select(r => r.Sequence).Should().Equal(2, 3);
        outbox.Take(10, 250).Select(r => r.Sequence).Should().Equal(4);
    }

    [Fact]
    public async Task Requeued_records_are_taken_again_alarms_first_and_the_rest_in_order_before_newer_ones()
    {
        using var outbox = Open();
        for (var i = 1; i <= 4; i++)
        {
            outbox.Append(RecordKinds.Summary, T0, Json($$"""{"n":{{i}}}"""));
        }

        outbox.Append(RecordKinds.Alarm, T0, Json("{}"), sourceSequence: 1);
        await outbox.FlushAsync(CancellationToken.None);
        outbox.Take(3, 1 << 20).Select(r => r.Sequence).Should().Equal(5, 1, 2);
        outbox.Append(RecordKinds.Summary, T0, Json("""{"n":6}"""));
        await outbox.FlushAsync(CancellationToken.None);

        outbox.Requeue();

        outbox.Metrics.InFlightRecords.Should().Be(0);
        TakeAll(outbox).Select(r => r.Sequence).Should().Equal(5, 1, 2, 3, 4, 6);
    }

    [Fact]
    public async Task Waiting_for_pending_records_ends_when_a_record_is_on_disk()
    {
        using var outbox = Open(flushInterval: TimeSpan.FromMilliseconds(50));
        var wait = outbox.WaitForPendingAsync(CancellationToken.None);
        wait.IsCompleted.Should().BeFalse();

        outbox.Append(RecordKinds.Health, T0, Json("{}"));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));

        outbox.Take(10, 1000).Should().ContainSingle();
        var next = outbox.WaitForPendingAsync(CancellationToken.None);
        await Task.Delay(100);
        next.IsCompleted.Should().BeFalse("the only record is in flight");
        outbox.Requeue();
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_backlog_age_is_the_time_of_the_oldest_record_not_acknowledged()
    {
        using var outbox = Open();
        outbox.Append(RecordKinds.Summary, T0.AddMinutes(5), Json("{}"));
        outbox.Append(RecordKinds.Alarm, T0.AddMinutes(1), Json("{}"), sourceSequence: 3);
        outbox.Append(RecordKinds.Summary, T0.AddMinutes(7), Json("{}"));
        await outbox.FlushAsync(CancellationToken.None);
        outbox.Metrics.OldestPendingTime.Should().Be(T0.AddMinutes(1));

        outbox.Take(1, 1000).Single().Sequence.Should().Be(2);
        outbox.Metrics.OldestPendingTime.Should().Be(T0.AddMinutes(1), "in flight is not yet acknowledged");
        outbox.Acknowledge([new SequenceRange(2, 2)]);

        outbox.Metrics.OldestPendingTime.Should().Be(T0.AddMinutes(5));
        outbox.Metrics.PendingRecords.Should().Be(2);
    }

    [Fact]
    public async Task Appends_from_many_threads_get_every_sequence_once_in_append_order()
    {
        using var outbox = Open(segmentBytes: 64 * 1024);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                outbox.Append(RecordKinds.Summary, T0, Json($$"""{"t":{{t}},"i":{{i}}}"""));
            }
        })));
        await outbox.FlushAsync(CancellationToken.None);

        var taken = TakeAll(outbox);

        taken.Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, 20_000).Select(i => (long)i));
        foreach (var group in taken.GroupBy(r => Text(r)[..7]))
        {
            group.Select(r => int.Parse(Text(r)[(Text(r).LastIndexOf(':') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)).Should().BeInAscendingOrder();
        }

        outbox.Metrics.AppendedByKind[RecordKinds.Summary].Should().Be(20_000);
    }
}
