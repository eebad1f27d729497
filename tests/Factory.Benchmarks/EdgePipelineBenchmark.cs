using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Factory.Contracts.Alarms;
using Factory.Edge.Actors;
using Factory.Edge.Alarms;
using Factory.Edge.Outbox;
using Factory.Edge.Panel;
using Factory.Edge.Telemetry;
using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Plant.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Benchmarks;

/// <summary>
/// The edge node's line actor, with its machine actors, model store, alarm actor and journal, as
/// it runs in <c>factory edge</c>, fed the samples an OPC UA session delivers: one batch per
/// machine per sampling interval (20 sensors every 100 ms), at the real pace, with source
/// timestamps on the wall clock. Every machine is scored once per evaluation interval by a model
/// package trained on its own healthy features. Two programs:
/// <list type="bullet">
/// <item><c>edge-pipeline</c>: the CPU per sample through features, limits, scoring and alarm
/// evaluation (process CPU time over samples, with the idle process measured first as the
/// baseline), and the latency from a batch handed to the line actor to the alarm event read from
/// the panel's feed, for limit crossings injected while the line runs. <c>--threads 1</c> runs
/// every actor on one dispatcher thread: if the line keeps up (its latency stays low), one core
/// carries the offered rate.</item>
/// <item><c>edge-memory</c>: the managed heap a line of machines with full windows holds, per
/// machine, against the same process before the line was created.</item>
/// </list>
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- edge-pipeline [--machines 100] [--seconds 30] [--threads 0] [--crossings 20] [--window 10] [--dir PATH] [--outbox none|memory]</c><br/>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- edge-memory [--machines 200] [--window 600] [--dir PATH] [--outbox none|memory]</c><br/>
/// <c>--outbox memory</c> gives the line an outbox that counts what it is given and keeps nothing:
/// the cost of producing summaries, health and anomaly windows for the cloud, without a disk.
/// </remarks>
internal static class EdgePipelineBenchmark
{
    private const string LineId = "line-1";
    private const int Sensors = 20;
    private const int SamplingMs = 100;
    private const double HighLimit = 80;
    private const double Healthy = 50;
    private static readonly TimeSpan Sampling = TimeSpan.FromMilliseconds(SamplingMs);

    public static async Task<int> RunPipelineAsync(string[] args)
    {
        var machines = BenchmarkArguments.Int(args, "--machines", 100);
        var seconds = BenchmarkArguments.Int(args, "--seconds", 30);
        var threads = BenchmarkArguments.Int(args, "--threads", 0);
        var crossingsPerSecond = BenchmarkArguments.Int(args, "--crossings", 20);
        var window = BenchmarkArguments.Int(args, "--window", 10);
        using var bench = await Bench.StartAsync(machines, window, threads, BenchmarkArguments.Text(args, "--dir"), outbox: CountingOutbox.For(args));
        var rate = machines * Sensors * (1000 / SamplingMs);
        Console.WriteLine($"line of {machines} machines x {Sensors} sensors every {SamplingMs} ms = {rate:N0} samples/s; {window} s windows; dispatcher threads: {(threads == 0 ? "default (thread pool)" : threads)}; {Environment.ProcessorCount} cores");
        Console.WriteLine($"journal: {bench.DataDirectory} ({BenchmarkArguments.Filesystem(bench.DataDirectory)})");

        // Baseline: the same process, line running, no samples (timers, the OPC UA session retrying).
        // Measured after the start has settled (JIT, the model store's first scan).
        Thread.Sleep(5000);
        var idle = CpuOver(() => Thread.Sleep(5000));
        Console.WriteLine($"idle: {idle.Cores * 100:0.0}% of a core");

        var feeder = new Feeder(bench, machines, crossingsPerSecond);
        // Warm-up: until the windows are full and every machine is scored (the feeder must not pause: silence is stale data).
        feeder.Run(TimeSpan.FromSeconds(window + 3), measure: false);
        await bench.WaitForScoresAsync(TimeSpan.FromSeconds(2));
        feeder.Latencies.Clear();

        var load = CpuOver(() => feeder.Run(TimeSpan.FromSeconds(seconds), measure: true));
        var samples = feeder.SamplesSent;
        var lag = await bench.LagAsync(feeder.LastSent);
        var latencies = feeder.Latencies.ToArray();
        Array.Sort(latencies);
        var scored = bench.Feed.Current().Line?.Machines.Count(m => m.AnomalyScore is not null) ?? 0;

        var busyCores = load.Cores - idle.Cores;
        Console.WriteLine();
        Console.WriteLine("| offered samples/s | sent samples/s | process CPU (cores) | minus idle | µs CPU per sample | samples/s per core | alarm events | p50 ms | p90 ms | p99 ms | max ms | status caught up after | machines scored |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {rate:N0} | {samples / load.Wall.TotalSeconds:N0} | {load.Cores:0.00} | {busyCores:0.00} | {busyCores * load.Wall.TotalSeconds * 1e6 / samples:0.00} | {samples / (busyCores * load.Wall.TotalSeconds):N0} | {latencies.Length} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.90):0.00} | {Percentile(latencies, 0.99):0.00} | {(latencies.Length == 0 ? double.NaN : latencies[^1]):0.00} | {lag.TotalMilliseconds:0} ms | {scored} of {machines} |"));
        Console.WriteLine($"latencies: {feeder.Unanswered} crossings without an event; {feeder.Sends} batches, {samples:N0} samples in {load.Wall.TotalSeconds:0.0} s; GC gen0/1/2: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        Console.WriteLine(bench.Outbox?.ToString() ?? "outbox: none (a node without a cloud link)");
        return 0;
    }

