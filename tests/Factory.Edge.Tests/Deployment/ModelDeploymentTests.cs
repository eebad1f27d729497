using System.Text.Json;
using Factory.Cloud.Hosting;
using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Contracts.Models;
using Factory.Edge.Link;
using Factory.Edge.Models;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Edge.Tests.Node.Support;
using Factory.Link;
using Factory.Ml.Packages;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Deployment;

/// <summary>
/// The registry's deployment end to end: a real cloud node (registry, embedded broker) and a real
/// edge node reading the simulator over OPC UA. Promotion, canary, a refused canary (schema), a
/// refused announcement (content hash), fleet, rollback, and a restart with the cloud away.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class ModelDeploymentTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string PackageId = "pump-anomaly";

    private readonly EdgeHarness _edge = new(output);
    private readonly TemporaryDirectory _cloudData = new();
    private readonly TemporaryDirectory _staging = new();
    private readonly ILoggerFactory _logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new EdgeHarness.OutputLoggerProvider(output)));
    private readonly int _brokerPort = EdgeHarness.FreePort();
    private WebApplication? _cloud;

    private ModelRegistry Registry => _cloud!.Services.GetRequiredService<ModelRegistry>();

    public async Task InitializeAsync()
    {
        _cloud = CloudNode.Build(
            new CloudOptions
            {
                DataDirectory = _cloudData.Path,
                Store = logs => new EmbeddedTelemetryStore(_cloudData.Path, logs.CreateLogger<EmbeddedTelemetryStore>()),
                StoreDescription = "embedded",
                EmbeddedBrokerPort = _brokerPort,
                HttpPort = 0,
            },
            _logs);
        await _cloud.StartAsync();
        _edge.Cloud = new CloudLinkOptions { Broker = new BrokerAddress("127.0.0.1", _brokerPort), AcknowledgementTimeout = TimeSpan.FromSeconds(3) };
        await _edge.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        if (_cloud is { } cloud)
        {
            await cloud.StopAsync();
            await cloud.DisposeAsync();
        }

        _cloudData.Dispose();
        _staging.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Promote_canary_fleet_and_roll_back_reach_the_edge_refusals_keep_the_old_model_and_a_restart_offline_runs_the_last_good_version()
    {
        var line = EdgeTestPlant.LineId;
        var v1 = await RegisterAsync(1);
        var v2 = await RegisterAsync(2);
        var withoutFlow = EdgeTestPlant.Pump("pump-1") with { Sensors = [.. EdgeTestPlant.Pump("pump-1").Sensors.Where(s => s.Id != "flow")] };
        var v3 = await RegisterAsync(3, withoutFlow);

        // Fleet v1: the edge fetches it and scores with it.
        await Registry.PromoteToFleetAsync(PackageId, 1, "alice", force: false, default);
        await _edge.WaitForModelsAsync(r => Pumps(r).All(m => m.Version == 1), "the fleet version arrives");
        await _edge.WaitForLineAsync(l => l.Machines.Where(m => m.Type == "centrifugal-pump").All(m => m.AnomalyScore is not null), TimeSpan.FromSeconds(20), "v1 scores");

        // A canary that does not fit the line's pumps is refused with the reason; v1 keeps scoring.
        await Registry.PromoteToCanaryAsync(PackageId, 3, line, "alice", default);
        var v3Path = Path.Combine(_edge.Models.Path, DeploymentReceiver.FolderName, PackageId, "3" + ModelPackage.FileExtension);
        var refused = await _edge.WaitForModelsAsync(r => r.Refused.Count(x => x.Path == v3Path) == 2, "v3 refused for both pumps");
        refused.Refused.Where(x => x.Path == v3Path).Should().AllSatisfy(x => x.Reason.Should().Contain("does not fit machine").And.Contain("flow"));
        Pumps(refused).Should().AllSatisfy(m => m.Should().Match<Factory.Edge.Actors.MachineModel>(p => p.Version == 1 && p.Reason!.Contains($"deployed {PackageId} version 3 is refused")));

        // A canary of v2: swapped in without emptying the windows (the first evaluation scores).
        await Registry.PromoteToCanaryAsync(PackageId, 2, line, "alice", default);
        await _edge.WaitForModelsAsync(r => Pumps(r).All(m => m.Version == 2), "the canary version arrives");
        var swapped = await _edge.WaitForLineAsync(l => l.Machines.Where(m => m.Type == "centrifugal-pump").All(m => m.Model!.Contains("version 2")), TimeSpan.FromSeconds(5), "the pumps took v2");
        swapped.Machines.Where(m => m.Type == "centrifugal-pump").Should().AllSatisfy(m => m.AnomalyScore.Should().NotBeNull("the windows were kept across the swap"));

        // Fleet v2 (forced: the canary has no other line to compare with here), then rollback: v1 again.
        await Registry.PromoteToFleetAsync(PackageId, 2, "alice", force: true, default);
        await Registry.RollbackAsync(PackageId, canaryOnly: false, "bob", default);
        await _edge.WaitForModelsAsync(r => Pumps(r).All(m => m.Version == 1), "the rollback reaches the edge although v2 is newer");

        // An announcement whose content hash is not the package's: refused, v1 stays.
        await PublishAsync(ModelTopics.Canary(line), JsonSerializer.SerializeToUtf8Bytes(
            new ModelDeployment(ModelDeployment.CurrentSchemaVersion, [new DeployedModel(PackageId, 2, new string('0', 64), v2.Length)], DateTimeOffset.UtcNow),
            ModelDeploymentJsonContext.Default.ModelDeployment));
        var v2Path = Path.Combine(_edge.Models.Path, DeploymentReceiver.FolderName, PackageId, "2" + ModelPackage.FileExtension);
        var tampered = await _edge.WaitForModelsAsync(r => r.Refused.Any(x => x.Path == v2Path && x.Reason.Contains("the cloud announced")), "the hash mismatch refused");
        Pumps(tampered).Should().AllSatisfy(m => m.Version.Should().Be(1));

        // Garbage on the deployment topic changes nothing.
        await PublishAsync(ModelTopics.Canary(line), "{not json"u8.ToArray());
        await PublishAsync(ModelTopics.Canary(line), []);

        // Restart the edge with the cloud gone: the deployed v1 runs again, not the newer v2 beside it.
        await _cloud!.StopAsync();
        await _cloud.DisposeAsync();
        _cloud = null;
        await _edge.StopEdgeAsync();
        await _edge.StartEdgeAsync();
        await _edge.WaitForModelsAsync(r => Pumps(r).All(m => m.Version == 1), "the deployed version after a restart offline");

        // The assignment becomes v3, which does not fit; after a restart with nothing running, the
        // pumps run the last good v1 (recorded when the rollback took effect), not the newest fitting v2.
        await _edge.StopEdgeAsync();
        var deployment = Path.Combine(_edge.Models.Path, DeploymentReceiver.FolderName, DeploymentReceiver.FileName);
        await File.WriteAllBytesAsync(deployment, JsonSerializer.SerializeToUtf8Bytes(
            new ModelDeployment(ModelDeployment.CurrentSchemaVersion, [new DeployedModel(PackageId, 3, v3.ContentHash, v3.Length)], DateTimeOffset.UtcNow),
            ModelDeploymentJsonContext.Default.ModelDeployment));
        await _edge.StartEdgeAsync();
        var restarted = await _edge.WaitForModelsAsync(r => Pumps(r).All(m => m.Version is not null), "a model after a restart with an unusable assignment");
        Pumps(restarted).Should().AllSatisfy(m => m.Version.Should().Be(1, "v1 is the last good deployed version; v2 is newer but was rolled back"));
        var lastGood = LastGoodModels.Read(_edge.Models.Path, _logs.CreateLogger("test"));
        lastGood[PackageId].Should().Be(new DeployedModel(PackageId, 1, v1.ContentHash, v1.Length));
    }

    private static IEnumerable<Factory.Edge.Actors.MachineModel> Pumps(Factory.Edge.Actors.ModelReport report) =>
        report.Machines.Where(m => m.MachineType == "centrifugal-pump");

    private async Task<ModelVersionInfo> RegisterAsync(int version, Factory.Plant.Model.Machine? schemaOf = null)
    {
        var path = Path.Combine(_staging.Path, $"{PackageId}-{version}{ModelPackage.FileExtension}");
        SimulatorModels.Train(_edge.Plant, "centrifugal-pump", PackageId, version, path, EdgeHarness.Seed + (ulong)version, DateTimeOffset.UtcNow, schemaOf);
        await using var file = File.OpenRead(path);
        return await Registry.RegisterAsync(file, Path.GetFileName(path), "alice", default);
    }

    private async Task PublishAsync(string topic, byte[] payload)
    {
        await using var link = new MqttLink(new MqttLinkOptions { Broker = new BrokerAddress("127.0.0.1", _brokerPort), ClientId = "test-" + Guid.NewGuid().ToString("N") }, _logs.CreateLogger("test"));
        using var stop = new CancellationTokenSource();
        var run = link.RunAsync(stop.Token);
        await link.WhenConnectedAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        await link.PublishAsync(topic, payload, retain: true, default);
        await stop.CancelAsync();
        await run;
    }
}
