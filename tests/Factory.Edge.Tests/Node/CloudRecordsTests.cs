using Akka.Actor;
using Factory.Contracts.Alarms;
using Factory.Edge.Actors;
using Factory.Edge.Panel;
using Factory.Edge.Tests.EdgeTelemetry.Support;
using Factory.Edge.Tests.Node.Support;
using Factory.Ml.Packages;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Node;

/// <summary>
/// What a line with a cloud link puts in its outbox while it reads the simulated plant over OPC
/// UA: a summary of every sensor and a health record of every machine for every interval, the
/// raw window around an anomaly alarm, and every alarm event once. The line actor runs as in
/// <c>factory edge</c>; only the outbox is an in-memory recorder (the durable one has tests of its own).
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class CloudRecordsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly EdgeHarness _edge = new(output);
    private readonly RecordingOutbox _outbox = new();
    private readonly AlarmFeed _feed = new();
    private ActorSystem _system = null!;
    private ModelManifest _model = null!;

    public async Task InitializeAsync()
    {
        var staging = Path.Combine(Path.GetTempPath(), $"factory-model-{Guid.NewGuid():N}{ModelPackage.FileExtension}");
        _model = SimulatorModels.Train(_edge.Plant, "centrifugal-pump", "pump-anomaly", 1, staging, EdgeHarness.Seed, DateTimeOffset.UtcNow);
        File.Move(staging, Path.Combine(_edge.Models.Path, $"pump-anomaly-1{ModelPackage.FileExtension}"));
        await _edge.StartSimulatorAsync();

        var tuning = _edge.Tuning with { SummaryInterval = Interval, AnomalyWindowBefore = TimeSpan.FromSeconds(4), AnomalyWindowAfter = TimeSpan.FromSeconds(2) };
        var line = _edge.Plant.Lines.Single();
        var settings = new LineSettings(_edge.Plant, line, _edge.Data.Path, _edge.Models.Path, tuning, _edge.AlarmOptions) { Outbox = _outbox };
        _system = ActorSystem.Create("cloud-records", "akka.loglevel = WARNING");
        _system.ActorOf(LineActor.Props(settings, _feed, TimeProvider.System, NullLoggerFactory.Instance), line.Id);
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        await _edge.DisposeAsync();
    }

    [Fact]
    public async Task A_line_sends_every_sensors_summary_every_machines_health_the_window_around_an_anomaly_and_each_alarm_event_once()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var annunciated = new List<long>();
        var feed = _feed.Subscribe(stop.Token);
        var reading = Task.Run(async () =>
        {
            await foreach (var message in feed.ReadAllAsync(stop.Token))
            {
                if (message is AlarmChangedMessage changed)
                {
                    lock (annunciated)
                    {
                        annunciated.Add(changed.Event.Sequence);
                    }
                }
            }
        });

        await WaitForAsync(() => _outbox.Health.Any(h => h.Machine == "pump-1" && h.Evaluations > 0), TimeSpan.FromSeconds(30), "pump-1 is scored");
        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(60));
        var anomaly = $"{EdgeTestPlant.LineId}/pump-1/anomaly";
        await WaitForAsync(() => _outbox.AnomalyWindows.Count > 0, TimeSpan.FromSeconds(70), "the anomaly alarm is raised and its window completes");

        // The alarm events annunciated so far must all reach the outbox (after their journal write).
        long[] seen;
        lock (annunciated)
        {
            seen = [.. annunciated];
        }

        await WaitForAsync(() => seen.All(s => _outbox.Alarms.Any(a => a.Sequence == s)), TimeSpan.FromSeconds(5), "every annunciated alarm event is in the outbox");

        // And the other way: every alarm event in the outbox so far was annunciated. The panel's stream
        // may deliver the newest a moment after the outbox has it, so it is read until it has them
        // (the line goes on raising events; those after this snapshot are not asked for).
        var sequences = _outbox.Alarms.Select(a => a.Sequence).ToList();
        await WaitForAsync(() => Has(sequences), TimeSpan.FromSeconds(15), $"the panel annunciated every alarm event in the outbox ({string.Join(", ", sequences)})");
        await stop.CancelAsync();
        await reading.ContinueWith(_ => { }, TaskScheduler.Default);

        // Summaries: every sensor of every machine, every interval from its first to its last, each once.
        var summaries = _outbox.Summaries;
        foreach (var machine in _edge.Plant.Lines.Single().Machines)
        {
            foreach (var sensor in machine.Sensors)
            {
                var starts = summaries.Where(s => s.Machine == machine.Id && s.Sensor == sensor.Id).Select(s => s.Start).ToList();
                starts.Should().HaveCountGreaterThan(5, $"{machine.Id}/{sensor.Id} is summarized for the whole run");
                Contiguous(starts).Should().BeTrue($"{machine.Id}/{sensor.Id} has one summary per interval, none missing: {string.Join(", ", starts.Select(s => s.ToString("HH:mm:ss")))}");
                starts.Should().OnlyContain(s => s.ToUnixTimeMilliseconds() % (long)Interval.TotalMilliseconds == 0);
            }
        }

        // A 2 s interval holds at most ten 200 ms samples, each counted once; a loaded test machine may lose a few on the way.
        var whole = summaries.Where(s => s.Sensor == "flow" && s.Machine == "pump-2").Skip(1).SkipLast(1).ToList();
        whole.Should().OnlyContain(s => s.Count >= 1 && s.Count <= 10 && s.IntervalSeconds == 2 && s.Unit == "m³/h" && s.Min <= s.Mean && s.Mean <= s.Max);
        whole.Should().Contain(s => s.Count == 10, "intervals where no sample was lost have every sample");

        // Health: every machine, every interval; the pumps scored by the model, the conveyor without one.
        foreach (var machine in _edge.Plant.Lines.Single().Machines)
        {
            var health = _outbox.Health.Where(h => h.Machine == machine.Id).ToList();
            health.Should().HaveCountGreaterThan(5);
            Contiguous([.. health.Select(h => h.Start)]).Should().BeTrue($"{machine.Id} has a health record for every interval");
        }

        _outbox.Health.Where(h => h.Machine == "pump-2" && h.Evaluations > 0).Should().NotBeEmpty()
            .And.OnlyContain(h => h.Model == "pump-anomaly v1" && h.Threshold != null && Math.Abs(h.Threshold.Value - _model.Threshold) < 1e-4 && h.MaxScore >= h.MeanScore);
        _outbox.Health.Where(h => h.Machine == "conveyor-1").Should().OnlyContain(h => h.Evaluations == 0 && h.Model == null && h.LastScore == null, "the conveyor has no model: its health says so");

        // The anomaly window: every pump sensor from 4 s before the trigger to 2 s after.
        var window = _outbox.AnomalyWindows.Should().ContainSingle().Subject;
        window.AlarmId.Should().Be(anomaly);
        window.Machine.Should().Be("pump-1");
        window.From.Should().Be(window.Trigger - TimeSpan.FromSeconds(4));
        window.To.Should().Be(window.Trigger + TimeSpan.FromSeconds(2));
        window.Score.Should().BeGreaterThan(window.Threshold!.Value);
        window.Sensors.Select(s => s.Sensor).Should().Equal(_edge.Plant.Lines.Single().Machines[0].Sensors.Select(s => s.Id));
        var trigger = window.Trigger.ToUnixTimeMilliseconds();
        window.Sensors.Should().AllSatisfy(trace =>
        {
            // At most 31 samples of 200 ms in 6 s; a loaded test machine may lose some on the way.
            trace.TimesMs.Should().HaveCountLessThanOrEqualTo(31).And.BeInAscendingOrder()
                .And.OnlyContain(ms => ms >= window.From.ToUnixTimeMilliseconds() && ms <= window.To.ToUnixTimeMilliseconds());
            trace.TimesMs.Should().Contain(ms => ms < trigger - 2000, "the time before the trigger came from the ring")
                .And.Contain(ms => ms > trigger + 1000, "the time after it was recorded on");
            trace.Values.Should().HaveCount(trace.TimesMs.Count);
        });
        _outbox.Alarms.Should().Contain(a => a.AlarmId == anomaly && a.EventType == AlarmEventTypes.Activated && a.Time == window.Trigger);

        // Alarm events: each once, in journal order (and annunciated: above).
        _outbox.Alarms.Select(a => a.Sequence).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();

        bool Has(IEnumerable<long> wanted)
        {
            lock (annunciated)
            {
                return wanted.All(annunciated.Contains);
            }
        }

        _outbox.Records.Where(r => r.Kind == Contracts.Link.RecordKinds.Alarm).Should().OnlyContain(r => r.SourceSequence > 0);
    }

    private static bool Contiguous(List<DateTimeOffset> starts) =>
        starts.Zip(starts.Skip(1)).All(p => p.Second - p.First == Interval);

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Not within {timeout}: {what}");
            }

            await Task.Delay(100);
        }
    }
}
