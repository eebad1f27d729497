using Akka.Actor;
using Factory.Contracts.Telemetry;
using Factory.Edge.Alarms;
using Factory.Edge.Outbox;
using Factory.Edge.Panel;
using Factory.Edge.Telemetry;
using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Ml.Scoring;
using Factory.Plant.Model;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Actors;

/// <summary>
/// One machine of the line. Every sample goes through the machine's limit monitors at once (a
/// limit alarm must not wait for anything) and into its feature windows; every evaluation
/// interval the windows become a feature vector that the machine's model scores, the data's
/// freshness is judged, and the machine's status goes to the panel. Conditions that change go to
/// the line's alarm actor, which decides what they mean (ISA-18.2).
/// </summary>
/// <remarks>
/// Time: limits and windows run on the samples' source timestamps (the machine's clock, which a
/// simulator may accelerate); staleness runs on the edge's clock, by when samples arrived.
/// Between two samples the machine's clock is estimated as its newest source time plus the edge
/// time since that sample arrived.
/// With a cloud link (an outbox), each sample also goes, after its limits, to the sensor summaries
/// and the anomaly recorder, and each evaluation to the machine's health; what they complete goes
/// to the outbox (docs/edge.md, "What goes to the cloud").
/// </remarks>
public sealed class MachineActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly int _index;
    private readonly Line _line;
    private readonly Machine _machine;
    private readonly MachineType _type;
    private readonly IActorRef _alarms;
    private readonly EdgeTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MachineFeatures _features;
    private readonly float[] _vector;
    private readonly LimitMonitor?[] _limits;
    private readonly AnomalyMonitor _anomaly;
    private readonly DataFreshness _freshness;
    private readonly string _staleId;
    private readonly IOutbox? _outbox;
    private readonly SensorSummarizer? _summaries;
    private readonly HealthSummarizer? _health;
    private readonly AnomalyRecorder? _recorder;
    private readonly List<SensorSummary> _completedSummaries = [];
    private readonly List<AnomalyWindow> _completedWindows = [];
    private long _outboxFailures;
    private AnomalyScorer? _scorer;
    private ModelManifest? _manifest;
    private string _modelDescription = "waiting for the model store";
    private MachineOperatingState _state = MachineOperatingState.Unknown;
    private DateTimeOffset? _newestSource;
    private DateTimeOffset _newestArrival;
    private double? _lastScore;
    private bool _staleActive;
    private long _scoringFailures;

    /// <param name="outbox">Where the machine's summaries, health and anomaly windows for the cloud go; null without a cloud link.</param>
    public MachineActor(int index, Line line, MachineType type, IActorRef alarms, EdgeTuning tuning, TimeProvider time, ILoggerFactory loggerFactory, IOutbox? outbox = null)
    {
        _index = index;
        _line = line;
        _machine = line.Machines[index];
        _type = type;
        _alarms = alarms;
        _tuning = tuning;
        _time = time;
        _logger = loggerFactory.CreateLogger<MachineActor>();
        Schema = FeatureSchema.For(_machine);
        _features = new MachineFeatures(Schema);
        _vector = new float[Schema.Count];
        _limits = [.. _machine.Sensors.Select(s => LimitMonitor.For(line.Id, _machine.Id, s))];
        _anomaly = new AnomalyMonitor(AlarmIds.Anomaly(line.Id, _machine.Id), tuning.AnomalyRaiseAfter, tuning.AnomalyClearAfter, tuning.AnomalyClearRatio);
        _freshness = new DataFreshness(_machine.Sensors, tuning.StaleAfterIntervals, tuning.MinimumStaleTime, time.GetUtcNow());
        _staleId = AlarmIds.StaleData(line.Id, _machine.Id);

        // Without a cloud link nothing is kept for the cloud: no memory, no time.
        _outbox = outbox;
        if (outbox is not null)
        {
            _summaries = new SensorSummarizer(line.Id, _machine, tuning.SummaryInterval);
            _health = new HealthSummarizer(line.Id, _machine.Id, tuning.SummaryInterval);
            _recorder = new AnomalyRecorder(line.Id, _machine, tuning.AnomalyWindowBefore, tuning.AnomalyWindowAfter);
        }

        // Until the alarm actor has said which conditions the journal holds active, samples wait:
        // a limit that is still exceeded must not be raised a second time, one that came back
        // while the edge was down must clear.
        Receive<ActiveConditions>(OnActiveConditions);
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>The features of this machine, as its model packages must declare them.</summary>
    public FeatureSchema Schema { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(int index, Line line, MachineType type, IActorRef alarms, EdgeTuning tuning, TimeProvider time, ILoggerFactory loggerFactory, IOutbox? outbox = null) =>
        Akka.Actor.Props.Create(() => new MachineActor(index, line, type, alarms, tuning, time, loggerFactory, outbox));

    protected override void PreStart()
    {
        _alarms.Tell(new GetActiveConditions(_machine.Id));
        Context.Parent.Tell(new ModelWanted(_index));
        Timers.StartPeriodicTimer("evaluate", Evaluate.Instance, _tuning.EvaluationInterval);
    }

    protected override void PostStop()
    {
        // The store disposes of scorers no machine holds; a stopped machine holds none.
        if (_scorer is not null)
        {
            Context.Parent.Tell(new ScorerReleased(_index, _scorer));
        }
    }

    private void OnActiveConditions(ActiveConditions active)
    {
        foreach (var id in active.AlarmIds)
        {
            if (id == _staleId)
            {
                _staleActive = true;
            }
            else if (id == _anomaly.AlarmId)
            {
                _anomaly.RestoreActive();
            }
            else if (AlarmIds.TryParse(id, out _, out _, out var sensor, out var kind) && sensor is not null)
            {
                var index = _machine.Sensors.ToList().FindIndex(s => s.Id == sensor);
                if (index >= 0)
                {
                    _limits[index]?.RestoreActive(kind);
                }
            }
        }

        Become(Running);
        Stash.UnstashAll();
    }

    private void Running()
    {
        Receive<MachineSamples>(OnSamples);
        Receive<MachineStatusReported>(OnStatus);
        Receive<Evaluate>(_ => OnEvaluate());
        Receive<UseModel>(OnUseModel);
        Receive<ActiveConditions>(_ => { });
    }

    private void OnSamples(MachineSamples batch)
    {
        var arrival = _time.GetUtcNow();
        _newestArrival = arrival;
        foreach (ref readonly var sample in batch.Samples.AsSpan())
        {
            _freshness.Arrived(sample.SensorIndex, arrival);
            if (sample.Good)
            {
                _features.Add(sample.SensorIndex, sample.Value, sample.SourceTime);
            }

            if (_newestSource is not { } newest || sample.SourceTime > newest)
            {
                _newestSource = sample.SourceTime;
            }

            if (_limits[sample.SensorIndex] is { } limits)
            {
                foreach (var change in limits.Evaluate(in sample))
                {
                    _alarms.Tell(change.ToCommand());
                }
            }

            // After the limits: what the cloud gets never delays a limit alarm.
            if (_summaries is not null)
            {
                _summaries.Add(in sample, _completedSummaries);
                _recorder!.Add(in sample);
            }
        }

        if (_completedSummaries.Count > 0)
        {
            SendToCloud();
        }

        // Data that comes back ends the stale condition at once, not at the next evaluation.
        if (_staleActive && !_freshness.Evaluate(arrival, out _, out _))
        {
            _staleActive = false;
            _alarms.Tell(new ClearCondition(_staleId, arrival));
        }
    }

    private void OnStatus(MachineStatusReported status)
    {
        _state = status.State;
        _alarms.Tell(new ReportMachineState(_machine.Id, status.State, status.Time));
    }

    private void OnUseModel(UseModel use)
    {
        var previous = _scorer;
        _scorer = use.Scorer;
        _manifest = use.Manifest;
        _modelDescription = use.Description;
        _anomaly.Restart();
        if (previous is not null && !ReferenceEquals(previous, use.Scorer))
        {
            Sender.Tell(new ScorerReleased(_index, previous));
        }

        // Only the scorer changes: the windows keep every sample, so the next evaluation scores with the new model.
        _logger.LogInformation("Machine {Machine} of line {Line}: {Model}", _machine.Id, _line.Id, use.Description);
    }

    private void OnEvaluate()
    {
        var now = _time.GetUtcNow();
        var machineNow = _newestSource is { } newest ? newest + (now - _newestArrival) : (DateTimeOffset?)null;

        if (machineNow is { } due)
        {
            foreach (var limits in _limits)
            {
                if (limits?.NextDue is { } next && next <= due)
                {
                    foreach (var change in limits.Tick(due))
                    {
                        _alarms.Tell(change.ToCommand());
                    }
                }
            }
        }

        var stale = _freshness.Evaluate(now, out var silence, out var sensor);
        if (stale && !_staleActive)
        {
            _staleActive = true;
            _logger.LogWarning("Machine {Machine} of line {Line}: no data from {Sensor} for {Seconds:0.0} s", _machine.Id, _line.Id, _machine.Sensors[sensor].Id, silence.TotalSeconds);
            _alarms.Tell(new ActivateCondition(_staleId, now, Math.Round(silence.TotalSeconds, 1)));
        }
        else if (!stale && _staleActive)
        {
            _staleActive = false;
            _alarms.Tell(new ClearCondition(_staleId, now));
        }

        _lastScore = null;
        if (stale)
        {
            _anomaly.Restart();
        }
        else if (_scorer is { } scorer && _newestSource is { } newestSource && EvaluationTime(newestSource) is var time && _features.TryCompute(time, _vector))
        {
            Score(scorer, time);
        }

        if (_health is not null && machineNow is { } clock)
        {
            // The limits are done: now what the cloud gets of this evaluation and of what the machine's clock has passed.
            _summaries!.Tick(clock, _completedSummaries);
            _recorder!.Tick(clock, _completedWindows);
            var model = _scorer is null ? null : _manifest is { } manifest ? $"{manifest.Id} v{manifest.Version}" : _modelDescription;
            if (_health.Evaluated(clock, _lastScore, _scorer?.Threshold, model, _state.ToString().ToLowerInvariant(), stale) is { } health)
            {
                Append(outbox => outbox.Append(health));
            }

            SendToCloud();
        }

        Context.Parent.Tell(new MachineStatusChanged(_index, new MachineStatus(
            _machine.Id,
            _machine.Name,
            _type.Id,
            _state.ToString().ToLowerInvariant(),
            stale,
            _newestSource,
            _lastScore,
            _scorer?.Threshold,
            _modelDescription)));
    }

    /// <summary>
    /// The windows are scored at whole evaluation periods of the machine's clock, as training
    /// extracts them (<see cref="FeatureExtractor"/>): the model sees the windows it was trained on.
    /// </summary>
    private DateTimeOffset EvaluationTime(DateTimeOffset newest)
    {
        var ticks = newest.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % _tuning.EvaluationInterval.Ticks), TimeSpan.Zero);
    }

    private void Score(AnomalyScorer scorer, DateTimeOffset time)
    {
        float score;
        try
        {
            score = scorer.Score(_vector);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A model that cannot score must not take the limits with it: log it (once in a while) and go on without a score.
            if (_scoringFailures++ % 60 == 0)
            {
                _logger.LogError(e, "Machine {Machine} of line {Line}: {Model} failed to score ({Failures} times so far)", _machine.Id, _line.Id, _manifest?.ToString() ?? "the model", _scoringFailures);
            }

            return;
        }

        _lastScore = score;
        if (_anomaly.Evaluate(score, scorer.Threshold, time) is { } command)
        {
            _alarms.Tell(command);
            if (command is ActivateCondition raised)
            {
                _recorder?.Trigger(raised.AlarmId, raised.Time, raised.Score, raised.Threshold);
            }
        }
    }

    private void SendToCloud()
    {
        foreach (var summary in _completedSummaries)
        {
            Append(outbox => outbox.Append(summary));
        }

        _completedSummaries.Clear();
        foreach (var window in _completedWindows)
        {
            // Thousands of samples take milliseconds to serialize: not on the actors' threads, whose next sample may pass a limit.
            AnomalyWindowWriter.Post(() => Append(outbox => outbox.Append(window)));
        }

        _completedWindows.Clear();
    }

    /// <summary>An outbox that refuses a record (closed at shutdown) costs that record, never the machine's limits.</summary>
    private void Append(Action<IOutbox> append)
    {
        try
        {
            append(_outbox!);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (Interlocked.Increment(ref _outboxFailures) % 100 == 1)
            {
                _logger.LogError(e, "Machine {Machine} of line {Line}: a record for the cloud could not be put in the outbox ({Failures} so far)", _machine.Id, _line.Id, _outboxFailures);
            }
        }
    }

    private sealed class Evaluate
    {
        public static readonly Evaluate Instance = new();
    }
}
