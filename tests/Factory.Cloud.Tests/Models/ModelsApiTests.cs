using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Cloud.Access;
using Factory.Cloud.Hosting;
using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Models;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly Dictionary<int, byte[]> _uploaded = [];
    private WebApplication _cloud = null!;
    private CloudOptions _options = null!;
    private HttpClient _http = null!;
    private HttpClient _bob = null!;

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
        _http = await ApiUsers.ClientAsync(CloudNode.ApiUri(_cloud), _data, "alice", UserRoles.ReliabilityEngineer);
        _bob = await ApiUsers.ClientAsync(CloudNode.ApiUri(_cloud), _data, "bob", UserRoles.ReliabilityEngineer, UserRoles.Planner);
    }

    [Fact]
    public async Task Register_promote_and_roll_back_over_http_with_the_audit_and_the_retained_deployment()
    {
        (await RegisterAsync(1, 9f)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await RegisterAsync(2, 8f)).StatusCode.Should().Be(HttpStatusCode.Created);

        (await PostAsync($"/api/models/{Id}/1/promote?stage=fleet")).FleetVersion.Should().Be(1);
        (await PostAsync($"/api/models/{Id}/2/promote?stage=canary&line=line-2")).CanaryLine.Should().Be("line-2");
        (await PostAsync($"/api/models/{Id}/2/promote?stage=fleet")).FleetVersion.Should().Be(2);

        var list = await _http.GetFromJsonAsync<List<ModelSummary>>("/api/models", Json);
        list!.Should().ContainSingle().Which.Should().Be(new ModelSummary(Id, "cnc-spindle", 2, 2, null, null, 2));
        var fleet = await DeploymentAsync(ModelTopics.Fleet, d => d.Models.Any(m => m.Version == 2));
        var v2 = await _http.GetFromJsonAsync<ModelVersionInfo>($"/api/models/{Id}/2", Json);
        fleet.Models.Should().ContainSingle().Which.Should().Be(new DeployedModel(Id, 2, v2!.ContentHash, v2.Length));
        v2.Stage.Should().Be(ModelStage.Fleet);

        (await PostAsync($"/api/models/{Id}/rollback", _bob)).FleetVersion.Should().Be(1);
        await DeploymentAsync(ModelTopics.Fleet, d => d.Models.Single().Version == 1);
        (await DeploymentAsync(ModelTopics.Canary("line-2"), _ => true)).Models.Should().BeEmpty();

        var package = await _http.GetByteArrayAsync($"/api/models/{Id}/1/package");
        package.Should().Equal(_uploaded[1], "the package is served as it was uploaded");
        var audit = await _http.GetFromJsonAsync<List<ModelAuditEntry>>($"/api/models/audit?model={Id}", Json);
        audit!.Select(a => a.Action).Should().Equal("rollback-fleet", "promote-fleet", "promote-canary", "promote-fleet", "register", "register");
        audit!.Select(a => a.Actor).Should().Equal("bob", "alice", "alice", "alice", "alice", "alice");
    }

    [Fact]
    public async Task Refusals_are_problems_that_say_what_and_why()
    {
        await RegisterAsync(1, 9f);
        var tampered = packages.Write(3, name: "-api-tampered");
        RegistryPackages.Tamper(tampered);

        var unknown = await _http.GetAsync("/api/models/no-such-model");
        var version = await _http.GetAsync($"/api/models/{Id}/7");
        var corrupt = await _http.PostAsync("/api/models/register?name=bad.fmpkg", new ByteArrayContent(await File.ReadAllBytesAsync(tampered)));
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

    [Fact]
    public async Task Only_a_user_with_a_token_reads_and_only_a_reliability_engineer_changes_models()
    {
        await RegisterAsync(1, 9f);
        var address = CloudNode.ApiUri(_cloud);
        using var anonymous = new HttpClient { BaseAddress = address };
        using var forged = ApiUsers.Client(address, "fct_" + new string('A', 43));
        var plannerToken = await ApiUsers.TokenAsync(_data, "paula", UserRoles.Planner);
        using var planner = ApiUsers.Client(address, plannerToken);

        var noToken = await anonymous.GetAsync("/api/models");
        noToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        noToken.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        (await DetailAsync(noToken)).Should().StartWith("The request has no API token.").And.Contain("Account page");
        (await anonymous.GetAsync("/api/telemetry/latest")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync($"/api/models/{Id}/1/promote?stage=fleet", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);

        var unknown = await forged.GetAsync("/api/models");
        unknown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await DetailAsync(unknown)).Should().StartWith("The API token is unknown or was revoked.");

        // A planner reads, and is refused a promotion with the role it needs; nothing changed.
        (await planner.GetFromJsonAsync<List<ModelSummary>>("/api/models", Json))!.Should().ContainSingle();
        var promote = await planner.PostAsync($"/api/models/{Id}/1/promote?stage=fleet", null);
        promote.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await DetailAsync(promote)).Should().Be("User 'paula' may not do this: it needs the role ReliabilityEngineer.");
        (await planner.PostAsync($"/api/models/{Id}/rollback", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await planner.PostAsync("/api/models/register?name=x.fmpkg", new ByteArrayContent([1, 2, 3]))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _http.GetFromJsonAsync<ModelVersionInfo>($"/api/models/{Id}/1", Json))!.Stage.Should().NotBe(ModelStage.Fleet);

        // Roles are those of the moment: given the role, the same token promotes; revoked, it is refused.
        var accounts = _cloud.Services.GetRequiredService<UserAccounts>();
        await accounts.SetRolesAsync("paula", [UserRoles.Planner, UserRoles.ReliabilityEngineer], default);
        (await planner.PostAsync($"/api/models/{Id}/1/promote?stage=fleet", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var tokens = _cloud.Services.GetRequiredService<ApiTokens>();
        var paulas = await tokens.ListAsync("paula", default);
        paulas.Should().ContainSingle().Which.LastUsed.Should().NotBeNull();
        await tokens.RevokeAsync("paula", paulas[0].Key, default);
        (await planner.GetAsync("/api/models")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // A removed user's tokens go with them.
        await ApiUsers.TokenAsync(_data, "paula");
        await accounts.RemoveAsync("paula", default);
        (await tokens.ListAsync("paula", default)).Should().BeEmpty();
        (await _http.GetFromJsonAsync<List<ModelAuditEntry>>($"/api/models/audit?model={Id}", Json))![0].Actor.Should().Be("paula");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _bob.Dispose();
        await _cloud.StopAsync();
        await _cloud.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<HttpResponseMessage> RegisterAsync(int version, float threshold)
    {
        var path = packages.Write(version, threshold, name: $"-api-{threshold}");
        _uploaded[version] = await File.ReadAllBytesAsync(path);
        var response = await _http.PostAsync($"/api/models/register?name={Path.GetFileName(path)}", new ByteArrayContent(_uploaded[version]));
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return response;
    }

    private async Task<ModelAssignment> PostAsync(string uri, HttpClient? client = null)
    {
        var response = await (client ?? _http).PostAsync(uri, null);
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
