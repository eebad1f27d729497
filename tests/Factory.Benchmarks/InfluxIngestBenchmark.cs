using System.Diagnostics;
using System.Net;
using System.Text;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Benchmarks;

/// <summary>
/// How fast <see cref="InfluxTelemetryStore"/> writes sensor summaries into a real influxd 1.6
/// (started here on a free 127.0.0.1 port), against the fastest a client could do: the same
/// points as pre-built line protocol POSTed straight to <c>/write</c>, in the same batches, gzip
/// compressed, with the same number of requests in flight. Rounds alternate (a) the baseline and
/// (b) the store, each into a database of its own, so that both meet the same server state; the
/// ratio b/a of points per second is the figure (target 0.8 or more).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- influx-ingest [--points 200000] [--batch 5000] [--concurrency 3] [--rounds 3]</c>
/// </remarks>
internal static class InfluxIngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var points = BenchmarkArguments.Int(args, "--points", 200_000);
        var batch = BenchmarkArguments.Int(args, "--batch", 5_000);
        var concurrency = BenchmarkArguments.Int(args, "--concurrency", 3);
        var rounds = BenchmarkArguments.Int(args, "--rounds", 3);

        await using var influx = new InfluxProcess();
        await influx.StartAsync();
        Console.WriteLine($"influxd {InfluxProcess.Executable} at {influx.BaseUri} (data in {influx.Folder}, {BenchmarkArguments.Filesystem(influx.Folder)})");

        var summaries = Summaries(points);
        var batches = summaries.Chunk(batch).Select(c => new TelemetryBatch(c, [], [], [])).ToList();
        var texts = summaries.Chunk(batch).Select(c => InfluxSchema.Text(c.Select(InfluxSchema.Summary))).ToList();
        Console.WriteLine($"{summaries.Count} summaries (3 lines x 10 machines x 20 sensors, 10 s apart), {batches.Count} requests of {batch} points, {concurrency} in flight, {Encoding.UTF8.GetByteCount(texts[0]) / batch} bytes of line protocol per point");
        Console.WriteLine();

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = influx.BaseUri, Timeout = TimeSpan.FromMinutes(2) };

        // Warm-up (JIT, connections, influxd's first shard) with a tenth of the data, not counted.
        await BaselineAsync(http, "warmup_a", texts.Take(Math.Max(1, texts.Count / 10)).ToList(), concurrency);
        await StoreAsync(influx.BaseUri, "warmup_b", batch, batches.Take(Math.Max(1, batches.Count / 10)).ToList(), concurrency);

        // Odd rounds run (a) first, even rounds (b) first, so that a drift of the shared machine weighs on both alike.
        Console.WriteLine("| round | (a) raw line protocol, points/s | (b) InfluxTelemetryStore, points/s | b/a | client CPU (a), µs/point | client CPU (b), µs/point |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        double totalA = 0, totalB = 0, cpuA = 0, cpuB = 0;
        for (var round = 1; round <= rounds; round++)
        {
            (TimeSpan Wall, TimeSpan Cpu) a, b;
            if (round % 2 == 1)
            {
                a = await Measured(() => BaselineAsync(http, $"bench_a_{round}", texts, concurrency));
                b = await Measured(() => StoreAsync(influx.BaseUri, $"bench_b_{round}", batch, batches, concurrency));
            }
            else
            {
                b = await Measured(() => StoreAsync(influx.BaseUri, $"bench_b_{round}", batch, batches, concurrency));
                a = await Measured(() => BaselineAsync(http, $"bench_a_{round}", texts, concurrency));
            }

            var rateA = summaries.Count / a.Wall.TotalSeconds;
            var rateB = summaries.Count / b.Wall.TotalSeconds;
            totalA += a.Wall.TotalSeconds;
            totalB += b.Wall.TotalSeconds;
            cpuA += a.Cpu.TotalSeconds;
            cpuB += b.Cpu.TotalSeconds;
            Console.WriteLine($"| {round} | {rateA:N0} | {rateB:N0} | {rateB / rateA:0.00} | {a.Cpu.TotalMicroseconds / summaries.Count:0.0} | {b.Cpu.TotalMicroseconds / summaries.Count:0.0} |");
            await CheckCountAsync(influx.BaseUri, $"bench_a_{round}", summaries.Count);
            await CheckCountAsync(influx.BaseUri, $"bench_b_{round}", summaries.Count);
        }

        var all = (double)summaries.Count * rounds;
        Console.WriteLine($"| all | {all / totalA:N0} | {all / totalB:N0} | {totalA / totalB:0.00} | {cpuA * 1e6 / all:0.0} | {cpuB * 1e6 / all:0.0} |");
        return 0;
    }

    /// <summary>Wall time of <paramref name="run"/> and the CPU time this process spent meanwhile (influxd's is not counted).</summary>
    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> Measured(Func<Task<TimeSpan>> run)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = await run();
        return (wall, Process.GetCurrentProcess().TotalProcessorTime - before);
    }

    internal static async Task<TimeSpan> BaselineAsync(HttpClient http, string database, List<string> texts, int concurrency)
    {
        using (var create = await http.PostAsync("query", new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{database}\"")])))
        {
            create.EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(texts, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (text, ct) =>
        {
            var content = new ByteArrayContent(InfluxTelemetryStore.Compress(new StringBuilder(text)));
            content.Headers.ContentEncoding.Add("gzip");
            using var response = await http.PostAsync($"write?db={database}&precision=ns", content, ct);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"influxd answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> StoreAsync(Uri uri, string database, int batch, List<TelemetryBatch> batches, int concurrency)
    {
        using var store = new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = uri, Database = database, BatchSize = batch, Timeout = TimeSpan.FromMinutes(2) }, NullLogger<InfluxTelemetryStore>.Instance);

        // The database is created at first use: before the clock starts, as in the baseline.
        await store.CountSummariesAsync(null, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (b, ct) => await store.WriteAsync(b, ct));
        return clock.Elapsed;
    }

    private static async Task CheckCountAsync(Uri uri, string database, long expected)
    {
        using var store = new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = uri, Database = database }, NullLogger<InfluxTelemetryStore>.Instance);
        var count = await store.CountSummariesAsync(null, CancellationToken.None);
        if (count != expected)
        {
            throw new InvalidOperationException($"database {database} holds {count} summaries, not {expected}");
        }
    }

    /// <summary>3 lines × 10 machines × 20 sensors, one summary per sensor every 10 s, values of a slowly drifting process.</summary>
    internal static List<SensorSummary> Summaries(int count)
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var sensors = (from line in Enumerable.Range(1, 3)
                       from machine in Enumerable.Range(1, 10)
                       from sensor in Enumerable.Range(1, 20)
                       select (Line: $"line-{line}", Machine: $"cnc-{machine:00}", Sensor: $"sensor-{sensor:00}", Level: 10 + (sensor * 7.5))).ToList();
        var summaries = new List<SensorSummary>(count);
        for (var interval = 0; summaries.Count < count; interval++)
        {
            foreach (var (line, machine, sensor, level) in sensors)
            {
                if (summaries.Count == count)
                {
                    break;
                }

                var mean = level + (Math.Sin(interval / 360.0) * level * 0.05) + random.NextDouble();
                var spread = 0.5 + random.NextDouble();
                summaries.Add(new SensorSummary(line, machine, sensor, start.AddSeconds(10 * interval), 10, 100, mean - (2 * spread), mean + (2 * spread), mean, spread, mean + ((random.NextDouble() - 0.5) * spread), "mm/s"));
            }
        }

        return summaries;
    }
}
