using Akka.Actor;
using Akka.Pattern;
using Factory.Edge.Alarms;
using Factory.Edge.Outbox;
using Factory.Edge.Panel;
using Factory.Edge.Telemetry;
using Factory.Plant.Model;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Actors;

/// <summary>What a line actor needs besides the plant configuration.</summary>
/// <param name="DataDirectory">Where the alarm journal lives.</param>
/// <param name="ModelsDirectory">Where model packages are looked for.</param>
public sealed record LineSettings(PlantConfig Plant, Line Line, string DataDirectory, string ModelsDirectory, EdgeTuning Tuning, AlarmBookOptions AlarmOptions)
{
    /// <summary>Where summaries, health, anomaly windows and alarm events for the cloud go; null when the node has no cloud link.</summary>
    public IOutbox? Outbox { get; init; }

    /// <summary>How the session reaches the line's OPC UA servers.</summary>
    public Hosting.OpcUaAccess OpcUa { get; init; } = Hosting.OpcUaAccess.Anonymous;
}

/// <summary>
/// The root of an edge node: one production line. Its children are the alarm actor (the line's
/// ISA-18.2 alarms and their journal), a machine actor per machine, the model store, and the
/// OPC UA session to the line's endpoint behind a backoff supervisor, so that a server that is
/// down or restarting never takes the line down. It routes values to the machines and actions
/// to the alarms, and keeps the panel's view of the line (machines, connections, gaps) current.
/// </summary>
public sealed class LineActor : ReceiveActor, IWithTimers
{
    private const int GapsKept = 20;

    private readonly LineSettings _settings;
    private readonly AlarmFeed _feed;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly MachineStatus?[] _machineStatus;
    private readonly Dictionary<string, EndpointStatus> _endpoints = new(StringComparer.Ordinal);
    private readonly List<DataGapStatus> _gaps = [];
    private IActorRef _alarms = ActorRefs.Nobody;
    private IActorRef _models = ActorRefs.Nobody;
    private IActorRef[] _machines = [];
    private bool _statusDirty = true;

