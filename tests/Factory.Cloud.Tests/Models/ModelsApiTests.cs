using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Cloud.Hosting;
using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Contracts.Models;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Models;

/// <summary>The registry's HTTP API on a real cloud node, and the deployment it announces on the node's embedded broker.</summary>
[Collection(RegistryPackagesCollection.Name)]
public sealed class ModelsApiTests(RegistryPackages packages) : IAsyncLifetime
{
    private const string Id = RegistryPackages.ModelId;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _data = Directory.CreateTempSubdirectory("factory-registry-api-").FullName;
    private WebApplication _cloud = null!;
    private CloudOptions _options = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _options = new CloudOptions
        {
            DataDirectory = _data,
            Store = logs => new EmbeddedTelemetryStore(_data, logs.CreateLogger<EmbeddedTelemetryStore>()),
            StoreDescription = "embedded",
            EmbeddedBrokerPort = 0,
            HttpPort = 0,
        };
        _cloud = CloudNode.Build(_options, NullLoggerFactory.Instance);
        await _cloud.StartAsync();
        _http = new HttpClient { BaseAddress = CloudNode.ApiUri(_cloud) };
    }

    [Fact]
    public async Task Register_promote_and_roll_back_over_http_with_the_audit_and_the_retained_deployment()
    {
        (await RegisterAsync(1, 9f)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await RegisterAsync(2, 8f)).StatusCode.Should().Be(HttpStatusCode.Created);

        (await PostAsync($"/api/models/{Id}/1/promote?stage=fleet&actor=alice")).FleetVersion.Should().Be(1);
        (await PostAsync($"/api/models/{Id}/2/promote?stage=canary&line=line-2&actor=alice")).CanaryLine.Should().Be("line-2");
        (await PostAsync($"/api/models/{Id}/2/promote?stage=fleet&actor=alice")).FleetVersion.Should().Be(2);

        var list = await _http.GetFromJsonAsync<List<ModelSummary>>("/api/models", Json);
        list!.Should().ContainSingle().Which.Should().Be(new ModelSummary(Id, "cnc-spindle", 2, 2, null, null, 2));
        var fleet = await DeploymentAsync(ModelTopics.Fleet, d => d.Models.Any(m => m.Version == 2));
        var v2 = await _http.GetFromJsonAsync<ModelVersionInfo>($"/api/models/{Id}/2", Json);
        fleet.Models.Should().ContainSingle().Which.Should().Be(new DeployedModel(Id, 2, v2!.ContentHash, v2.Length));
        v2.Stage.Should().Be(ModelStage.Fleet);

        (await PostAsync($"/api/models/{Id}/rollback?actor=bob")).FleetVersion.Should().Be(1);
        await DeploymentAsync(ModelTopics.Fleet, d => d.Models.Single().Version == 1);
        (await DeploymentAsync(ModelTopics.Canary("line-2"), _ => true)).Models.Should().BeEmpty();

        var package = await _http.GetByteArrayAsync($"/api/models/{Id}/1/package");
        package.Should().Equal(await File.ReadAllBytesAsync(Path.Combine(_data, "models", Id, "1.fmpkg")));
        var audit = await _http.GetFromJsonAsync<List<ModelAuditEntry>>($"/api/models/audit?model={Id}", Json);
        audit!.Select(a => a.Action).Should().Equal("rollback-fleet", "promote-fleet", "promote-canary", "promote-fleet", "register", "register");
        audit![0].Actor.Should().Be("bob");
    }

    [Fact]
    public async Task Refusals_are_problems_that_say_what_and_why()
    {
        await RegisterAsync(1, 9f);
        var tampered = packages.Write(3, name: "-api-tampered");
        RegistryPackages.Tamper(tampered);

        var unknown = await _http.GetAsync("/api/models/no-such-model");
        var version = await _http.GetAsync($"/api/models/{Id}/7");
        var corrupt = await _http.PostAsync("/api/models/register?name=bad.fmpkg&actor=alice", new ByteArrayContent(await File.ReadAllBytesAsync(tampered)));
        var stage = await _http.PostAsync($"/api/models/{Id}/1/promote?stage=everywhere", null);

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await DetailAsync(unknown)).Should().Be($"No model 'no-such-model' in the registry (registered: {Id}).");
        version.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await DetailAsync(version)).Should().Be($"{Id} has no version 7 (registered: 1).");
        corrupt.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DetailAsync(corrupt)).Should().StartWith("Refused bad.fmpkg: Model package bad.fmpkg").And.Contain("hash");
        stage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DetailAsync(stage)).Should().Be("stage 'everywhere' is not one of canary, fleet");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cloud.StopAsync();
        await _cloud.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<HttpResponseMessage> RegisterAsync(int version, float threshold)
    {
        var path = packages.Write(version, threshold, name: $"-api-{threshold}");
        var response = await _http.PostAsync($"/api/models/register?name={Path.GetFileName(path)}&actor=alice", new ByteArrayContent(await File.ReadAllBytesAsync(path)));
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return response;
    }

    private async Task<ModelAssignment> PostAsync(string uri)
    {
        var response = await _http.PostAsync(uri, null);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ModelAssignment>(Json))!;
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemDetails>(Json))?.Detail;

    /// <summary>Subscribes afresh (the broker hands over the retained message) until the deployment on the topic satisfies the condition.</summary>
    private async Task<ModelDeployment> DeploymentAsync(string topic, Func<ModelDeployment, bool> condition)
    {
        ModelDeployment? last = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var received = new ConcurrentQueue<ModelDeployment>();
            await using var link = new MqttLink(
                new MqttLinkOptions { Broker = CloudNode.BrokerOf(_cloud, _options), ClientId = "test-" + Guid.NewGuid().ToString("N"), Subscriptions = [topic] },
                NullLogger.Instance);
            link.MessageReceived = e =>
            {
                received.Enqueue(JsonSerializer.Deserialize(e.ApplicationMessage.Payload.ToArray(), ModelDeploymentJsonContext.Default.ModelDeployment)!);
                return Task.CompletedTask;
            };
            using var stop = new CancellationTokenSource();
            var run = link.RunAsync(stop.Token);
            await link.WhenConnectedAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(200);
            await stop.CancelAsync();
            await run;
            if (received.TryDequeue(out last) && condition(last))
            {
                return last;
            }
        }

        throw new TimeoutException($"No deployment on {topic} as expected; last: {JsonSerializer.Serialize(last)}");
    }
}
