using System.Text;
using System.Text.Json;
using Factory.Cloud.Ingest;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Link;

namespace Factory.Cloud.Tests.Ingest;

public sealed class RecordBatchReaderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    internal static SensorSummary Summary(string line = "line-1", string sensor = "temp", int i = 0) =>
        new(line, "cnc-01", sensor, Start.AddSeconds(10 * i), 10, 100, 1, 3, 2, 0.5, 2.5, "°C");

    internal static byte[] Body(SensorSummary s) => JsonSerializer.SerializeToUtf8Bytes(s, LinkJsonContext.Default.SensorSummary);

    [Fact]
    public void A_batch_written_by_the_edge_is_read_back_record_by_record()
    {
        var payload = RecordBatchWriter.Write("line-1", [(1, RecordKinds.Summary, Body(Summary(i: 0))), (2, RecordKinds.Summary, Body(Summary(i: 1)))]);

        RecordBatchReader.TryRead(LinkTopics.Records("line-1"), payload, out var batch, out var error).Should().BeTrue(error);

        batch.Line.Should().Be("line-1");
        batch.Stored.Should().Equal(1, 2);
        batch.SetAside.Should().BeEmpty();
        batch.Records.Summaries.Should().Equal(Summary(i: 0), Summary(i: 1));
    }

    [Fact]
    public void A_bad_record_is_set_aside_alone_and_the_rest_of_its_batch_is_kept()
    {
        var wrongLine = Body(Summary(line: "line-2"));
        var notFinite = Encoding.UTF8.GetBytes("""{"line":"line-1","machine":"cnc-01","sensor":"t","start":"2026-11-28T10:00:00Z","intervalSeconds":10,"count":0,"min":1,"max":2,"mean":1,"stdDev":0,"last":1}""");
        var payload = RecordBatchWriter.Write("line-1", [(1, RecordKinds.Summary, Body(Summary())), (2, RecordKinds.Summary, wrongLine), (3, "gossip", Body(Summary())), (4, RecordKinds.Summary, notFinite)]);

        RecordBatchReader.TryRead(LinkTopics.Records("line-1"), payload, out var batch, out var error).Should().BeTrue(error);

        batch.Stored.Should().Equal(1);
        batch.SetAside.Select(s => s.Sequence).Should().Equal(2, 3, 4);
        batch.SetAside[0].Reason.Should().Be("record 2 (summary) of line line-1: it says line 'line-2' but came from line 'line-1'");
        batch.SetAside[1].Reason.Should().Contain("kind 'gossip' is not one of alarm, summary, health, anomaly-window");
        batch.SetAside[2].Reason.Should().Contain("'count' must be 1 or more");
        batch.AllSequences.Order().Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public void A_record_whose_body_comes_before_its_kind_is_read_all_the_same()
    {
        var body = Encoding.UTF8.GetString(Body(Summary()));
        var payload = Encoding.UTF8.GetBytes($$"""{"v":1,"line":"line-1","records":[{"body":{{body}},"seq":9,"kind":"summary"}]}""");

        RecordBatchReader.TryRead(LinkTopics.Records("line-1"), payload, out var batch, out var error).Should().BeTrue(error);

        batch.Stored.Should().Equal(9);
        batch.Records.Summaries.Should().Equal(Summary());
    }

    [Theory]
    [InlineData("factory/v1/lines/line-1/records", "not json at all", "the message on factory/v1/lines/line-1/records is not a record batch")]
    [InlineData("factory/v1/lines/line-1/records", """{"v":1,"line":"line-1"}""", "'v', 'line' and 'records' are required")]
    [InlineData("factory/v1/lines/line-1/records", """{"v":1,"line":"line-9","records":[]}""", "says version 1 and line 'line-9'; its topic says version 1 and line 'line-1'")]
    [InlineData("factory/v2/lines/line-1/records", """{"v":2,"line":"line-1","records":[]}""", "protocol version 2 of line line-1 is not one this cloud reads (1)")]
    [InlineData("factory/v1/line-1/records", "{}", "topic 'factory/v1/line-1/records' is not factory/v<version>/lines/<line>/records")]
    public void A_message_that_cannot_be_read_is_refused_with_what_and_where(string topic, string payload, string expected)
    {
        RecordBatchReader.TryRead(topic, Encoding.UTF8.GetBytes(payload), out _, out var error).Should().BeFalse();

        error.Should().Contain(expected);
    }

    [Fact]
    public void Sequence_numbers_become_inclusive_ranges()
    {
        IngestPipeline.ToRanges([1, 2, 3, 5, 7, 8, 8, 9]).Should().Equal(new SequenceRange(1, 3), new SequenceRange(5, 5), new SequenceRange(7, 9));
        IngestPipeline.ToRanges([]).Should().BeEmpty();
    }
}
