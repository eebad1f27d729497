using System.Diagnostics;
using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Benchmarks;

/// <summary>
/// The edge outbox on its own (docs/outbox.md), each figure beside a baseline from the same run:
/// <list type="bullet">
/// <item><c>outbox-append [--seconds 10] [--threads 4] [--rounds 3] [--rate 0]</c>: summary bodies
/// appended from several threads, as fast as they can or paced at <c>--rate</c> records/s in all;
/// records per second that reached disk (the closing flush counted in). Baseline: the same bytes written to one file by one thread in as many writes, each flushed
/// to disk, as the outbox made group commits.</item>
/// <item><c>outbox-replay [--records 500000] [--take 500] [--rounds 3]</c>: a backlog is built, the
/// outbox reopened (recovery time), then emptied by Take + Acknowledge cycles as the link does.
/// Baseline: reading the same segment files start to end.</item>
/// </list>
/// </summary>
internal static class OutboxBenchmark
{
    public static async Task<int> RunAppendAsync(string[] args)
    {
        var seconds = BenchmarkArguments.Int(args, "--seconds", 10);
        var threads = BenchmarkArguments.Int(args, "--threads", 4);
        var rounds = BenchmarkArguments.Int(args, "--rounds", 3);
        var rate = BenchmarkArguments.Int(args, "--rate", 0);
        var bodies = Bodies(4096);
        var folder = Directory.CreateTempSubdirectory("factory-outbox-append-").FullName;
        Console.WriteLine($"{threads} threads appending summary bodies of {bodies.Average(b => b.Length):0} bytes on average for {seconds} s, {(rate > 0 ? $"paced at {rate:N0} records/s in all" : "as fast as they can")}; {BenchmarkArguments.Filesystem(folder)}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| round | outbox records | outbox s | outbox records/s | group commits | records/commit | baseline: same bytes, same fsyncs, records/s | outbox/baseline |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var directory = Path.Combine(folder, $"outbox-{round}");
                long appended;
                long commits;
                long bytes;
                TimeSpan elapsed;
                using (var outbox = EdgeOutbox.Open(new OutboxOptions(directory) { QuotaBytes = 64L << 30 }, TimeProvider.System, NullLogger.Instance))
                {
                    var stop = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
                    var clock = Stopwatch.StartNew();
                    var counts = await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
                        () =>
                        {
                            long n = 0;
                            var time = DateTimeOffset.UtcNow;
                            var begin = Stopwatch.GetTimestamp();
                            while (Stopwatch.GetTimestamp() < stop)
                            {
                                if (rate > 0 && n > rate / threads * Stopwatch.GetElapsedTime(begin).TotalSeconds)
                                {
                                    Thread.Sleep(1);
                                    continue;
                                }

                                for (var i = 0; i < 64; i++, n++)
                                {
                                    outbox.Append(RecordKinds.Summary, time, bodies[(int)((n + (t * 977)) % bodies.Count)]);
                                }
                            }

                            return n;
                        },
                        TaskCreationOptions.LongRunning)));
                    await outbox.FlushAsync(CancellationToken.None);
                    elapsed = clock.Elapsed;
                    appended = counts.Sum();
                    var metrics = outbox.Metrics;
                    if (metrics.PendingRecords != appended)
                    {
                        throw new InvalidOperationException($"{metrics.PendingRecords} records on disk, {appended} appended");
                    }

