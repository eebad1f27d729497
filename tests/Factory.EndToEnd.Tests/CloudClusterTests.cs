using System.Text.Json;
using Factory.Cloud.Access;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Link;
using Factory.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace Factory.EndToEnd.Tests;

/// <summary>
/// Three cloud nodes as separate processes forming one Akka.Cluster, sharing the ingest of three
/// simulated lines (three edge processes) through a Mosquitto shared subscription, writing to
/// one InfluxDB, and keeping users, model registry and planning in one PostgreSQL database. One
/// node is killed during ingest: its machines' entities move to the others and are rebuilt there,
/// the queries keep answering, a user signed in on one node is signed in on another, a model
/// registered through one is served by the others, every summary reaches InfluxDB exactly once,
/// and the node rejoins when started again.
/// </summary>
[Collection(WholeSystemCollection.Name)]
public sealed class CloudClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string DatabaseName = "factory";
    private const string PatsPassword = "pats-long-password";

    private static readonly string[] Lines = ["line-1", "line-2", "line-3"];

    private readonly string _directory = Directory.CreateTempSubdirectory("factory-cluster-").FullName;
    private readonly MosquittoProcess _broker = new();
    private readonly InfluxProcess _influx = new();
    private readonly PostgresProcess _postgres = new();
    private readonly int[] _httpPorts = [MosquittoProcess.FreePort(), MosquittoProcess.FreePort(), MosquittoProcess.FreePort()];
    private readonly int[] _clusterPorts = [MosquittoProcess.FreePort(), MosquittoProcess.FreePort(), MosquittoProcess.FreePort()];
    private readonly int[] _panelPorts = [MosquittoProcess.FreePort(), MosquittoProcess.FreePort(), MosquittoProcess.FreePort()];
    private string _token = null!;
    private readonly List<FactoryProcess> _clouds = [];
    private readonly List<FactoryProcess> _edges = [];
    private FactoryProcess _simulator = null!;

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        await _broker.StartAsync();
        await _postgres.StartAsync();

        // One user for all three nodes, made as an admin would, in the database they share.
        _token = await ApiUsers.TokenAsync(_postgres.Database(DatabaseName), "ops", UserRoles.Planner, UserRoles.ReliabilityEngineer);
        await new UserAccounts(_postgres.Database(DatabaseName), TimeProvider.System).AddAsync("pat", PatsPassword, [UserRoles.Planner], default);
        var plant = await PlantFile.WriteAsync(_directory);
        var models = Directory.CreateDirectory(Path.Combine(_directory, "models")).FullName;
        _simulator = new FactoryProcess("simulate", "--config", plant, "--acceleration", "20", "--status-interval", "60");
        for (var i = 0; i < 3; i++)
        {
            var data = Path.Combine(_directory, $"cloud-{i + 1}");
            var cloud = new FactoryProcess(
                "cloud", "--config", plant, "--data", data, "--port", $"{_httpPorts[i]}", "--node", $"cloud-{i + 1}",
                "--database", _postgres.ConnectionString(DatabaseName),
                "--broker", _broker.Address, "--ingest-group", "factory-cloud",
                "--influx", _influx.BaseUri.ToString(), "--influx-database", "factory",
                "--cluster-port", $"{_clusterPorts[i]}", "--cluster-seed", $"127.0.0.1:{_clusterPorts[0]}", "--cluster-seed", $"127.0.0.1:{_clusterPorts[1]}",
                "--cluster-stable-after", "5");
            cloud.Environment["FACTORY_DATABASE_PASSWORD"] = _postgres.Password;
            _clouds.Add(cloud);
            _edges.Add(new FactoryProcess(
                "edge", "--config", plant, "--line", Lines[i], "--panel-port", $"{_panelPorts[i]}", "--data", Path.Combine(_directory, $"edge-{i + 1}"), "--models", models,
                "--broker", _broker.Address, "--summary-interval", "1"));
        }

        _simulator.Start();
        foreach (var cloud in _clouds)
        {
            cloud.Start();
        }

        foreach (var edge in _edges)
        {
            edge.Start();
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            output.WriteLine($"--- cloud-{i + 1} ---\n{_clouds[i].Output}");
        }

        foreach (var process in _edges.Concat(_clouds).Append(_simulator))
        {
            await process.DisposeAsync();
        }

        await _broker.DisposeAsync();
        await _influx.DisposeAsync();
        await _postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_node_killed_during_ingest_loses_nothing_its_machines_move_and_it_rejoins()
    {
        await Api.WaitForAsync(ClusterOf(0), c => UpMembers(c) == 3, TimeSpan.FromSeconds(90), "three nodes form the cluster", _token);
        for (var i = 0; i < 3; i++)
        {
            await Api.WaitForAsync(Link(i), l => l.GetProperty("connected").GetBoolean() && l.Long("recordsAcknowledged") > 100, TimeSpan.FromSeconds(90), $"{Lines[i]}'s edge sends and the cloud acknowledges");
        }

        // Where each machine's entity lives now.
        var victim = await Api.GetAsync(ClusterOf(1), _token);
        var victimAddress = victim!.Value.GetProperty("self").GetString()!;
        var machines = await MachinesAsync();
        // The coordinator gives the first node the first shards and rebalances them as nodes join (every 10 s).
        var homes = new Dictionary<(string Line, string Machine), string>();
        var spreadBy = DateTime.UtcNow.AddSeconds(90);
        do
        {
            foreach (var machine in machines)
            {
                homes[machine] = (await StateAsync(0, machine)).GetProperty("node").GetString()!;
            }

            output.WriteLine($"{machines.Count} machines: {string.Join(", ", homes.GroupBy(h => h.Value).Select(g => $"{g.Count()} on {g.Key}"))}");
        }
        while (homes.Values.Distinct().Count() < 3 && DateTime.UtcNow < spreadBy && await Delay(TimeSpan.FromSeconds(3)));

        homes.Values.Distinct().Should().HaveCount(3, "the machines' entities are spread over the three nodes");
        var moved = homes.Where(h => h.Value == victimAddress).Select(h => h.Key).ToList();

        // Node 2 dies mid-ingest, as a power cut would.
        await _clouds[1].KillAsync();
        var killedAt = DateTimeOffset.UtcNow;

        // The others keep answering the portal's queries while the cluster decides.
        (await Api.GetAsync(Latest(0), _token)).Should().NotBeNull("node 1 answers at once");
        (await Api.GetAsync(Latest(2), _token)).Should().NotBeNull("node 3 answers at once");

        // The split-brain resolver downs the dead node; its machines start on the others, rebuilt from the stores.
        await Api.WaitForAsync(ClusterOf(0), c => UpMembers(c) == 2 && c.GetProperty("unreachable").GetArrayLength() == 0, TimeSpan.FromSeconds(60), "the dead node is removed", _token);
        output.WriteLine($"removed after {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s");
        foreach (var machine in moved)
        {
            var state = await Api.WaitForAsync(StateUrl(2, machine), s => s.GetProperty("node").GetString() != victimAddress, TimeSpan.FromSeconds(30), $"{machine} answers from a living node", _token);
            state.GetProperty("health").ValueKind.Should().Be(JsonValueKind.Object, $"{machine}'s entity was rebuilt from the store with its newest health");
        }

        output.WriteLine($"{moved.Count} machines moved; first answer from their new home {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s after the kill");

        // Users, sign-in and model registry are the database's: one node's work is the others'.
        await SignedInOnOneIsSignedInOnAnotherAsync(0, 2);
        var package = await File.ReadAllBytesAsync(PlantFile.RepositoryFile("models/cnc-spindle-anomaly-1.fmpkg"));
        using (var http = ApiUsers.Client(Node(0), _token))
        using (var registered = await http.PostAsync("api/models/register?name=cnc-spindle-anomaly-1.fmpkg", new ByteArrayContent(package)))
        {
            registered.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        }

        (await PackageAsync(2)).Should().Equal(package, "node 3 serves the package node 1 registered");

        // The node comes back and rejoins.
        _clouds[1].Start();
        await Api.WaitForAsync(ClusterOf(0), c => UpMembers(c) == 3, TimeSpan.FromSeconds(90), "the node rejoins", _token);
        await Api.WaitForAsync(ClusterOf(1), c => UpMembers(c) == 3, TimeSpan.FromSeconds(30), "the rejoined node sees the cluster", _token);
        (await StateAsync(1, moved[0])).GetProperty("line").GetString().Should().Be(moved[0].Line, "the rejoined node answers for any machine");
        (await PackageAsync(1)).Should().Equal(package, "the rejoined node serves the package registered while it was down");

        // The plant stops; once every edge has sent everything, InfluxDB holds every summary they produced, once.
        await _simulator.KillAsync();
        long produced = 0;
        for (var i = 0; i < 3; i++)
        {
            await Api.WaitForAsync(Link(i), l => l.Long("outbox", "pendingRecords") == 0 && l.Long("outbox", "inFlightRecords") == 0, TimeSpan.FromSeconds(180), $"{Lines[i]}'s outbox drains");
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 3; i++)
        {
            produced += (await Api.GetAsync(Link(i)))!.Value.Long("outbox", "appendedByKind", RecordKinds.Summary);
        }

        var count = $"http://127.0.0.1:{_httpPorts[2]}/api/telemetry/summaries/count";
        var stored = (await Api.WaitForAsync(count, c => c.Long("summaries") >= produced, TimeSpan.FromSeconds(30), "InfluxDB has every summary", _token)).Long("summaries");
        output.WriteLine($"produced {produced}, stored {stored}");
        stored.Should().Be(produced, "every summary the edges produced is stored exactly once, whichever node took it");
    }

    private static async Task<bool> Delay(TimeSpan time)
    {
        await Task.Delay(time);
        return true;
    }

    /// <summary>Signs pat in through node <paramref name="at"/>'s login form; node <paramref name="on"/> serves pat the planning page with that cookie.</summary>
    private async Task SignedInOnOneIsSignedInOnAnotherAsync(int at, int on)
    {
        // Cookies are per host, not per port: the client sends node 1's cookies to node 3 as a browser would behind one address.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() });
        var form = await http.GetStringAsync(new Uri(Node(at), "login"));
        var input = System.Text.RegularExpressions.Regex.Match(form, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*>").Value;
        var antiforgery = System.Text.RegularExpressions.Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        antiforgery.Should().NotBeEmpty($"the login form carries an antiforgery token: {form}");
        using var signIn = await http.PostAsync(new Uri(Node(at), "account/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["userName"] = "pat",
            ["password"] = PatsPassword,
            ["returnUrl"] = "/planning",
        }));
        signIn.Headers.Location?.ToString().Should().Be("/planning", "pat's password is accepted");

        using var page = await http.GetAsync(new Uri(Node(on), "planning"));
        page.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, $"node {on + 1} reads the cookie node {at + 1} issued (it redirected to {page.Headers.Location})");
        (await page.Content.ReadAsStringAsync()).Should().Contain("pat");
    }

    private async Task<byte[]> PackageAsync(int node)
    {
        using var http = ApiUsers.Client(Node(node), _token);
        using var response = await http.GetAsync("api/models/cnc-spindle-anomaly/1/package");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private Uri Node(int node) => new($"http://127.0.0.1:{_httpPorts[node]}/");

    private static int UpMembers(JsonElement cluster) =>
        cluster.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up");

    private string ClusterOf(int node) => $"http://127.0.0.1:{_httpPorts[node]}/api/cluster";

    private string Latest(int node) => $"http://127.0.0.1:{_httpPorts[node]}/api/telemetry/latest";

    private string Link(int edge) => $"http://127.0.0.1:{_panelPorts[edge]}/api/link";

    private string StateUrl(int node, (string Line, string Machine) machine) =>
        $"http://127.0.0.1:{_httpPorts[node]}/api/machines/state?line={machine.Line}&machine={machine.Machine}";

    private async Task<JsonElement> StateAsync(int node, (string Line, string Machine) machine)
    {
        try
        {
            return await Api.WaitForAsync(StateUrl(node, machine), _ => true, TimeSpan.FromSeconds(30), $"{machine} answers", _token);
        }
        catch (TimeoutException e)
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", _token);
            using var response = await http.GetAsync(StateUrl(node, machine));
            throw new TimeoutException($"{e.Message}; now {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}", e);
        }
    }

    private async Task<List<(string Line, string Machine)>> MachinesAsync()
    {
        var latest = await Api.WaitForAsync(
            Latest(0),
            l => l.EnumerateArray().Where(m => m.GetProperty("health").ValueKind == JsonValueKind.Object).Select(m => m.GetProperty("line").GetString()).Distinct().Count() == Lines.Length,
            TimeSpan.FromSeconds(60),
            "every line's machines are in the store",
            _token);
        return [.. latest.EnumerateArray().Where(m => m.GetProperty("health").ValueKind == JsonValueKind.Object).Select(m => (m.GetProperty("line").GetString()!, m.GetProperty("machine").GetString()!))];
    }
}
