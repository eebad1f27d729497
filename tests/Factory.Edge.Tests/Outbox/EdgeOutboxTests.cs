using System.Text;
using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Outbox;
using Factory.Edge.Tests.Alarms.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Edge.Tests.Outbox;

public sealed class EdgeOutboxTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDirectory _directory = new();

    private EdgeOutbox Open(long quota = 1L << 30, int segmentBytes = 4 << 20) =>
        EdgeOutbox.Open(new OutboxOptions(_directory.Path) { QuotaBytes = quota, SegmentBytes = segmentBytes }, TimeProvider.System, NullLogger.Instance);

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static SensorSummary Summary(int i, string sensor = "temp") =>
        new("line-1", "cnc-01", sensor, T0.AddSeconds(10 * i), 10, 10, i, i + 2, i + 1, 0.5, i + 2, "°C");

    [Fact]
    public async Task Records_are_sent_only_once_on_disk_and_alarms_go_first()
    {
        using var outbox = Open();
        outbox.Append(RecordKinds.Summary, T0, Json("""{"n":1}"""));
        outbox.Append(RecordKinds.Summary, T0, Json("""{"n":2}"""));
        outbox.Append(RecordKinds.Alarm, T0, Json("""{"sequence":7}"""), sourceSequence: 7);
        await outbox.FlushAsync(CancellationToken.None);

        var taken = outbox.Take(10, 1 << 20);

        taken.Select(r => (r.Sequence, r.Kind)).Should().Equal((3, RecordKinds.Alarm), (1, RecordKinds.Summary), (2, RecordKinds.Summary));
        Encoding.UTF8.GetString(taken[1].Body.Span).Should().Be("""{"n":1}""");
        outbox.Metrics.InFlightRecords.Should().Be(3);
        outbox.LastAlarmSequence.Should().Be(7);
        outbox.Take(10, 1 << 20).Should().BeEmpty("everything is in flight");
    }

    [Fact]
    public async Task Acknowledged_records_are_forgotten_and_the_rest_survive_a_restart()
    {
        using (var outbox = Open())
        {
            for (var i = 0; i < 5; i++)
            {
                outbox.Append(RecordKinds.Summary, T0.AddSeconds(i), Json($$"""{"n":{{i}}}"""));
            }

            await outbox.FlushAsync(CancellationToken.None);
            outbox.Take(3, 1 << 20).Should().HaveCount(3);
            outbox.Acknowledge([new SequenceRange(1, 2)]);
            outbox.Metrics.PendingRecords.Should().Be(3);
        }

        using (var reopened = Open())
        {
            var taken = reopened.Take(10, 1 << 20);

            taken.Select(r => r.Sequence).Should().Equal(3, 4, 5);
            reopened.Metrics.AppendedByKind[RecordKinds.Summary].Should().Be(5);
            reopened.Metrics.Acknowledged.Should().Be(2);
            reopened.Append(RecordKinds.Summary, T0, Json("{}"));
            await reopened.FlushAsync(CancellationToken.None);
            reopened.Metrics.LastSequence.Should().Be(6, "sequence numbers are never reused");
        }
    }

    [Fact]
    public async Task Requeued_records_are_taken_again_in_order()
    {
        using var outbox = Open();
        for (var i = 0; i < 4; i++)
        {
            outbox.Append(RecordKinds.Summary, T0, Json("{}"));
        }

        await outbox.FlushAsync(CancellationToken.None);
        outbox.Take(2, 1 << 20);
        outbox.Requeue();

        outbox.Take(10, 1 << 20).Select(r => r.Sequence).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task A_record_cut_short_by_a_crash_is_cut_off_and_a_damaged_one_skipped()
    {
        using (var outbox = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                outbox.Append(RecordKinds.Summary, T0, Json($$"""{"n":{{i}}}"""));
            }

            await outbox.FlushAsync(CancellationToken.None);
        }

        var segment = Directory.GetFiles(_directory.Path, "outbox-*.seg").Order().First();
        var bytes = File.ReadAllBytes(segment);
        var frame = bytes.Length / 3;
        bytes[frame + 40] ^= 0xFF;
        File.WriteAllBytes(segment, [.. bytes, .. bytes.AsSpan(0, 10).ToArray()]);

        using var reopened = Open();
        reopened.Take(10, 1 << 20).Select(r => r.Sequence).Should().Equal([1L, 3L], "the damaged second record is skipped and the torn tail cut off");
    }

    [Fact]
    public void A_second_node_cannot_open_the_same_outbox()
    {
        using var outbox = Open();

        var second = () => Open();

        second.Should().Throw<OutboxException>().WithMessage($"*{_directory.Path}*another edge node*");
    }

    [Fact]
    public async Task Over_the_quota_old_summaries_are_merged_exactly_and_alarms_are_kept()
    {
        using var outbox = Open(quota: 6_000, segmentBytes: 1_500);
        outbox.Append(RecordKinds.Alarm, T0, Json("""{"sequence":1}"""), sourceSequence: 1);
        for (var i = 0; i < 6; i++)
        {
            outbox.Append(Summary(i));
        }

        outbox.Append(RecordKinds.Health, T0, Json("""{"x":1}"""));
        for (var i = 6; i < 30; i++)
        {
            outbox.Append(Summary(i));
            await outbox.FlushAsync(CancellationToken.None);
        }

        await outbox.FlushAsync(CancellationToken.None);
        var metrics = outbox.Metrics;
        metrics.Downsampled.Should().BeGreaterThan(0);
        metrics.EvictedByKind.GetValueOrDefault(RecordKinds.Health).Should().Be(1);
        metrics.EvictedByKind.Should().NotContainKey(RecordKinds.Alarm);

        var taken = outbox.Take(1000, 1 << 30);
        taken.Count(r => r.Kind == RecordKinds.Alarm).Should().Be(1, "alarms are never evicted");
        var merged = taken.Where(r => r.Kind == RecordKinds.Summary).Select(r => JsonSerializer.Deserialize(r.Body.Span, LinkJsonContext.Default.SensorSummary)!).First(s => s.IntervalSeconds == 60);

        // The first minute holds summaries 0..5: 10 samples each, means 1..6, standard deviation 0.5 each.
        merged.Start.Should().Be(T0);
        merged.Count.Should().Be(60);
        merged.Min.Should().Be(0);
        merged.Max.Should().Be(7);
        merged.Mean.Should().BeApproximately(3.5, 1e-9);
        var variance = (0.25 * 60 + Enumerable.Range(1, 6).Sum(m => 10 * (m - 3.5) * (m - 3.5))) / 60;
        merged.StdDev.Should().BeApproximately(Math.Sqrt(variance), 1e-9);
        merged.Last.Should().Be(7);
    }

    public void Dispose() => _directory.Dispose();
}
