using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Factory.Cloud.Ingest;
using Factory.Cloud.Storage;
using Factory.Contracts.Link;
using Factory.Link;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Ingest;

/// <summary>
/// The ingest from edge messages to the embedded store (a real one, in a fresh folder): what is
/// stored, what is acknowledged and when, what is set aside. The MQTT side is left out here; the
/// end-to-end tests run it with Mosquitto.
/// </summary>
public sealed class IngestPipelineTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-ingest-").FullName;
    private readonly ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> _published = new();
    private readonly CancellationTokenSource _stop = new();
    private EmbeddedTelemetryStore _store = null!;
    private SetAsideLog _setAside = null!;
    private IngestPipeline _pipeline = null!;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _store = new EmbeddedTelemetryStore(_folder, NullLogger.Instance);
        _setAside = new SetAsideLog(Path.Combine(_folder, SetAsideLog.FileName));
        _pipeline = new IngestPipeline(
            _store,
            _setAside,
            (topic, payload, retain, _) =>
            {
                _published.Enqueue((topic, payload, retain));
                return Task.CompletedTask;
            },
            new IngestOptions(),
            TimeProvider.System,
            NullLogger.Instance);
        _running = _pipeline.RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static byte[] Batch(string line, params (long Seq, int Index)[] records) =>
        RecordBatchWriter.Write(line, records.Select(r => (r.Seq, RecordKinds.Summary, (ReadOnlyMemory<byte>)RecordBatchReaderTests.Body(RecordBatchReaderTests.Summary(line, i: r.Index)))));

    private async Task<TaskCompletionSource> AcceptAsync(string topic, byte[] payload)
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _pipeline.AcceptAsync(new IngestMessage(topic, payload, _ => { acknowledged.TrySetResult(); return Task.CompletedTask; }), CancellationToken.None);
        return acknowledged;
    }

    /// <summary>The newest acknowledgement published to the line's edge, waiting for it (it follows the broker's acknowledgement).</summary>
    private async Task<RecordAcknowledgement> LastAcknowledgementAsync(string line)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(10))
        {
            if (_published.LastOrDefault(p => p.Topic == LinkTopics.Acknowledgements(line)) is { Payload: { } payload })
            {
                return JsonSerializer.Deserialize(payload, LinkJsonContext.Default.RecordAcknowledgement)!;
            }
        }

        throw new TimeoutException($"no acknowledgement was published to {line} within 10 s");
    }

    [Fact]
    public async Task A_batch_is_stored_then_acknowledged_to_the_broker_and_to_its_edge()
    {
        var acknowledged = await AcceptAsync(LinkTopics.Records("line-1"), Batch("line-1", (1, 0), (2, 1), (3, 2)));

        await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(10));

        (await _store.CountSummariesAsync("line-1", CancellationToken.None)).Should().Be(3);
        (await LastAcknowledgementAsync("line-1")).Should().BeEquivalentTo(new RecordAcknowledgement(1, "line-1", [new SequenceRange(1, 3)], 0));
    }

    [Fact]
    public async Task A_redelivered_batch_is_acknowledged_again_and_stored_once()
    {
        var payload = Batch("line-1", (1, 0), (2, 1));
        await (await AcceptAsync(LinkTopics.Records("line-1"), payload)).Task.WaitAsync(TimeSpan.FromSeconds(10));

        await (await AcceptAsync(LinkTopics.Records("line-1"), payload)).Task.WaitAsync(TimeSpan.FromSeconds(10));

        (await _store.CountSummariesAsync(null, CancellationToken.None)).Should().Be(2);
        _published.Count(p => p.Topic == LinkTopics.Acknowledgements("line-1")).Should().BeGreaterThanOrEqualTo(2, "the edge may have missed the first acknowledgement");
        _pipeline.Metrics.Records.Should().Be(4);
    }

    [Fact]
    public async Task Garbage_is_set_aside_with_its_topic_and_reason_and_the_stream_goes_on()
    {
        var garbage = await AcceptAsync(LinkTopics.Records("line-1"), [0xff, 0x00, 0x41]);
        var future = await AcceptAsync("factory/v7/lines/line-2/records", Encoding.UTF8.GetBytes("""{"v":7,"line":"line-2","records":[]}"""));
        var good = await AcceptAsync(LinkTopics.Records("line-1"), Batch("line-1", (5, 0)));

        await Task.WhenAll(garbage.Task, future.Task, good.Task).WaitAsync(TimeSpan.FromSeconds(10));

        (await _store.CountSummariesAsync("line-1", CancellationToken.None)).Should().Be(1, "the good batch after the garbage is stored");
        _pipeline.Metrics.SetAsideMessages.Should().Be(2);
        var entries = File.ReadAllLines(_setAside.Path).Select(l => JsonSerializer.Deserialize<SetAsideEntry>(l, Web)!).ToList();
        entries.Should().HaveCount(2);
        entries[0].Topic.Should().Be("factory/v1/lines/line-1/records");
        entries[0].Reason.Should().StartWith("the message on factory/v1/lines/line-1/records is not a record batch");
        entries[0].Base64.Should().BeTrue("the payload is not UTF-8, so it is kept as base64");
        entries[0].Payload.Should().Be(Convert.ToBase64String([0xff, 0x00, 0x41]));
        var refusal = _published.Single(p => p.Topic == LinkTopics.Refusals("line-2"));
        refusal.Retain.Should().BeTrue("an edge that connects later reads it");
        JsonSerializer.Deserialize(refusal.Payload, LinkJsonContext.Default.LinkRefusal)!.Reason.Should().Contain("protocol version 7 of line line-2 is not one this cloud reads (1)");
    }

    [Fact]
    public async Task A_bad_record_is_acknowledged_as_set_aside_and_kept_for_a_person()
    {
        var bad = Encoding.UTF8.GetBytes("""{"line":"line-1","machine":"cnc-01"}""");
        var payload = RecordBatchWriter.Write("line-1", [(1, RecordKinds.Summary, RecordBatchReaderTests.Body(RecordBatchReaderTests.Summary())), (2, RecordKinds.Summary, bad)]);

        await (await AcceptAsync(LinkTopics.Records("line-1"), payload)).Task.WaitAsync(TimeSpan.FromSeconds(10));

        (await LastAcknowledgementAsync("line-1")).Should().BeEquivalentTo(new RecordAcknowledgement(1, "line-1", [new SequenceRange(1, 2)], 1));
        _pipeline.Metrics.SetAsideRecords.Should().Be(1);
        File.ReadAllText(_setAside.Path).Should().Contain("record 2 (summary) of line line-1: 'sensor' is missing");
    }
}
