using Factory.Cloud.Broker;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
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
/// An edge node linked to a cloud node whose embedded broker speaks TLS only and lets in its users
/// only, as docs/security.md sets a plant up: with the plant's CA and its user's password the edge's
/// summaries reach the store; with a wrong password it is refused and keeps them in its outbox.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class SecureCloudLinkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string EdgeUser = "edge-line-1";
    private const string EdgePassword = "line-1-mqtt-password";

    private readonly TestPki _pki = new();
    private readonly TemporaryDirectory _cloudData = new();
    private readonly ILoggerFactory _logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new EdgeHarness.OutputLoggerProvider(output)));
    private WebApplication _cloud = null!;
    private BrokerAddress _broker = null!;

    public async Task InitializeAsync()
    {
        var passwords = Path.Combine(_pki.Directory, "passwords");
        await File.WriteAllTextAsync(passwords, BrokerPasswordFile.Line(EdgeUser, EdgePassword) + "\n");
        var options = new CloudOptions
        {
            DataDirectory = _cloudData.Path,
            Store = logs => new EmbeddedTelemetryStore(_cloudData.Path, logs.CreateLogger<EmbeddedTelemetryStore>()),
            StoreDescription = "embedded",
            EmbeddedBrokerPort = 0,
            HttpPort = 0,
            EmbeddedBrokerTls = _pki.Broker,
            EmbeddedBrokerUsers = BrokerPasswordFile.Load(passwords),
        };
        _cloud = CloudNode.Build(options, _logs);
        await _cloud.StartAsync();
        _broker = CloudNode.BrokerOf(_cloud, options);
    }

    public async Task DisposeAsync()
    {
        await _cloud.StopAsync();
        await _cloud.DisposeAsync();
        _cloudData.Dispose();
        _pki.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task With_the_plants_ca_and_its_password_the_edges_summaries_reach_the_store_over_tls()
    {
        await using var edge = Edge(EdgePassword);
        await edge.StartAsync();

        var link = await edge.WaitForLinkAsync(l => l.Connected && l.RecordsAcknowledged > 20, TimeSpan.FromSeconds(30), "the edge sends over TLS and the cloud acknowledges");

        link.Broker.Should().StartWith("mqtts://127.0.0.1:");
        (await _cloud.Services.GetRequiredService<ITelemetryStore>().CountSummariesAsync(EdgeTestPlant.LineId, default)).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task With_a_wrong_password_the_edge_is_refused_and_keeps_its_records()
    {
        await using var edge = Edge("not the password");
        await edge.StartAsync();

        var link = await edge.WaitForLinkAsync(l => !l.Connected && l.Outbox.PendingRecords > 20, TimeSpan.FromSeconds(30), "records wait while the broker refuses the edge");

        link.State.Should().Contain("NotAuthorized").And.NotContain("not the password");
        link.RecordsAcknowledged.Should().Be(0);
        (await _cloud.Services.GetRequiredService<ITelemetryStore>().CountSummariesAsync(EdgeTestPlant.LineId, default)).Should().Be(0);
    }

    /// <summary>An edge of the test line linked to the cloud's broker over TLS as <see cref="EdgeUser"/>, trusting the plant's CA.</summary>
    private EdgeHarness Edge(string password)
    {
        var edge = new EdgeHarness(output);
        edge.Tuning = edge.Tuning with { SummaryInterval = TimeSpan.FromSeconds(1) };
        edge.Cloud = new CloudLinkOptions { Broker = _broker, UserName = EdgeUser, Password = password, Trust = BrokerTrust.FromCaFile(_pki.CaPem), AcknowledgementTimeout = TimeSpan.FromSeconds(3) };
        return edge;
    }
}
