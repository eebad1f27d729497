using Factory.OpcUa;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;
using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Physics;
using Microsoft.Extensions.Logging;
using UaRange = Factory.OpcUa.Types.Range;

namespace Factory.Simulator.Serving;

/// <summary>A line's machines by state, at a simulated time.</summary>
public sealed record LineStatus(string LineId, DateTimeOffset SimulatedTime, int Running, int Idle, int Stopped, int Failed, int Maintenance, long ValuesPublished);

/// <summary>
/// One production line served over OPC UA on the line's own endpoint: its machines' sensors as
/// AnalogItems updated at their sampling intervals in real time (the physics advanced in
/// simulated time, which the source timestamps carry), each machine's status, its maintenance
/// node and Maintain method, and the simulator's ground truth (health of each process).
/// </summary>
public sealed class SimulatedLineServer : IAsyncDisposable
{
    /// <summary>The simulated plant's namespace; registered first, so it has index 2 on every line server.</summary>
    public const string NamespaceUri = "urn:factory:simulated-plant";

    private static readonly TimeSpan TruthInterval = TimeSpan.FromSeconds(1);
    private readonly Lock _sync = new();
    private readonly SimulatedClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<SimulationEvent>? _onEvent;
    private readonly List<SensorPoint> _points = [];
    private readonly List<MachinePoints> _machines = [];
    private readonly VariableNode _simulatedTime;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private DateTimeOffset _lastTruth = DateTimeOffset.MinValue;
    private long _published;

    internal SimulatedLineServer(PlantConfig plant, LineSimulation line, SimulatedClock clock, Action<SimulationEvent>? onEvent, ILoggerFactory loggerFactory, LineSecurity? security = null)
    {
        Line = line;
        _clock = clock;
        _time = clock.RealTime;
        _onEvent = onEvent;
        _logger = loggerFactory.CreateLogger<SimulatedLineServer>();
        var config = line.Line;
        var (host, configuredPort) = EndpointAddress.Parse(config.OpcUaEndpoint);
        var path = new Uri(config.OpcUaEndpoint).AbsolutePath;
        var applicationUri = $"urn:factory:simulator:{config.Id}";
        var applicationName = $"Factory simulator, {config.Name}";
        Server = new UaServer(
            new ServerOptions
            {
                Host = host,
                Port = configuredPort,
                Path = path == "/" ? "" : path,
                ApplicationUri = applicationUri,
                ApplicationName = applicationName,
                Security = security?.Invoke(config.Id, applicationUri, applicationName) ?? ServerSecurity.None,
            },
            loggerFactory);
        NamespaceIndex = Server.AddressSpace.RegisterNamespace(NamespaceUri);
        _simulatedTime = Build(Server.AddressSpace, plant);
        UpdateInterval = TimeSpan.FromMilliseconds(Math.Clamp(_points.Count == 0 ? 1000 : _points.Min(p => p.Channel.Sensor.SamplingIntervalMs), 10, 1000));
    }

    public LineSimulation Line { get; }

    public UaServer Server { get; }

    public ushort NamespaceIndex { get; }

    /// <summary>The endpoint URL clients connect to (the bound port once started).</summary>
    public string EndpointUrl => Server.EndpointUrl.Length > 0 ? Server.EndpointUrl : Line.Line.OpcUaEndpoint;

    /// <summary>How often the update loop runs: the fastest sampling interval of the line's sensors.</summary>
    public TimeSpan UpdateInterval { get; }

    /// <summary>The number of sensors served.</summary>
    public int SensorCount => _points.Count;

