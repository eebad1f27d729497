using Factory.Cloud.Fleet;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Factory.Cloud.Tests.Fleet;

/// <summary>Two cloud nodes in one cluster: a machine's entity answers from whichever node holds it, with the whole state across the wire.</summary>
public sealed class ClusterOfTwoTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<(WebApplication Node, string Data)> _nodes = [];

    public async Task InitializeAsync()
    {
        var seedPort = Factory.EndToEnd.Tests.Support.MosquittoProcess.FreePort();
        var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new OutputProvider(output)));
        foreach (var (name, port) in new[] { ("a", seedPort), ("b", 0) })
        {
            var data = Directory.CreateTempSubdirectory($"factory-cluster2-{name}-").FullName;
            var node = CloudNode.Build(
                new CloudOptions
                {
                    DataDirectory = data,
                    Store = l => new EmbeddedTelemetryStore(data, l.CreateLogger<EmbeddedTelemetryStore>()),
                    StoreDescription = "embedded",
                    HttpPort = 0,
                    EmbeddedBrokerPort = 0,
                    NodeName = name,
                    Cluster = new CloudCluster { Port = port, Seeds = [CloudCluster.SeedAddress("127.0.0.1", seedPort)] },
                },
                logs);
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
    }

    [Fact]
    public async Task Every_machine_answers_from_either_node_with_its_whole_state()
    {
        var a = _nodes[0].Node.Services.GetRequiredService<MachineStates>();
        var b = _nodes[1].Node.Services.GetRequiredService<MachineStates>();
        var cluster = Akka.Cluster.Cluster.Get(_nodes[0].Node.Services.GetRequiredService<Akka.Actor.ActorSystem>());
        await Factory.Cloud.Tests.Support.Poll.UntilAsync(() => cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 2, "both nodes are up", TimeSpan.FromSeconds(30));

        var now = DateTimeOffset.UtcNow;
        var machines = Enumerable.Range(1, 20).Select(i => $"m-{i:00}").ToList();

        // The coordinator may give every shard to the first node and rebalance them as node b
        // registers (every 10 s). Each node here has a store of its own, so an entity that moved
        // rebuilds from the other, empty one: it is told its machine's health again, each pass and
        // whenever it answers without it.
        var homes = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (homes.Count < 2 && DateTime.UtcNow < deadline)
        {
            homes.Clear();
            a.Observe(new TelemetryBatch([], [.. machines.Select(Health)], [], []));
            foreach (var machine in machines)
            {
                MachineState state = null!;
                await Factory.Cloud.Tests.Support.Poll.UntilAsync(
                    async () =>
                    {
                        state = await b.GetAsync("line-1", machine, default);
                        if (state.Health is null)
                        {
                            a.Observe(new TelemetryBatch([], [Health(machine)], [], []));
                        }

                        return state.Health is not null;
                    },
                    $"{machine} has its health",
                    TimeSpan.FromSeconds(30));
                state.Health!.LastScore.Should().Be(0.5);
                state.ModelInService.Should().Be("model v1");
                homes.Add(state.Node);
            }

            await Task.Delay(homes.Count < 2 ? 1000 : 0);
        }

        homes.Should().HaveCount(2, "the twenty machines are spread over both nodes, and each answers node b's questions");

        MachineHealth Health(string machine) => new("line-1", machine, now, 10, 10, 0.5, 0.5, 0.5, 0.7, "model v1", "running", false);
    }

    private sealed class OutputProvider(ITestOutputHelper output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ITestOutputHelper output, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                try
                {
                    output.WriteLine($"{logLevel} {category}: {formatter(state, exception)} {exception}");
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }
}