    public static async Task<int> RunMemoryAsync(string[] args)
    {
        var machines = BenchmarkArguments.Int(args, "--machines", 200);
        var window = BenchmarkArguments.Int(args, "--window", 600);
        var directory = BenchmarkArguments.Text(args, "--dir");

        // The model is trained (and its training data released) before the baseline.
        using var model = new TemporaryFolder(directory, "models");
        var schema = FeatureSchema.For(Machine("machine-0001", window));
        TrainModel(schema, Path.Combine(model.Path, $"bench-anomaly-1{ModelPackage.FileExtension}"));
        var before = Heap();

        using var bench = await Bench.StartAsync(machines, window, 0, directory, model.Path, CountingOutbox.For(args));
        var fill = TimeSpan.FromSeconds(window + 60);
        var start = DateTimeOffset.UtcNow - fill;
        var values = new double[Sensors];
        var random = new Random(3);
        var watch = Stopwatch.StartNew();
        long samples = 0;
        for (var t = start; t < start + fill; t += Sampling)
        {
            for (var m = 0; m < machines; m++)
            {
                for (var s = 0; s < Sensors; s++)
                {
                    values[s] = Healthy + (2 * MlBenchmarkData.Gaussian(random));
                }

                bench.Send(m, values, t);
                samples += Sensors;
            }

            // The mailboxes stay bounded: a minute of machine time at a time.
            if ((t - start).Ticks % TimeSpan.TicksPerMinute == 0)
            {
                await bench.LagAsync(Enumerable.Repeat(t, machines).ToArray(), quietly: true);
            }
        }

        await bench.LagAsync(Enumerable.Repeat(start + fill - Sampling, machines).ToArray());
        await bench.WaitForScoresAsync(TimeSpan.FromSeconds(10));
        var after = Heap();
        var perMachine = (after - before) / machines;
        Console.WriteLine($"{machines} machines x {Sensors} sensors, {window} s windows ({schema.Count} features each), filled with {fill.TotalSeconds:0} s of samples every {SamplingMs} ms ({samples:N0} samples in {watch.Elapsed.TotalSeconds:0.0} s)");
        Console.WriteLine();
        Console.WriteLine("| machines | window | heap before line | heap with line | per machine |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {machines} | {window} s | {before / 1e6:0.0} MB | {after / 1e6:0.0} MB | {perMachine / 1e6:0.000} MB ({perMachine:N0} B) |"));
        Console.WriteLine(bench.Outbox?.ToString() ?? "outbox: none (a node without a cloud link)");
        GC.KeepAlive(bench);
        return 0;
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static (TimeSpan Wall, double Cores) CpuOver(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        process.Refresh();
        return (watch.Elapsed, (process.TotalProcessorTime - cpu).TotalSeconds / watch.Elapsed.TotalSeconds);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>A machine of 20 sensors every 100 ms with the default statistics of each signal; sensor 0 has H and HH limits.</summary>
    private static Machine Machine(string id, int windowSeconds) => new(
        id,
        id,
        "bench-machine",
        Criticality.High,
        $"ns=2;s={id}.status",
        $"ns=2;s={id}.maintenance",
        [.. Enumerable.Range(0, Sensors).Select(i =>
        {
            var signal = (SignalKind)(i % Enum.GetValues<SignalKind>().Length);
            var limits = i == 0 ? new LimitAlarms(new LimitLevel(90, null), new LimitLevel(HighLimit, null), null, null, 1, 0, 0) : null;
            return new Sensor($"sensor-{i:00}", $"Sensor {i}", signal, $"ns=2;s={id}.sensor-{i:00}", "u", new ValueRange(0, 100), SamplingMs, limits, new FeatureWindow(windowSeconds, FeatureSchema.DefaultStatistics(signal)));
        })]);

    private static void TrainModel(FeatureSchema schema, string path)
    {
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var duration = TimeSpan.FromSeconds(3000 + schema.Sensors.Max(s => s.WindowSeconds));

        IEnumerable<MachineSample> Samples()
        {
            for (var t = start; t < start + duration; t += Sampling)
            {
                for (var s = 0; s < Sensors; s++)
                {
                    yield return new MachineSample(s, Healthy + (2 * MlBenchmarkData.Gaussian(random)), t);
                }
            }
        }

        var vectors = new FeatureExtractor(schema, TimeSpan.FromSeconds(1)).Extract(Samples()).Select(v => v.Values).ToList();
        var detector = DetectorKinds.RandomizedPca.Train(vectors, seed: 1);
        ModelPackageWriter.Write(
            path,
            new ModelPackageInfo
            {
                Id = "bench-anomaly",
                Version = 1,
                MachineType = "bench-machine",
                Threshold = AlarmThreshold.ForFalseAlarmRate(detector.ScoreAll(vectors), 0.001),
                TargetFalseAlarmRate = 0.001,
                TrainingFrom = start,
                TrainingTo = start + duration,
                TrainingDataHash = ModelPackageWriter.HashOf(vectors),
                Creator = "Factory.Benchmarks",
                Created = DateTimeOffset.UtcNow,
            },
            schema,
            detector);
    }
    private sealed class TemporaryFolder : IDisposable
    {
        public TemporaryFolder(string? root, string name)
        {
            Path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), $"factory-edge-bench-{name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Left behind in the temp folder; nothing depends on it.
            }
        }
    }

    /// <summary>A line actor of <c>machines</c> bench machines in an actor system of its own, and the feed its panel would read.</summary>
    private sealed class Bench : IDisposable
    {
        private readonly ActorSystem _system;
        private readonly TemporaryFolder _data;
        private readonly TemporaryFolder? _models;

        private Bench(ActorSystem system, IActorRef line, AlarmFeed feed, TemporaryFolder data, TemporaryFolder? models, int machines, CountingOutbox? outbox)
        {
            Outbox = outbox;
            _system = system;
            Line = line;
            Feed = feed;
            _data = data;
            _models = models;
            Machines = machines;
        }

        public IActorRef Line { get; }

        public AlarmFeed Feed { get; }

        public int Machines { get; }

        public CountingOutbox? Outbox { get; }

        public string DataDirectory => _data.Path;

        public static async Task<Bench> StartAsync(int machines, int window, int threads, string? root, string? modelsDirectory = null, CountingOutbox? outbox = null)
        {
            var data = new TemporaryFolder(root, "data");
            TemporaryFolder? models = null;
            if (modelsDirectory is null)
            {
                models = new TemporaryFolder(root, "models");
                modelsDirectory = models.Path;
                TrainModel(FeatureSchema.For(Machine("machine-0001", window)), Path.Combine(modelsDirectory, $"bench-anomaly-1{ModelPackage.FileExtension}"));
            }

            var types = new[] { new MachineType("bench-machine", "Bench machine", MachineKind.CncSpindle, "bench-anomaly") };

            // Port 9 (discard) refuses connections: the session actor retries in the background, as on a line whose server is down.
            var line = new Line(LineId, "Bench line", "edge-bench", "opc.tcp://127.0.0.1:9", [.. Enumerable.Range(1, machines).Select(i => Machine($"machine-{i:0000}", window))], []);
            var plant = new PlantConfig(1, new Site("bench", "Bench", "UTC", [new Area("area", "Area", [line])]), types, "bench.yaml");
            // Akka's own log is off: the session actor's refused connections would fill the output.
            var hocon = "akka.loglevel = OFF\n" + (threads > 0
                ? $"akka.actor.default-dispatcher {{ executor = fork-join-executor, fork-join-executor {{ parallelism-min = {threads}, parallelism-factor = 1.0, parallelism-max = {threads} }} }}"
                : string.Empty);
            var system = ActorSystem.Create("edge-bench", ConfigurationFactory.ParseString(hocon));
            var feed = new AlarmFeed();
            var settings = new LineSettings(plant, line, data.Path, modelsDirectory, new EdgeTuning(), new AlarmBookOptions()) { Outbox = outbox };
            var actor = system.ActorOf(LineActor.Props(settings, feed, TimeProvider.System, NullLoggerFactory.Instance), LineId);
            var bench = new Bench(system, actor, feed, data, models, machines, outbox);
            await Task.Delay(500);
            return bench;
        }

        public void Send(int machine, ReadOnlySpan<double> values, DateTimeOffset time)
        {
            var batch = new SensorSample[Sensors];
            for (var s = 0; s < Sensors; s++)
            {
                batch[s] = new SensorSample(s, values[s], time, true);
            }

            Line.Tell(new MachineSamples(machine, batch));
        }

        /// <summary>Waits until every machine's status shows its last sent sample; returns how long after the call that took.</summary>
        public async Task<TimeSpan> LagAsync(DateTimeOffset[] lastSent, bool quietly = false)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (Feed.Current().Line is { } status && status.Machines.Count == lastSent.Length
                    && status.Machines.Select((m, i) => m.LastSample >= lastSent[i]).All(x => x))
                {
                    return watch.Elapsed;
                }

                await Task.Delay(quietly ? 5 : 20);
            }

            throw new TimeoutException("The line did not catch up with the samples within 60 s.");
        }

        public async Task WaitForScoresAsync(TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                if (Feed.Current().Line is { } status && status.Machines.All(m => m.AnomalyScore is not null))
                {
                    return;
                }

                await Task.Delay(50);
            }

            var machines = Feed.Current().Line?.Machines ?? [];
            var why = machines.Count > 0 ? System.Text.Json.JsonSerializer.Serialize(machines[0]) : "no status yet";
            throw new TimeoutException($"Only {machines.Count(m => m.AnomalyScore is not null)} of {Machines} machines are scored; the model is not in use ({why}).");
        }

        public void Dispose()
        {
            _system.Terminate().Wait(TimeSpan.FromSeconds(10));
            _data.Dispose();
            _models?.Dispose();
        }
    }

    /// <summary>
    /// Sends every machine a batch each sampling interval, machines spread evenly over the
    /// interval, and now and then a batch whose sensor 0 crosses the high limits, followed by a
    /// healthy one: the alarm's activation and its clearing are timed from the send to the event
    /// on the feed.
    /// </summary>
    private sealed class Feeder
    {
        private readonly Bench _bench;
        private readonly int _machines;
        private readonly int _crossingsPerSecond;
        private readonly double[][] _noise;
        private readonly double[] _values = new double[Sensors];
        private readonly ConcurrentDictionary<(string AlarmId, string EventType), long> _pending = new();
        private readonly bool[] _high;
        private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _row;
        private int _nextCrossing;

        public Feeder(Bench bench, int machines, int crossingsPerSecond)
        {
            _bench = bench;
            _machines = machines;
            _crossingsPerSecond = crossingsPerSecond;
            _high = new bool[machines];
            LastSent = new DateTimeOffset[machines];
            var random = new Random(2);
            _noise = [.. Enumerable.Range(0, 600).Select(_ => Enumerable.Range(0, Sensors).Select(_ => Healthy + (2 * MlBenchmarkData.Gaussian(random))).ToArray())];
            _ = Task.Run(ReadFeedAsync);
        }

        public ConcurrentBag<double> Latencies { get; } = [];

        public DateTimeOffset[] LastSent { get; }

        public long SamplesSent { get; private set; }

        public long Sends { get; private set; }

        public int Unanswered => _pending.Count;

        public void Run(TimeSpan duration, bool measure)
        {
            SamplesSent = 0;
            Sends = 0;
            var end = _clock.Elapsed + duration;
            var crossingEvery = _crossingsPerSecond > 0 ? TimeSpan.FromSeconds(1.0 / _crossingsPerSecond) : TimeSpan.MaxValue;
            var nextCrossing = _clock.Elapsed;
            while (_clock.Elapsed < end)
            {
                // Every row due by now, each machine at its slot in the interval.
                var now = _clock.Elapsed;
                var due = (long)(now.Ticks * _machines / Sampling.Ticks);
                for (; _row < due; _row++)
                {
                    var machine = (int)(_row % _machines);
                    var time = _origin + TimeSpan.FromTicks(_row * Sampling.Ticks / _machines);
                    _noise[(_row / _machines) % _noise.Length].CopyTo(_values, 0);
                    if (_high[machine])
                    {
                        // Back to healthy: the clearing is timed.
                        _high[machine] = false;
                        if (measure)
                        {
                            _pending[(AlarmId(machine), AlarmEventTypes.Cleared)] = Stopwatch.GetTimestamp();
                        }
                    }
                    else if (machine == _nextCrossing % _machines && _clock.Elapsed >= nextCrossing)
                    {
                        _values[0] = HighLimit + 5;
                        _high[machine] = true;
                        _nextCrossing += 7; // another machine each time, coprime with most line sizes
                        nextCrossing += crossingEvery;
                        if (measure)
                        {
                            _pending[(AlarmId(machine), AlarmEventTypes.Activated)] = Stopwatch.GetTimestamp();
                        }
                    }

                    _bench.Send(machine, _values, time);
                    LastSent[machine] = time;
                    SamplesSent += Sensors;
                    Sends++;
                }

                Thread.Sleep(1);
            }
        }

        private static string AlarmId(int machine) => $"{LineId}/machine-{machine + 1:0000}/sensor-00/h";

        private async Task ReadFeedAsync()
        {
            await foreach (var message in _bench.Feed.Subscribe(CancellationToken.None).ReadAllAsync())
            {
                if (message is AlarmChangedMessage changed && _pending.TryRemove((changed.Event.AlarmId, changed.Event.EventType), out var sent))
                {
                    Latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }
        }
    }

    /// <summary>An outbox that counts the records and bytes it is given and keeps none: the actors' side of the cost.</summary>
    private sealed class CountingOutbox : IOutbox
    {
        private readonly ConcurrentDictionary<string, long> _records = new(StringComparer.Ordinal);
        private long _bytes;
        private long _lastAlarmSequence;

        public long LastAlarmSequence => Interlocked.Read(ref _lastAlarmSequence);

        public static CountingOutbox? For(string[] args) =>
            BenchmarkArguments.Text(args, "--outbox") switch
            {
                null or "none" => null,
                "memory" => new CountingOutbox(),
                var other => throw new ArgumentException($"--outbox {other}: expected none or memory"),
            };

        public void Append(string kind, DateTimeOffset time, ReadOnlySpan<byte> body, long sourceSequence = 0)
        {
            _records.AddOrUpdate(kind, 1, (_, n) => n + 1);
            Interlocked.Add(ref _bytes, body.Length);
            if (sourceSequence > 0)
            {
                Interlocked.Exchange(ref _lastAlarmSequence, Math.Max(sourceSequence, Interlocked.Read(ref _lastAlarmSequence)));
            }
        }

        public override string ToString() =>
            $"outbox (in memory, counting): {string.Join(", ", _records.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value:N0} {r.Key}"))}; {Interlocked.Read(ref _bytes) / 1e6:0.0} MB of JSON";
    }
}
