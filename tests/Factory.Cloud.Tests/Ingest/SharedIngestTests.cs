using System.Text.Json;
using Factory.Cloud.Alarms;
using Factory.Cloud.Hosting;
using Factory.Cloud.Ingest;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.EndToEnd.Tests.Support;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Ingest;

/// <summary>
/// Two cloud nodes on Mosquitto sharing the ingest through an MQTT 5 shared subscription, writing
/// to one InfluxDB: the broker gives each edge message to one of them, every record is stored once,
/// and each node's alarm board lists the alarms the other stored.
/// </summary>
public sealed class SharedIngestTests : IAsyncLifetime
{
    private const int Lines = 4;
    private const int BatchesPerLine = 50;
    private const int RecordsPerBatch = 5;

    private readonly MosquittoProcess _broker = new();
    private readonly InfluxProcess _influx = new();
    private readonly string _database = $"shared_{Guid.NewGuid():N}";
    private readonly List<(WebApplication Node, string Data)> _nodes = [];

    public async Task InitializeAsync()
    {
        await _broker.StartAsync();
        await _influx.StartAsync();
        foreach (var name in new[] { "cloud-a", "cloud-b" })
        {
            var data = Directory.CreateTempSubdirectory($"factory-shared-{name}-").FullName;
            var node = CloudNode.Build(
                new CloudOptions
                {
                    DataDirectory = data,
                    Store = logs => new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = _influx.BaseUri, Database = _database }, logs.CreateLogger<InfluxTelemetryStore>()),
                    StoreDescription = "InfluxDB",
                    Broker = BrokerAddress.Parse(_broker.Address),
                    HttpPort = 0,
                    NodeName = name,
                    Ingest = new IngestOptions { SharedGroup = "factory-cloud" },
                },
                NullLoggerFactory.Instance);
            await node.StartAsync();
            _nodes.Add((node, data));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (node, data) in _nodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }

        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Each_message_goes_to_one_node_and_every_record_is_stored_once()
    {
        IngestService[] ingests = [.. _nodes.Select(n => n.Node.Services.GetRequiredService<IngestService>())];
        await Poll.UntilAsync(() => ingests.All(i => i.Connected), "both nodes subscribe");
        IngestService.RecordsSubscription(new IngestOptions { SharedGroup = "factory-cloud" }).Should().Be("$share/factory-cloud/factory/+/lines/+/records");

        await using var edge = new MqttLink(new MqttLinkOptions { Broker = BrokerAddress.Parse(_broker.Address), ClientId = "test-edges" }, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = edge.RunAsync(stop.Token);
        await edge.WhenConnectedAsync(CancellationToken.None);
        for (var line = 1; line <= Lines; line++)
        {
            var lineId = $"line-{line}";
            for (var batch = 0; batch < BatchesPerLine; batch++)
            {
                var records = Enumerable.Range(0, RecordsPerBatch).Select(r => (
                    Seq: (long)((batch * RecordsPerBatch) + r + 1),
                    Kind: RecordKinds.Summary,
                    Body: (ReadOnlyMemory<byte>)RecordBatchReaderTests.Body(RecordBatchReaderTests.Summary(lineId, i: (batch * RecordsPerBatch) + r))));
                await edge.PublishAsync(LinkTopics.Records(lineId), RecordBatchWriter.Write(lineId, records), retain: false, CancellationToken.None);
            }
        }

        // An alarm of each of three machines per line, each in its own message: each node stores some of them.
        for (var line = 1; line <= Lines; line++)
        {
            var lineId = $"line-{line}";
            for (var machine = 1; machine <= 3; machine++)
            {
                var alarm = new AlarmEvent(
                    AlarmEvent.CurrentSchemaVersion, machine, $"{lineId}/m-{machine}/anomaly", lineId, $"m-{machine}", null, AlarmKinds.Anomaly, AlarmPriorities.High,
                    AlarmEventTypes.Activated, AlarmStates.Unacknowledged, true, false, false, false, DateTimeOffset.UtcNow, null, 12, 9, null, null, null, null, null, "anomaly");
                var body = JsonSerializer.SerializeToUtf8Bytes(alarm, LinkJsonContext.Default.AlarmEvent);
                await edge.PublishAsync(LinkTopics.Records(lineId), RecordBatchWriter.Write(lineId, [((BatchesPerLine * RecordsPerBatch) + machine, RecordKinds.Alarm, body)]), retain: false, CancellationToken.None);
            }
        }

        var store = _nodes[0].Node.Services.GetRequiredService<ITelemetryStore>();
        await Poll.UntilAsync(async () => await store.CountSummariesAsync(null, default) == Lines * BatchesPerLine * RecordsPerBatch, "every record is stored", TimeSpan.FromSeconds(60));

        // Every node's alarm board lists every line's alarms, whichever node stored them.
        AlarmBoard[] boards = [.. _nodes.Select(n => n.Node.Services.GetRequiredService<AlarmBoard>())];
        await Poll.UntilAsync(() => boards.All(b => b.Alarms.Count == Lines * 3), "both boards have all 12 alarms");

        var messages = ingests.Select(i => i.Pipeline.Metrics.Messages).ToList();
        messages.Sum().Should().Be((Lines * BatchesPerLine) + (Lines * 3), "the broker gave each message to one node of the group");
        messages.Should().OnlyContain(m => m > 0, "both nodes took a share");
        await Task.Delay(1000);
        (await store.CountSummariesAsync(null, default)).Should().Be(Lines * BatchesPerLine * RecordsPerBatch, "nothing stored twice");
        await stop.CancelAsync();
        await run;
    }
}