                    commits = outbox.Commits;
                    bytes = metrics.DiskBytes;
                }

                var baseline = RawWrites(Path.Combine(folder, $"raw-{round}.bin"), bytes, commits);
                var outboxRate = appended / elapsed.TotalSeconds;
                var baselineRate = appended / baseline.TotalSeconds;
                Console.WriteLine($"| {round} | {appended:N0} | {elapsed.TotalSeconds:0.00} | {outboxRate:N0} | {commits:N0} | {(double)appended / commits:N0} | {baselineRate:N0} | {outboxRate / baselineRate:0.00} |");
                Directory.Delete(directory, recursive: true);
                File.Delete(Path.Combine(folder, $"raw-{round}.bin"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    public static async Task<int> RunReplayAsync(string[] args)
    {
        var records = BenchmarkArguments.Int(args, "--records", 500_000);
        var take = BenchmarkArguments.Int(args, "--take", 500);
        var rounds = BenchmarkArguments.Int(args, "--rounds", 3);
        var bodies = Bodies(4096);
        var folder = Directory.CreateTempSubdirectory("factory-outbox-replay-").FullName;
        Console.WriteLine($"backlog of {records:N0} summaries ({bodies.Average(b => b.Length):0} bytes on average), Take({take}) + Acknowledge cycles; {BenchmarkArguments.Filesystem(folder)}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| round | build backlog, records/s | segment MB | Open() recovery, s | baseline: read the files, s | Take+Ack cycles/s | records/s fed to the link | MB/s of bodies |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var options = new OutboxOptions(Path.Combine(folder, $"outbox-{round}")) { QuotaBytes = 64L << 30 };
                var build = Stopwatch.StartNew();
                long diskBytes;
                using (var outbox = EdgeOutbox.Open(options, TimeProvider.System, NullLogger.Instance))
                {
                    var time = DateTimeOffset.UtcNow.AddDays(-1);
                    for (var i = 0; i < records; i++)
                    {
                        outbox.Append(RecordKinds.Summary, time.AddMilliseconds(i), bodies[i % bodies.Count]);
                    }

                    await outbox.FlushAsync(CancellationToken.None);
                    diskBytes = outbox.Metrics.DiskBytes;
                }

                var built = build.Elapsed;
                var raw = ReadFiles(options.Directory);
                var open = Stopwatch.StartNew();
                using (var outbox = EdgeOutbox.Open(options, TimeProvider.System, NullLogger.Instance))
                {
                    var recovered = open.Elapsed;
                    if (outbox.Metrics.PendingRecords != records)
                    {
                        throw new InvalidOperationException($"{outbox.Metrics.PendingRecords} records recovered, {records} appended");
                    }

                    var cycles = 0;
                    long sent = 0;
                    long bodyBytes = 0;
                    var replay = Stopwatch.StartNew();
                    while (true)
                    {
                        var batch = outbox.Take(take, 1 << 20);
                        if (batch.Count == 0)
                        {
                            break;
                        }

                        outbox.Acknowledge([new SequenceRange(batch[0].Sequence, batch[^1].Sequence)]);
                        _ = outbox.Metrics;
                        cycles++;
                        sent += batch.Count;
                        foreach (var record in batch)
                        {
                            bodyBytes += record.Body.Length;
                        }
                    }

                    var replayed = replay.Elapsed;
                    if (sent != records || outbox.Metrics.Acknowledged != records)
                    {
                        throw new InvalidOperationException($"{sent} records taken, {outbox.Metrics.Acknowledged} acknowledged, {records} appended");
                    }

                    Console.WriteLine(
                        $"| {round} | {records / built.TotalSeconds:N0} | {diskBytes / 1e6:0.0} | {recovered.TotalSeconds:0.000} | {raw.TotalSeconds:0.000} | {cycles / replayed.TotalSeconds:N0} | {sent / replayed.TotalSeconds:N0} | {bodyBytes / 1e6 / replayed.TotalSeconds:0.0} |");
                }

                Directory.Delete(options.Directory, recursive: true);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    /// <summary>Summary bodies as the edge appends them: one line, several machines and sensors, varied values.</summary>
    private static List<byte[]> Bodies(int count)
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var mean = 20 + (random.NextDouble() * 60);
            var spread = random.NextDouble() * 3;
            var summary = new SensorSummary(
                "line-1", $"machine-{i % 8:D2}", $"sensor-{i % 12:D2}", start.AddSeconds(10 * (i / 96)), 10, 100,
                Math.Round(mean - (2 * spread), 4), Math.Round(mean + (2 * spread), 4), Math.Round(mean, 6), Math.Round(spread, 6), Math.Round(mean + spread, 4), "mm/s");
            return JsonSerializer.SerializeToUtf8Bytes(summary, LinkJsonContext.Default.SensorSummary);
        })];
    }

    private static TimeSpan RawWrites(string path, long bytes, long writes)
    {
        var chunk = new byte[Math.Max(1, bytes / Math.Max(1, writes))];
        Random.Shared.NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            long offset = 0;
            for (long i = 0; i < writes; i++)
            {
                RandomAccess.Write(file, chunk, offset);
                RandomAccess.FlushToDisk(file);
                offset += chunk.Length;
            }
        }

        return clock.Elapsed;
    }

    private static TimeSpan ReadFiles(string directory)
    {
        var buffer = new byte[1 << 20];
        var clock = Stopwatch.StartNew();
        foreach (var path in Directory.GetFiles(directory, "*.seg"))
        {
            using var file = File.OpenRead(path);
            while (file.Read(buffer) > 0)
            {
            }
        }

        return clock.Elapsed;
    }
}