    public LineActor(LineSettings settings, AlarmFeed feed, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _feed = feed;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LineActor>();
        _machineStatus = new MachineStatus?[settings.Line.Machines.Count];

        Receive<MachineSamples>(samples => _machines[samples.MachineIndex].Forward(samples));
        Receive<MachineStatusReported>(status => _machines[status.MachineIndex].Forward(status));
        Receive<MachineStatusChanged>(OnMachineStatus);
        Receive<TelemetryGap>(OnGap);
        Receive<EndpointConnectionChanged>(OnConnection);
        Receive<OperatorCommand>(command => _alarms.Forward(command));
        Receive<GetAlarmDetails>(query => _alarms.Forward(query));
        Receive<GetModels>(query => _models.Forward(query));
        Receive<PerformMaintenance>(OnPerformMaintenance);
        Receive<ModelWanted>(wanted => _models.Forward(wanted));
        Receive<ScorerReleased>(released => _models.Forward(released));
        Receive<PublishStatus>(_ => PublishStatusIfChanged());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LineSettings settings, AlarmFeed feed, TimeProvider time, ILoggerFactory loggerFactory) =>
        Akka.Actor.Props.Create(() => new LineActor(settings, feed, time, loggerFactory));

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A machine or the model store that fails is restarted (a machine asks for its active
        // conditions and its model again); the alarm actor restarts by replaying its journal.
        // One that keeps failing stops, and the line with it: better loud than half-blind.
        new OneForOneStrategy(10, TimeSpan.FromMinutes(1), e =>
        {
            _logger.LogError(e, "Line {Line}: an actor failed and is restarted", _settings.Line.Id);
            return Directive.Restart;
        });

    protected override void PreStart()
    {
        var line = _settings.Line;
        var catalog = AlarmCatalog.For(line);
        var journal = Path.Combine(_settings.DataDirectory, AlarmActor.JournalFile(line.Id));
        _alarms = Context.ActorOf(AlarmActor.Props(catalog, _settings.AlarmOptions, journal, _feed, _time, _loggerFactory, _settings.Outbox), "alarms");

        var machines = new List<(Machine, MachineType, Ml.Features.FeatureSchema, IActorRef)>();
        _machines = new IActorRef[line.Machines.Count];
        for (var i = 0; i < line.Machines.Count; i++)
        {
            var machine = line.Machines[i];
            var type = _settings.Plant.TypeOf(machine);
            _machines[i] = Context.ActorOf(MachineActor.Props(i, line, type, _alarms, _settings.Tuning, _time, _loggerFactory, _settings.Outbox), machine.Id);
            machines.Add((machine, type, Ml.Features.FeatureSchema.For(machine), _machines[i]));
        }

        _models = Context.ActorOf(ModelStoreActor.Props(line, machines, _settings.ModelsDirectory, _settings.Tuning, _time, _loggerFactory), "models");

        var nodes = new NodeMap(line);
        var session = OpcUaSessionActor.Props(line.OpcUaEndpoint, _settings.OpcUa, nodes, Self, _settings.Tuning, _loggerFactory);
        _endpoints[line.OpcUaEndpoint] = new EndpointStatus(line.OpcUaEndpoint, false, "connecting", _time.GetUtcNow());
        Context.ActorOf(
            BackoffSupervisor.Props(Backoff.OnStop(
                session,
                "opcua",
                _settings.Tuning.SessionRestartMinimum,
                _settings.Tuning.SessionRestartMaximum,
                randomFactor: 0.2,
                maxNrOfRetries: -1)),
            "opcua-supervisor");

        Timers.StartPeriodicTimer("status", PublishStatus.Instance, _settings.Tuning.StatusInterval);
    }

    private void OnPerformMaintenance(PerformMaintenance request)
    {
        var line = _settings.Line;
        if (!line.Machines.Any(m => m.Id == request.Machine))
        {
            Sender.Tell(new MaintenanceResult(false, $"there is no machine '{request.Machine}' on line {line.Id}; its machines are {string.Join(", ", line.Machines.Select(m => m.Id))}"));
            return;
        }

        if (_endpoints.TryGetValue(line.OpcUaEndpoint, out var endpoint) && !endpoint.Connected)
        {
            Sender.Tell(new MaintenanceResult(false, $"line {line.Id} is not connected to {line.OpcUaEndpoint} ({endpoint.Reason}); the maintenance was not requested"));
            return;
        }

        Context.Child("opcua-supervisor").Forward(request);
    }

    private void OnMachineStatus(MachineStatusChanged changed)
    {
        if (_machineStatus[changed.MachineIndex] != changed.Status)
        {
            _machineStatus[changed.MachineIndex] = changed.Status;
            _statusDirty = true;
        }
    }

    private void OnGap(TelemetryGap gap)
    {
        _logger.LogWarning("Line {Line}: values from {Endpoint} between {From:O} and {To:O} may be missing: {Reason}", _settings.Line.Id, gap.Endpoint, gap.From, gap.To, gap.Reason);
        _gaps.Add(new DataGapStatus(gap.Endpoint, gap.From, gap.To, gap.Reason));
        if (_gaps.Count > GapsKept)
        {
            _gaps.RemoveAt(0);
        }

        _statusDirty = true;
    }

    private void OnConnection(EndpointConnectionChanged changed)
    {
        foreach (var node in changed.Unmonitored)
        {
            _logger.LogWarning("Line {Line}: {Endpoint} refused to monitor {Node}", _settings.Line.Id, changed.Endpoint, node);
        }

        if (_endpoints.TryGetValue(changed.Endpoint, out var known) && known.Connected == changed.Connected && known.Reason == changed.Reason)
        {
            return;
        }

        _endpoints[changed.Endpoint] = new EndpointStatus(changed.Endpoint, changed.Connected, changed.Reason, _time.GetUtcNow());
        _statusDirty = true;
        PublishStatusIfChanged();
    }

    private void PublishStatusIfChanged()
    {
        if (!_statusDirty)
        {
            return;
        }

        _statusDirty = false;
        var line = _settings.Line;
        _feed.Publish(new LineStatus(
            line.Id,
            line.Name,
            _time.GetUtcNow(),
            [.. _machineStatus.Select((s, i) => s ?? new MachineStatus(line.Machines[i].Id, line.Machines[i].Name, line.Machines[i].Type, "unknown", true, null, null, null, "starting"))],
            [.. _endpoints.Values],
            [.. _gaps]));
    }

    private sealed class PublishStatus
    {
        public static readonly PublishStatus Instance = new();
    }
}
