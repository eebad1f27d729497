using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Factory.Cloud.Fleet;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Benchmarks;

/// <summary>
/// The cost of the cluster's machine entities on one cloud node (a cluster of one, embedded
/// store): managed memory per entity once started and rebuilt, how fast new entities start,
/// how fast observations reach them, and how fast they answer questions, against a plain
/// actor's question round trip on the same actor system as the baseline.
/// </summary>
public static class MachineEntitiesBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = BenchmarkArguments.Int(args, "--count", 20_000);
        var rounds = BenchmarkArguments.Int(args, "--rounds", 3);
        Console.WriteLine($"machine-entities: {count} machines per round, {rounds} rounds, {Environment.ProcessorCount} cores");
        Console.WriteLine("| round | entities started/s | MB managed per 1,000 entities | observations/s | asks/s (entity) | asks/s (plain actor, baseline) | entity/baseline |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        for (var round = 1; round <= rounds; round++)
        {
            await RoundAsync(round, count);
        }

        return 0;
    }

    private static async Task RoundAsync(int round, int count)
    {
        var data = Directory.CreateTempSubdirectory("factory-entities-bench-").FullName;
        var options = new CloudOptions
        {
            DataDirectory = data,
            Store = logs => new EmbeddedTelemetryStore(data, logs.CreateLogger<EmbeddedTelemetryStore>()),
            StoreDescription = "embedded",
            HttpPort = 0,
            EmbeddedBrokerPort = 0,
            NodeName = $"bench-{round}",
        };
        var node = CloudNode.Build(options, NullLoggerFactory.Instance);
        await node.StartAsync();
        try
        {
            var states = node.Services.GetRequiredService<MachineStates>();
            var system = node.Services.GetRequiredService<ActorSystem>();
            var machines = Enumerable.Range(0, count).Select(i => ($"line-{i / 24}", $"machine-{i % 24:00}")).ToArray();
            var now = DateTimeOffset.UtcNow;

            var before = Managed();
            var started = Stopwatch.StartNew();
            Observe(states, machines, now, 0.1);
            await AskAllAsync(states, machines, s => s.Health is not null);
            started.Stop();
            var after = Managed();

            var observed = Stopwatch.StartNew();
            const int Updates = 5;
            for (var u = 1; u <= Updates; u++)
            {
                Observe(states, machines, now.AddSeconds(u * 10), 0.1 + (u / 10.0));
            }

            await AskAllAsync(states, machines, s => s.Observations >= Updates + 1);
            observed.Stop();

            var asked = Stopwatch.StartNew();
            await AskAllAsync(states, machines, _ => true);
            asked.Stop();

            var echo = system.ActorOf(Props.Create(() => new Echo()));
            var baseline = Stopwatch.StartNew();
            await Parallel.ForEachAsync(machines, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (m, ct) => await echo.Ask<string>(m.Item2, TimeSpan.FromSeconds(30), ct));
            baseline.Stop();

            var askRate = count / asked.Elapsed.TotalSeconds;
            var baselineRate = count / baseline.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {round} | {count / started.Elapsed.TotalSeconds:N0} | {(after - before) / 1e6 / count * 1000:0.00} | {count * Updates / observed.Elapsed.TotalSeconds:N0} | {askRate:N0} | {baselineRate:N0} | {askRate / baselineRate:0.00} |"));
        }
        finally
        {
            await node.StopAsync();
            await node.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static void Observe(MachineStates states, (string Line, string Machine)[] machines, DateTimeOffset start, double score)
    {
        foreach (var chunk in machines.Chunk(1000))
        {
            states.Observe(new TelemetryBatch(
                [],
                [.. chunk.Select(m => new MachineHealth(m.Line, m.Machine, start, 10, 10, score, score, score, 0.7, "pump-anomaly v3", "running", false))],
                [],
                []));
        }
    }

    private static async Task AskAllAsync(MachineStates states, (string Line, string Machine)[] machines, Func<MachineState, bool> until)
    {
        await Parallel.ForEachAsync(machines, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (m, ct) =>
        {
            while (!until(await states.GetAsync(m.Line, m.Machine, ct)))
            {
                await Task.Delay(10, ct);
            }
        });
    }

    private static long Managed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(text => Sender.Tell(text));
    }
}
