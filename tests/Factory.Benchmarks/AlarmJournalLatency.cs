using System.Diagnostics;
using System.Globalization;
using Factory.Benchmarks;
using Factory.Edge.Alarms;

/// <summary>
/// The latency of alarm journal appends until durable (written and fsync'ed), per append, as
/// percentiles: BenchmarkDotNet gives means. First appends one after another (each waits for
/// the one before: the cost of one append with its own fsync), then appends offered at fixed
/// rates without waiting (as a line actor that journals in the background does), where appends
/// arriving during a flush share the next one. The latency of each append is measured from the
/// call to the moment its task completed (a thread-pool continuation ran).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- alarm-journal-latency [--sequential 2000] [--seconds 5] [--rates 100,1000,10000] [--dir PATH]</c>
/// </remarks>
internal static class AlarmJournalLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sequential = int.Parse(BenchmarkArguments.Text(args, "--sequential") ?? "2000", CultureInfo.InvariantCulture);
        var seconds = double.Parse(BenchmarkArguments.Text(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var rates = (BenchmarkArguments.Text(args, "--rates") ?? "100,1000,10000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var root = BenchmarkArguments.Text(args, "--dir") ?? Environment.GetEnvironmentVariable("FACTORY_BENCH_DIR") ?? Path.GetTempPath();
        var folder = Path.Combine(root, $"factory-journal-latency-{Guid.NewGuid():N}");
        try
        {
            Console.WriteLine($"journal folder: {folder} ({BenchmarkArguments.Filesystem(root)})");
            await using var journal = AlarmJournal.Open(Path.Combine(folder, "line-1.alarms"));

            // Warm-up: JIT, file allocation.
            for (var i = 0; i < 200; i++)
            {
                await journal.AppendAsync([Next()]);
            }

            var bytesPerRecord = (double)journal.Length / journal.RecordsAppended;
            Console.WriteLine($"record size: {bytesPerRecord:0} bytes on average (activations and clears)");
            Console.WriteLine();
            Console.WriteLine("| load | appends | per second | commits | records/commit | p50 ms | p90 ms | p99 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");

            var latencies = new double[sequential];
            var commits = journal.Commits;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < sequential; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await journal.AppendAsync([Next()]);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Row("one after another", latencies, clock.Elapsed, journal.Commits - commits);

            foreach (var rate in rates)
            {
                var count = (int)(rate * seconds);
                var done = new double[count];
                var pending = new Task[count];
                commits = journal.Commits;
                clock.Restart();
                // Every millisecond the appends that fell due are issued, without waiting for
                // them: no spinning, which on a small machine would take the writer's core.
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
                var issued = 0;
                while (issued < count && await timer.WaitForNextTickAsync())
                {
                    var due = Math.Min(count, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
                    for (; issued < due; issued++)
                    {
                        var index = issued;
                        var start = Stopwatch.GetTimestamp();
                        pending[index] = journal.AppendAsync([Next()])
                            .ContinueWith(_ => done[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds, TaskScheduler.Default);
                    }
                }

                await Task.WhenAll(pending);
                Row($"{rate:N0} appends/s offered", done, clock.Elapsed, journal.Commits - commits);
            }

            // What a restart costs: read every record back and rebuild the line's book from it.
            var plant = Factory.Plant.Config.PlantConfigLoader.Load(BenchmarkArguments.SamplePlant());
            var catalog = AlarmCatalog.For(plant.Line("line-1"));
            clock.Restart();
            var events = journal.ReadAll();
            var read = clock.Elapsed;
            var book = AlarmBook.Replay(catalog, events);
            Console.WriteLine();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"restart: {events.Count:N0} records ({journal.Length / 1e6:0.0} MB) read in {read.TotalMilliseconds:N0} ms, replayed into the book in {(clock.Elapsed - read).TotalMilliseconds:N0} ms ({events.Count / clock.Elapsed.TotalSeconds:N0} records/s; last sequence {book.LastSequence:N0})"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static long _sequence;

    /// <summary>The next record: activations and clears of one alarm in turn, numbered in order, so that a replay applies each.</summary>
    private static AlarmBookEvent Next()
    {
        var sequence = ++_sequence;
        var activation = AlarmJournalBenchmarks.Event(sequence);
        return sequence % 2 == 1
            ? activation
            : new AlarmCleared(sequence, activation.Time, activation.AlarmId, AlarmState.ReturnedUnacknowledged, 4.1);
    }

    private static void Row(string load, double[] latencies, TimeSpan elapsed, long commits)
    {
        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {load} | {sorted.Length:N0} | {sorted.Length / elapsed.TotalSeconds:N0} | {commits:N0} | {(double)sorted.Length / commits:0.0} | {Percentile(0.5):0.000} | {Percentile(0.9):0.000} | {Percentile(0.99):0.000} | {sorted[^1]:0.000} |"));
    }
}
