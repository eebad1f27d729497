using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Cloud.Fleet;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Fleet;

/// <summary>
/// A machine's state in its cluster entity on a node that is a cluster of one: what the ingest
/// stores reaches the entity, the API answers from it, and a node started again rebuilds it
/// from the store.
/// </summary>
public sealed class MachineStatesTests : IAsyncLifetime
{
    private const string Line = "line-7";
    private const string Machine = "pump-3";

    private readonly string _data = Directory.CreateTempSubdirectory("factory-machine-states-").FullName;
    private WebApplication _node = null!;
    private CloudOptions _options = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _options = new CloudOptions
        {
            DataDirectory = _data,
            Store = logs => new EmbeddedTelemetryStore(_data, logs.CreateLogger<EmbeddedTelemetryStore>()),
            StoreDescription = "embedded",
            HttpPort = 0,
            EmbeddedBrokerPort = 0,
        };
        await StartAsync();
        _api = await ApiUsers.ClientAsync(CloudNode.ApiUri(_node), _data, "planner", "Planner");
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _node.StopAsync();
        await _node.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_entity_holds_the_newest_health_the_model_and_the_active_alarms_and_is_rebuilt_after_a_restart()
    {
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(1, RecordKinds.Health, Health(now.AddSeconds(-20), 0.2));
        await PublishAsync(2, RecordKinds.Health, Health(now.AddSeconds(-10), 0.9));
        await PublishAsync(3, RecordKinds.Alarm, Alarm(1, "anomaly", AlarmEventTypes.Activated, AlarmStates.Unacknowledged, now.AddSeconds(-9)));
        await PublishAsync(4, RecordKinds.Alarm, Alarm(2, "vibration-hh", AlarmEventTypes.Activated, AlarmStates.Unacknowledged, now.AddSeconds(-8)));
        await PublishAsync(5, RecordKinds.Alarm, Alarm(3, "vibration-hh", AlarmEventTypes.Cleared, AlarmStates.Normal, now.AddSeconds(-5)));

        var state = await WaitForStateAsync(s => s.Health?.LastScore == 0.9 && s.ActiveAlarms.Count == 1 && s.Observations >= 1, "the ingest's observations reach the entity");
        state.ModelInService.Should().Be("pump-anomaly v3");
        state.ActiveAlarms.Single().AlarmId.Should().Be($"{Line}/{Machine}/anomaly");
        state.Node.Should().StartWith($"akka.tcp://{CloudCluster.SystemName}@127.0.0.1:");
        state.Problem.Should().BeNull();

        // A new node on the same store: the entity starts there and reads the store.
        await _node.StopAsync();
        await _node.DisposeAsync();
        await StartAsync();
        _api.Dispose();
        _api = ApiUsers.Client(CloudNode.ApiUri(_node), await ApiUsers.TokenAsync(_data, "planner2", "Planner"));

        var rebuilt = await WaitForStateAsync(s => s.Health is not null, "the entity is rebuilt from the store");
        rebuilt.Observations.Should().Be(0, "nothing new was ingested since the restart");
        rebuilt.Health!.LastScore.Should().Be(0.9);
        rebuilt.ModelInService.Should().Be("pump-anomaly v3");
        rebuilt.ActiveAlarms.Select(a => a.AlarmId).Should().Equal($"{Line}/{Machine}/anomaly");
    }

    [Fact]
    public async Task A_question_without_a_machine_is_refused_and_the_cluster_of_one_reports_itself()
    {
        (await _api.GetAsync("/api/machines/state?line=line-7")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var cluster = await _api.GetFromJsonAsync<JsonElement>("/api/cluster");
        cluster.GetProperty("members").GetArrayLength().Should().Be(1);
        cluster.GetProperty("members")[0].GetProperty("status").GetString().Should().Be("Up");
        cluster.GetProperty("leader").GetString().Should().Be(cluster.GetProperty("self").GetString());
    }

    private async Task StartAsync()
    {
        _node = CloudNode.Build(_options, NullLoggerFactory.Instance);
        await _node.StartAsync();
    }

    private async Task<MachineState> WaitForStateAsync(Func<MachineState, bool> condition, string because)
    {
        MachineState? last = null;
        await Poll.UntilAsync(
            async () =>
            {
                var response = await _api.GetAsync($"/api/machines/state?line={Line}&machine={Machine}");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                last = await response.Content.ReadFromJsonAsync<MachineState>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
                return condition(last!);
            },
            because,
            TimeSpan.FromSeconds(30));
        return last!;
    }

    private async Task PublishAsync(long sequence, string kind, byte[] body)
    {
        await using var edge = new MqttLink(new MqttLinkOptions { Broker = CloudNode.BrokerOf(_node, _options), ClientId = $"test-edge-{sequence}" }, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = edge.RunAsync(stop.Token);
        await edge.WhenConnectedAsync(CancellationToken.None);
        await edge.PublishAsync(LinkTopics.Records(Line), RecordBatchWriter.Write(Line, [(sequence, kind, (ReadOnlyMemory<byte>)body)]), retain: false, CancellationToken.None);
        await stop.CancelAsync();
        await run;
    }

    private static byte[] Health(DateTimeOffset start, double score) => JsonSerializer.SerializeToUtf8Bytes(
        new MachineHealth(Line, Machine, start, 10, 10, score, score, score, 0.7, "pump-anomaly v3", "running", false),
        LinkJsonContext.Default.MachineHealth);

    private static byte[] Alarm(long sequence, string name, string eventType, string state, DateTimeOffset time) => JsonSerializer.SerializeToUtf8Bytes(
        new AlarmEvent(
            AlarmEvent.CurrentSchemaVersion, sequence, $"{Line}/{Machine}/{name}", Line, Machine, null, AlarmKinds.Anomaly, AlarmPriorities.High,
            eventType, state, state != AlarmStates.Normal, false, false, false, time, null, 0.9, 0.7, null, null, null, null, null, name),
        LinkJsonContext.Default.AlarmEvent);
}
