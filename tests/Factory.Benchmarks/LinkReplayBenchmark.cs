using System.Diagnostics;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Link;
using Factory.Edge.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Benchmarks;

/// <summary>
/// Backlog replay after an outage, the whole way: an edge outbox holding N summaries (one line)
/// is sent by the edge's <see cref="CloudLink"/> over MQTT to a cloud node (embedded MQTTnet
/// broker, ingest pipeline) that stores them in a real influxd 1.6, until the outbox is empty,
/// that is until the cloud acknowledged every record as stored. In the same run, the baseline: the
/// same summaries as pre-built line protocol POSTed straight to the same influxd (gzip, the same
/// request size, 3 in flight). The figure is the ratio of the two rates (target 0.8 or more).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- link-replay [--records 200000] [--rounds 3]</c>
/// </remarks>
internal static class LinkReplayBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var records = BenchmarkArguments.Int(args, "--records", 200_000);
        var rounds = BenchmarkArguments.Int(args, "--rounds", 3);
        await using var influx = new InfluxProcess();
        await influx.StartAsync();
        var summaries = InfluxIngestBenchmark.Summaries(records).Select(s => s with { Line = "line-1", Machine = $"{s.Line}-{s.Machine}" }).ToList();
        var texts = summaries.Chunk(5_000).Select(c => InfluxSchema.Text(c.Select(InfluxSchema.Summary))).ToList();
        using var http = new HttpClient { BaseAddress = influx.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        Console.WriteLine($"{records} summaries of one line; influxd at {influx.BaseUri}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| round | (a) line protocol straight to influxd, points/s | (b) outbox -> MQTT -> cloud ingest -> influxd, records/s | b/a | stored (b) | (c) cloud ingest alone (record batches handed to the pipeline), records/s | c/a |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            var a = await InfluxIngestBenchmark.BaselineAsync(http, $"direct_{round}", texts, concurrency: 3);
            var (b, stored) = await ReplayAsync(influx.BaseUri, $"replay_{round}", summaries);
            var c = await IngestAloneAsync(influx.BaseUri, $"ingest_{round}", summaries);
            Console.WriteLine($"| {round} | {records / a.TotalSeconds:N0} | {records / b.TotalSeconds:N0} | {a.TotalSeconds / b.TotalSeconds:0.00} | {stored:N0} | {records / c.TotalSeconds:N0} | {a.TotalSeconds / c.TotalSeconds:0.00} |");
        }

        return 0;
    }

    private static async Task<(TimeSpan Elapsed, long Stored)> ReplayAsync(Uri influx, string database, List<SensorSummary> summaries)
    {
        var folder = Directory.CreateTempSubdirectory("factory-replay-").FullName;
        try
        {
            using var outbox = EdgeOutbox.Open(new OutboxOptions(Path.Combine(folder, "outbox")), TimeProvider.System, NullLogger.Instance);
            foreach (var summary in summaries)
            {
                outbox.Append(summary);
            }

            await outbox.FlushAsync(CancellationToken.None);
            var options = new CloudOptions
            {
                DataDirectory = Path.Combine(folder, "cloud"),
                Store = logs => new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = influx, Database = database }, logs.CreateLogger<InfluxTelemetryStore>()),
                StoreDescription = database,
                EmbeddedBrokerPort = 0,
                HttpPort = 0,
            };
            var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
            await using var cloud = CloudNode.Build(options, logs);
            await cloud.StartAsync();
            var store = new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = influx, Database = database }, NullLogger<InfluxTelemetryStore>.Instance);
            await store.CountSummariesAsync(null, CancellationToken.None);

            var link = new CloudLink("line-1", new CloudLinkOptions { Broker = CloudNode.BrokerOf(cloud, options) }, outbox, TimeProvider.System, logs);
            var clock = Stopwatch.StartNew();
            await link.StartAsync(CancellationToken.None);
            while (outbox.Metrics.PendingRecords > 0)
            {
                await Task.Delay(20);
            }

            var elapsed = clock.Elapsed;
            await link.StopAsync(CancellationToken.None);
            link.Dispose();
            await cloud.StopAsync();
            var stored = await store.CountSummariesAsync(null, CancellationToken.None);
            store.Dispose();
            return (elapsed, stored);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The cloud's ingest pipeline alone: the batches an edge would send (500 records each), read, checked and stored, acknowledgements counted.</summary>
    private static async Task<TimeSpan> IngestAloneAsync(Uri influx, string database, List<SensorSummary> summaries)
    {
        var folder = Directory.CreateTempSubdirectory("factory-ingest-").FullName;
        try
        {
            using var store = new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = influx, Database = database }, NullLogger<InfluxTelemetryStore>.Instance);
            await store.CountSummariesAsync(null, CancellationToken.None);
            var payloads = summaries.Select((s, i) => (Seq: (long)i + 1, Body: (ReadOnlyMemory<byte>)System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(s, LinkJsonContext.Default.SensorSummary)))
                .Chunk(500)
                .Select(c => Factory.Link.RecordBatchWriter.Write("line-1", c.Select(r => (r.Seq, RecordKinds.Summary, r.Body))))
                .ToList();
            var acknowledged = 0;
            var done = new TaskCompletionSource();
            var pipeline = new Factory.Cloud.Ingest.IngestPipeline(store, new Factory.Cloud.Ingest.SetAsideLog(Path.Combine(folder, "set-aside.jsonl")), (_, _, _, _) => Task.CompletedTask, new Factory.Cloud.Ingest.IngestOptions(), TimeProvider.System, NullLogger.Instance);
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var running = pipeline.RunAsync(stop.Token);
            foreach (var payload in payloads)
            {
                await pipeline.AcceptAsync(new Factory.Cloud.Ingest.IngestMessage(LinkTopics.Records("line-1"), payload, _ =>
                {
                    if (Interlocked.Increment(ref acknowledged) == payloads.Count)
                    {
                        done.TrySetResult();
                    }

                    return Task.CompletedTask;
                }), CancellationToken.None);
            }

            await done.Task;
            var elapsed = clock.Elapsed;
            await stop.CancelAsync();
            await running;
            return elapsed;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