    public LineStatus Status
    {
        get
        {
            lock (_sync)
            {
                var machines = Line.Machines;
                return new LineStatus(
                    Line.Line.Id,
                    machines.Count > 0 ? machines[0].Time : _clock.Now,
                    machines.Count(m => m.State == OperatingState.Running),
                    machines.Count(m => m.State == OperatingState.Idle),
                    machines.Count(m => m.State == OperatingState.Stopped),
                    machines.Count(m => m.State == OperatingState.Failed),
                    machines.Count(m => m.State == OperatingState.Maintenance),
                    Interlocked.Read(ref _published));
            }
        }
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        await Server.StartAsync(cancellationToken).ConfigureAwait(false);
        Tick();
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>
    /// One update: advances the machines to the simulated time of now, publishes the sensors that
    /// are due, changed states and (once a second) the ground truth. The update loop calls it every
    /// <see cref="UpdateInterval"/>; tests with a fake clock may call it themselves.
    /// </summary>
    public void Tick()
    {
        lock (_sync)
        {
            var real = _time.GetUtcNow();
            var simulated = _clock.At(real);
            Line.AdvanceTo(simulated);
            foreach (var e in Line.TakeEvents())
            {
                _logger.LogInformation("{Event}", e);
                _onEvent?.Invoke(e);
            }

            var source = simulated.UtcDateTime;
            foreach (var machine in _machines)
            {
                machine.PublishState(source);
            }

            var tolerance = UpdateInterval / 2;
            var published = 0;
            foreach (var point in _points)
            {
                if (real < point.Due - tolerance)
                {
                    continue;
                }

                point.Node.SetValue(new DataValue(new Variant(point.Machine.Sample(point.Channel)), StatusCode.Good, source));
                published++;
                point.Due += point.Interval;
                if (point.Due <= real)
                {
                    // Behind (a long GC pause, a busy machine): skip the missed samples rather than burst.
                    point.Due = real + point.Interval;
                }
            }

            Interlocked.Add(ref _published, published);
            if (real - _lastTruth >= TruthInterval)
            {
                _lastTruth = real;
                _simulatedTime.SetValue(new DataValue(new Variant(source), StatusCode.Good, source));
                foreach (var machine in _machines)
                {
                    machine.PublishTruth(source);
                }
            }
        }
    }

    /// <summary>Performs maintenance on a machine of this line as a client's write or call would.</summary>
    /// <returns>Null when the job began, else why it was refused.</returns>
    public string? Maintain(string machineId, string action)
    {
        var machine = _machines.FirstOrDefault(m => m.Simulation.MachineId == machineId)
            ?? throw new KeyNotFoundException($"Line {Line.Line.Id} has no machine '{machineId}'.");
        return machine.Maintain(action);
    }

    /// <summary>
    /// Starts a fault on a machine of this line now: the process begins at once (simulated time)
    /// and fails the machine after <paramref name="failAfter"/> of simulated time.
    /// </summary>
    public void InjectFault(string machineId, string processId, TimeSpan failAfter)
    {
        var machine = _machines.FirstOrDefault(m => m.Simulation.MachineId == machineId)
            ?? throw new KeyNotFoundException($"Line {Line.Line.Id} has no machine '{machineId}'.");
        lock (_sync)
        {
            var simulated = _clock.At(_time.GetUtcNow());
            machine.Simulation.AdvanceTo(simulated);
            machine.Simulation.InjectFault(processId, simulated, simulated + failAfter);
            _logger.LogInformation("{Machine}: {Process} injected, failing in {FailAfter}", machine.Simulation.Key, processId, failAfter);
        }
    }

    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await Server.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(UpdateInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    Tick();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One bad update must not stop the line; the next tick tries again.
                    _logger.LogError(e, "Updating line {Line} failed", Line.Line.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private NodeId Id(string text) => new(text, NamespaceIndex);

    private VariableNode Build(AddressSpace space, PlantConfig plant)
    {
        var config = Line.Line;
        var site = plant.Site;
        var area = site.Areas.First(a => a.Lines.Any(l => l.Id == config.Id));
        var siteId = Id(site.Id);
        space.AddFolder(ObjectIds.ObjectsFolder, siteId, site.Id, site.Name);
        var areaId = Id($"{site.Id}.{area.Id}");
        space.AddFolder(siteId, areaId, area.Id, area.Name);
        var lineId = Id(config.Id);
        space.AddObject(areaId, lineId, config.Id, ObjectTypeIds.BaseObjectType, ReferenceTypeIds.Organizes, config.Name);
        var simulatedTime = space.AddVariable(lineId, Id($"{config.Id}.SimulatedTime"), "SimulatedTime", DataTypeIds.UtcTime, new Variant(_clock.Now.UtcDateTime), minimumSamplingInterval: TruthInterval.TotalMilliseconds);
        space.AddProperty(lineId, Id($"{config.Id}.Acceleration"), "Acceleration", DataTypeIds.Double, new Variant(_clock.Acceleration), browseNameNamespace: lineId.NamespaceIndex);

        var errors = new List<string>();
        foreach (var machine in Line.Machines)
        {
            try
            {
                _machines.Add(new MachinePoints(this, space, lineId, machine));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                errors.Add($"{machine.Key}: {e.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new SimulatorConfigurationException(errors);
        }

        return simulatedTime;
    }

    private NodeId ParseNodeId(string text, string what)
    {
        if (!NodeId.TryParse(text, out var id, out var error))
        {
            throw new FormatException($"the {what} node id '{text}' is not a node id: {error}");
        }

        if (id.NamespaceIndex != NamespaceIndex)
        {
            throw new FormatException($"the {what} node id '{text}' must be in namespace {NamespaceIndex} (ns={NamespaceIndex};s=...), the simulated plant's");
        }

        return id;
    }

    private sealed class SensorPoint(MachineSimulation machine, SensorChannel channel, VariableNode node, TimeSpan interval, DateTimeOffset due)
    {
        public MachineSimulation Machine { get; } = machine;
        public SensorChannel Channel { get; } = channel;
        public VariableNode Node { get; } = node;
        public TimeSpan Interval { get; } = interval;
        public DateTimeOffset Due { get; set; } = due;
    }

    /// <summary>The nodes of one machine and the code behind its maintenance node and method.</summary>
    private sealed class MachinePoints
    {
        private readonly SimulatedLineServer _line;
        private readonly VariableNode _status;
        private readonly VariableNode _faultActive;
        private readonly VariableNode _operatingHours;
        private readonly VariableNode _failedBy;
        private readonly (string Process, VariableNode Node)[] _health;
        private OperatingState? _published;

        public MachinePoints(SimulatedLineServer line, AddressSpace space, NodeId lineId, MachineSimulation machine)
        {
            _line = line;
            Simulation = machine;
            var config = machine.Machine;
            var prefix = $"{machine.LineId}.{machine.MachineId}";
            var machineId = line.Id(prefix);
            space.AddObject(lineId, machineId, config.Id, ObjectTypeIds.BaseObjectType, ReferenceTypeIds.Organizes, config.Name);

            var now = line._time.GetUtcNow();
            foreach (var channel in machine.Channels)
            {
                var sensor = channel.Sensor;
                var nodeId = line.ParseNodeId(sensor.NodeId, $"sensor '{sensor.Id}'");
                var node = space.AddVariable(
                    machineId,
                    nodeId,
                    sensor.Id,
                    DataTypeIds.Double,
                    new Variant(0.0),
                    typeDefinition: VariableTypeIds.AnalogItemType,
                    minimumSamplingInterval: sensor.SamplingIntervalMs,
                    displayName: sensor.Name);
                space.AddProperty(nodeId, line.Id($"{IdText(nodeId)}.EURange"), "EURange", DataTypeIds.Range, new Variant(new UaRange(sensor.Range.Low, sensor.Range.High)));
                space.AddProperty(nodeId, line.Id($"{IdText(nodeId)}.EngineeringUnits"), "EngineeringUnits", DataTypeIds.EUInformation, new Variant(EngineeringUnits.For(sensor.Unit)));
                line._points.Add(new SensorPoint(machine, channel, node, TimeSpan.FromMilliseconds(Math.Max(1, sensor.SamplingIntervalMs)), now));
            }

            _status = space.AddVariable(machineId, line.ParseNodeId(config.StatusNodeId, "status"), "Status", DataTypeIds.String, new Variant(machine.State.Text()));
            space.AddVariable(
                machineId,
                line.ParseNodeId(config.MaintenanceNodeId, "maintenance"),
                "Maintenance",
                DataTypeIds.String,
                new Variant(""),
                accessLevel: AccessLevels.CurrentRead | AccessLevels.CurrentWrite,
                onWrite: OnMaintenanceWrite);

            var method = line.Id($"{prefix}.Maintain");
            space.AddMethod(machineId, method, "Maintain", CallMaintainAsync);
            space.AddProperty(method, line.Id($"{prefix}.Maintain.InputArguments"), "InputArguments", DataTypeIds.Argument,
                new Variant([new ExtensionObject(new Argument("action", DataTypeIds.String, ValueRanks.Scalar, null, $"One of: {string.Join(", ", DegradationCatalog.ActionsFor(machine.Kind).Select(a => a.Id))}"))]),
                ValueRanks.OneDimension);

            var truth = line.Id($"{prefix}.GroundTruth");
            space.AddObject(machineId, truth, "GroundTruth", displayName: "GroundTruth (simulator only: what a real plant cannot tell)");
            _faultActive = space.AddVariable(truth, line.Id($"{prefix}.GroundTruth.FaultActive"), "FaultActive", DataTypeIds.Boolean, new Variant(false), minimumSamplingInterval: TruthInterval.TotalMilliseconds);
            _failedBy = space.AddVariable(truth, line.Id($"{prefix}.GroundTruth.FailedBy"), "FailedBy", DataTypeIds.String, new Variant(""), minimumSamplingInterval: TruthInterval.TotalMilliseconds);
            _operatingHours = space.AddVariable(truth, line.Id($"{prefix}.GroundTruth.OperatingHours"), "OperatingHours", DataTypeIds.Double, new Variant(0.0), minimumSamplingInterval: TruthInterval.TotalMilliseconds);
            var health = line.Id($"{prefix}.GroundTruth.Health");
            space.AddObject(truth, health, "Health");
            _health = [.. machine.ProcessIds.Select(p => (p, space.AddVariable(health, line.Id($"{prefix}.GroundTruth.Health.{p}"), p, DataTypeIds.Double, new Variant(1.0), minimumSamplingInterval: TruthInterval.TotalMilliseconds)))];
        }

        public MachineSimulation Simulation { get; }

        public void PublishState(DateTime source)
        {
            var state = Simulation.State;
            if (state != _published)
            {
                _published = state;
                _status.SetValue(new DataValue(new Variant(state.Text()), StatusCode.Good, source));
            }
        }

        public void PublishTruth(DateTime source)
        {
            Set(_faultActive, new Variant(Simulation.FaultActive));
            Set(_failedBy, new Variant(Simulation.FailedBy ?? ""));
            Set(_operatingHours, new Variant(Math.Round(Simulation.OperatingHours, 3)));
            foreach (var (process, node) in _health)
            {
                Set(node, new Variant(Math.Round(Simulation.Health(process), 4)));
            }

            void Set(VariableNode node, Variant value)
            {
                if (!node.Value.Value.Equals(value))
                {
                    node.SetValue(new DataValue(value, StatusCode.Good, source));
                }
            }
        }

        /// <summary>Begins maintenance under the line's lock, at the simulated time of now.</summary>
        public string? Maintain(string action)
        {
            lock (_line._sync)
            {
                var simulated = _line._clock.At(_line._time.GetUtcNow());
                Simulation.AdvanceTo(simulated);
                var source = simulated.UtcDateTime;
                var refused = Simulation.BeginMaintenance(action.Trim());
                if (refused is null)
                {
                    _line._logger.LogInformation("{Machine}: maintenance {Action} requested over OPC UA", Simulation.Key, action);
                    PublishState(source);
                    PublishTruth(source);
                }

                return refused;
            }
        }

        private StatusCode OnMaintenanceWrite(VariableNode variable, DataValue value)
        {
            if (value.Value.Value is not string action)
            {
                return StatusCodes.BadTypeMismatch;
            }

            var refused = Maintain(action);
            if (refused is not null)
            {
                _line._logger.LogWarning("{Machine}: maintenance write refused: {Reason}", Simulation.Key, refused);
                return StatusCodes.BadInvalidArgument;
            }

            return StatusCode.Good;
        }

        private ValueTask<Variant[]> CallMaintainAsync(NodeId objectId, IReadOnlyList<Variant> inputs, CancellationToken cancellationToken)
        {
            if (inputs.Count == 0)
            {
                throw new ServiceResultException(StatusCodes.BadArgumentsMissing, "Maintain takes the action, e.g. replace-bearing");
            }

            if (inputs.Count > 1)
            {
                throw new ServiceResultException(StatusCodes.BadTooManyArguments, "Maintain takes one argument, the action");
            }

            if (inputs[0].Value is not string action)
            {
                throw new ServiceResultException(StatusCodes.BadTypeMismatch, "the action must be a String");
            }

            var refused = Maintain(action);
            return refused is null
                ? ValueTask.FromResult<Variant[]>([])
                : throw new ServiceResultException(StatusCodes.BadInvalidArgument, refused);
        }

        /// <summary>The identifier of a node id as text, to name the nodes below it.</summary>
        private static string IdText(NodeId id) => id.IdType == IdType.String ? id.StringIdentifier : id.ToString();
    }
}
