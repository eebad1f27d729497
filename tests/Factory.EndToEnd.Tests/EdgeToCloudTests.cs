using System.Text;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Link;
using Factory.EndToEnd.Tests.Support;
using MQTTnet;
using Xunit.Abstractions;

namespace Factory.EndToEnd.Tests;

/// <summary>
/// The whole path with real servers, each its own process: the simulated plant (factory
/// simulate), the edge node of line 1 (factory edge), Debian's Mosquitto, the cloud node
/// (factory cloud) and Debian's InfluxDB 1.6. Outages of the broker, of the edge and of the
/// store, one after the other, and at the end every summary the edge produced is in InfluxDB,
/// once.
/// </summary>
[Collection(WholeSystemCollection.Name)]
public sealed class EdgeToCloudTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Line = "line-1";
    private readonly string _directory = Directory.CreateTempSubdirectory("factory-e2e-").FullName;
    private readonly MosquittoProcess _broker = new();
    private readonly InfluxProcess _influx = new();
    private readonly int _panelPort = MosquittoProcess.FreePort();
    private readonly int _cloudPort = MosquittoProcess.FreePort();
    private FactoryProcess _simulator = null!;
    private FactoryProcess _edge = null!;
    private FactoryProcess _cloud = null!;
    private string _token = "";

    private string Link => $"http://127.0.0.1:{_panelPort}/api/link";

    private string Ingest => $"http://127.0.0.1:{_cloudPort}/api/ingest";

    private string Count => $"http://127.0.0.1:{_cloudPort}/api/telemetry/summaries/count?line={Line}";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        await _broker.StartAsync();
        var plant = await PlantFile.WriteAsync(_directory);
        var models = Directory.CreateDirectory(Path.Combine(_directory, "models")).FullName;
        _simulator = new FactoryProcess("simulate", "--config", plant, "--acceleration", "20", "--status-interval", "60");
        _edge = new FactoryProcess(
            "edge", "--config", plant, "--line", Line, "--panel-port", $"{_panelPort}", "--data", Path.Combine(_directory, "edge"), "--models", models,
            "--broker", _broker.Address, "--summary-interval", "1");
        _cloud = new FactoryProcess(
            "cloud", "--data", Path.Combine(_directory, "cloud"), "--port", $"{_cloudPort}", "--broker", _broker.Address,
            "--influx", _influx.BaseUri.ToString(), "--influx-database", "factory");
        // A user of the cloud's API, made in its users database before it starts, as an admin would.
        _token = await ApiUsers.TokenAsync(Path.Combine(_directory, "cloud"), "e2e", "Planner");
        _simulator.Start();
        _cloud.Start();
        _edge.Start();
    }

    public async Task DisposeAsync()
    {
        output.WriteLine("--- edge ---\n" + _edge.Output);
        output.WriteLine("--- cloud ---\n" + _cloud.Output);
        await _edge.DisposeAsync();
        await _cloud.DisposeAsync();
        await _simulator.DisposeAsync();
        await _broker.DisposeAsync();
        await _influx.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_summary_reaches_InfluxDB_exactly_once_through_broker_edge_and_store_outages()
    {
        await Api.WaitForAsync(Link, l => l.GetProperty("connected").GetBoolean() && l.Long("recordsAcknowledged") > 200, TimeSpan.FromSeconds(60), "the edge sends and the cloud acknowledges");

        // 1. The broker stopped for as long as the edge takes to produce 10,000 summaries.
        var before = Produced(await Api.GetAsync(Link));
        await _broker.StopAsync();
        var during = await Api.WaitForAsync(Link, l => Produced(l) - before >= 10_000, TimeSpan.FromSeconds(120), "10,000 summaries produced while the broker is down");
        during.Long("outbox", "pendingRecords").Should().BeGreaterThanOrEqualTo(10_000, "they wait in the outbox");
        output.WriteLine($"broker down: {Produced(during) - before} summaries produced, backlog {during.Long("outbox", "pendingRecords")}");
        await _broker.StartAsync();
        await Api.WaitForAsync(Link, l => l.Long("outbox", "pendingRecords") < 2_000, TimeSpan.FromSeconds(120), "the backlog is sent after the broker is back");

        // 2. The broker killed mid-stream (it loses what it received since its last save) and started again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _broker.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _broker.StartAsync();

        // 3. The broker down again, and the edge killed during that outage and started again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await _edge.KillAsync();
        _edge.Start();
        await Api.WaitForAsync(Link, l => l.Long("outbox", "pendingRecords") > 0, TimeSpan.FromSeconds(60), "the restarted edge recovers its backlog");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _broker.StartAsync();

        // 4. InfluxDB stopped for a while: the cloud acknowledges nothing and keeps trying.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _influx.StopAsync();
        await Api.WaitForAsync(Ingest, i => i.TryGetProperty("storeProblem", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.String, TimeSpan.FromSeconds(30), "the cloud notices the store is down", _token);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await _influx.StartAsync();

        // 5. Garbage on the records topic: set aside, the stream goes on.
        await PublishGarbageAsync();
        await Api.WaitForAsync(Ingest, i => i.Long("setAsideMessages") >= 2, TimeSpan.FromSeconds(30), "garbage is set aside", _token);

        // The plant stops; once the edge has sent everything, InfluxDB holds every summary it produced, once.
        await _simulator.KillAsync();
        var drained = await Api.WaitForAsync(
            Link,
            l => l.Long("outbox", "pendingRecords") == 0 && l.Long("outbox", "inFlightRecords") == 0,
            TimeSpan.FromSeconds(180),
            "the edge's outbox drains");
        await Task.Delay(TimeSpan.FromSeconds(5));
        drained = (await Api.GetAsync(Link))!.Value;
        drained.Long("outbox", "pendingRecords").Should().Be(0);
        var produced = Produced(drained);
        var stored = (await Api.WaitForAsync(Count, c => c.Long("summaries") >= produced, TimeSpan.FromSeconds(30), "InfluxDB has every summary", _token)).Long("summaries");
        output.WriteLine($"produced {produced}, stored {stored}");
        stored.Should().Be(produced, "every summary the edge produced is stored exactly once");
        produced.Should().BeGreaterThan(10_000);
    }

    private static long Produced(System.Text.Json.JsonElement? link) => link?.Long("outbox", "appendedByKind", RecordKinds.Summary) ?? 0;

    private async Task PublishGarbageAsync()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("e2e-garbage").Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(LinkTopics.Records(Line)).WithPayload(Encoding.UTF8.GetBytes("{not json")).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("factory/v9/lines/line-1/records").WithPayload(Encoding.UTF8.GetBytes("""{"v":9,"line":"line-1","records":[]}""")).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }
}
