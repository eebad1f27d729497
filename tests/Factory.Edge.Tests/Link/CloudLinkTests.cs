using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Contracts.Link;
using Factory.Edge.Link;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Edge.Tests.Node.Support;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Link;

/// <summary>
/// An edge node reading the simulated plant, linked to a real cloud node as the demo runs it
/// (embedded MQTTnet broker, ingest, embedded store), all in this process: what the edge produces
/// reaches the store, and a cloud that is away for a while (broker and ingest both) loses nothing.
/// The same path with Mosquitto and InfluxDB as processes is in Factory.EndToEnd.Tests.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class CloudLinkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly EdgeHarness _edge = new(output);
    private readonly TemporaryDirectory _cloudData = new();
    private readonly ILoggerFactory _logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new EdgeHarness.OutputLoggerProvider(output)));
    private readonly int _brokerPort = EdgeHarness.FreePort();
    private WebApplication? _cloud;

    public async Task InitializeAsync()
    {
        await StartCloudAsync();
        _edge.Tuning = _edge.Tuning with { SummaryInterval = TimeSpan.FromSeconds(1) };
        _edge.Cloud = new CloudLinkOptions { Broker = new BrokerAddress("127.0.0.1", _brokerPort), AcknowledgementTimeout = TimeSpan.FromSeconds(3) };
        await _edge.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await StopCloudAsync();
        _cloudData.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Summaries_reach_the_cloud_once_even_when_the_cloud_is_away_for_a_while()
    {
        var link = await _edge.WaitForLinkAsync(l => l.Connected && l.RecordsAcknowledged > 20, TimeSpan.FromSeconds(30), "the edge sends and the cloud acknowledges");
        link.Broker.Should().Be($"mqtt://127.0.0.1:{_brokerPort}");

        await StopCloudAsync();
        var away = await _edge.WaitForLinkAsync(l => !l.Connected && l.Outbox.PendingRecords >= 30, TimeSpan.FromSeconds(30), "records wait in the outbox while the cloud is away");
        away.State.Should().Contain("cannot connect to mqtt://127.0.0.1");
        away.BacklogAgeSeconds.Should().BeGreaterThan(0);

        await StartCloudAsync();
        await _edge.StopSimulatorAsync();
        var drained = await _edge.WaitForLinkAsync(l => l.Connected && l.Outbox.PendingRecords == 0, TimeSpan.FromSeconds(60), "the backlog is sent once the cloud is back");
        await Task.Delay(TimeSpan.FromSeconds(3));
        drained = await _edge.WaitForLinkAsync(l => l.Outbox.PendingRecords == 0, TimeSpan.FromSeconds(30), "nothing more to send");

        var produced = drained.Outbox.AppendedByKind[RecordKinds.Summary];
        var stored = await _cloud!.Services.GetRequiredService<ITelemetryStore>().CountSummariesAsync(null, CancellationToken.None);
        stored.Should().Be(produced, "every summary the edge produced is in the store, once");
        produced.Should().BeGreaterThan(30);
        var latest = await _cloud.Services.GetRequiredService<ITelemetryStore>().LatestAsync(EdgeTestPlant.LineId, CancellationToken.None);
        latest.Select(m => m.Machine).Should().BeEquivalentTo(_edge.Plant.Lines.Single().Machines.Select(m => m.Id), "every machine of the line reported");
    }

    private async Task StartCloudAsync()
    {
        var options = new CloudOptions
        {
            DataDirectory = _cloudData.Path,
            Store = logs => new EmbeddedTelemetryStore(_cloudData.Path, logs.CreateLogger<EmbeddedTelemetryStore>()),
            StoreDescription = "embedded",
            EmbeddedBrokerPort = _brokerPort,
            HttpPort = 0,
        };
        _cloud = CloudNode.Build(options, _logs);
        await _cloud.StartAsync();
    }

    private async Task StopCloudAsync()
    {
        if (_cloud is { } cloud)
        {
            _cloud = null;
            await cloud.StopAsync();
            await cloud.DisposeAsync();
        }
    }
}
