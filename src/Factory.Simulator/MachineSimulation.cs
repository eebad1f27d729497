using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Physics;
using Factory.Simulator.Randomness;

namespace Factory.Simulator;

/// <summary>
/// One simulated machine: its physics, its degradation processes, its sensors and its state
/// (running, idle, stopped, failed, maintenance). Advanced in simulated time by its line; events
/// (fault onsets, failures, maintenance) are exact to the second whatever the step. Not thread-safe:
/// its line serialises access.
/// </summary>
public sealed class MachineSimulation
{
    /// <summary>The longest physics step; longer advances are cut into steps of this size.</summary>
    private static readonly TimeSpan MaxStep = TimeSpan.FromMinutes(2);

    private readonly LineSchedule _schedule;
    private readonly Ambient _ambient;
    private readonly SimulationOptions _options;
    private readonly DegradationProcess[] _processes;
    private readonly double[] _severity = new double[Enum.GetValues<DegradationKind>().Length];
    private readonly List<SimulationEvent> _events = [];
    private readonly HashSet<DegradationProcess> _renewing = [];
    private readonly List<string> _jobActions = [];
    private DateTimeOffset _maintenanceEnd;
    private DateTimeOffset? _repairAt;

    internal MachineSimulation(Line line, Machine machine, MachineKind kind, LineSchedule schedule, Ambient ambient, SimulationOptions options)
    {
        Line = line;
        Machine = machine;
        Kind = kind;
        _schedule = schedule;
        _ambient = ambient;
        _options = options;
        var seed = options.Seed;
        var stream = StableHash.Derive(seed, "machine", line.Id, machine.Id);
        Physics = MachinePhysics.Create(kind, stream, 0.5 + (1.5 * TimeNoise.Uniform(stream, -1)));
        var errors = new List<string>();
        var channels = new List<SensorChannel>();
        foreach (var sensor in machine.Sensors)
        {
            if (!Physics.Signals.Contains(sensor.Signal))
            {
                errors.Add($"{Key}: sensor '{sensor.Id}' measures {sensor.Signal}, which a {kind} does not have (it has {string.Join(", ", Physics.Signals.Order())})");
                continue;
            }

            try
            {
                channels.Add(new SensorChannel(sensor, StableHash.Derive(seed, "sensor", line.Id, machine.Id, sensor.Id)));
            }
            catch (SimulatorConfigurationException e)
            {
                errors.Add($"{Key}: {e.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new SimulatorConfigurationException(errors);
        }

        Channels = channels;
        _processes = [.. DegradationCatalog.For(kind).Select(d => new DegradationProcess(d, StableHash.Derive(seed, "life", line.Id, machine.Id, d.Id), options.RandomFaults))];

        var start = options.Start.ToUniversalTime();
        foreach (var process in _processes)
        {
            process.BeginFirstLife(start);
        }

        foreach (var fault in options.Faults.Where(f => f.LineId == line.Id && f.MachineId == machine.Id))
        {
            var process = _processes.FirstOrDefault(p => p.Definition.Id == fault.Process)
                ?? throw new SimulatorConfigurationException([$"{fault.Source}: a {kind} has no process '{fault.Process}'"]);
            var onset = start + fault.StartAfter;
            process.Inject(onset, onset + fault.FailAfter);
        }

        WarmUp(start);
        foreach (var process in _processes.Where(p => p.Onset <= start))
        {
            // A fault already under way when the simulation starts: its onset belongs in the labels.
            process.OnsetReported = true;
            _events.Add(new SimulationEvent(process.Onset!.Value, line.Id, machine.Id, SimulationEventKind.FaultOnset, process.Definition.Id, process.Cause, ScheduledFailure: process.Failure));
        }
    }

    /// <summary>
    /// Starts a degradation process at <paramref name="onset"/> that fails the machine at
    /// <paramref name="failure"/> (simulated times), as a scenario file would, while the
    /// simulation runs.
    /// </summary>
    /// <exception cref="SimulatorConfigurationException">The machine has no such process.</exception>
    public void InjectFault(string processId, DateTimeOffset onset, DateTimeOffset failure)
    {
        var process = _processes.FirstOrDefault(p => p.Definition.Id == processId)
            ?? throw new SimulatorConfigurationException([$"{Key}: a {Kind} has no process '{processId}' (it has {string.Join(", ", ProcessIds)})"]);
        process.Inject(onset, failure);
    }

    public Line Line { get; }

    public Machine Machine { get; }

    public MachineKind Kind { get; }

    public string LineId => Line.Id;

    public string MachineId => Machine.Id;

    /// <summary><c>line/machine</c>, as machines are named on the command line and in scenarios.</summary>
    public string Key => $"{Line.Id}/{Machine.Id}";

    public OperatingState State { get; private set; }

    /// <summary>The simulated time the machine has been advanced to.</summary>
    public DateTimeOffset Time { get; private set; }

    /// <summary>Hours spent running since the simulation started.</summary>
    public double OperatingHours { get; private set; }

    /// <summary>The process whose failure stopped the machine, while it is failed.</summary>
    public string? FailedBy { get; private set; }

    /// <summary>When the current maintenance job ends, while in maintenance.</summary>
    public DateTimeOffset? MaintenanceEnd => State == OperatingState.Maintenance ? _maintenanceEnd : null;

    /// <summary>The ids of this machine's degradation processes, in catalog order.</summary>
    public IReadOnlyList<string> ProcessIds => [.. _processes.Select(p => p.Definition.Id)];

    internal IReadOnlyList<DegradationProcess> Processes => _processes;

    internal IReadOnlyList<SensorChannel> Channels { get; }

    internal MachinePhysics Physics { get; }

    /// <summary>The health of a process now (1 new, 0 failed).</summary>
    public double Health(string processId) =>
        (_processes.FirstOrDefault(p => p.Definition.Id == processId) ?? throw new ArgumentException($"A {Kind} has no process '{processId}'.", nameof(processId))).Health(Time);

    /// <summary>True while a fault has begun and not been repaired.</summary>
    public bool FaultActive => _processes.Any(p => p.Failed || (p.Onset is { } onset && onset <= Time));

    /// <summary>Time until the earliest scheduled failure of a process, or null when none is scheduled or the machine is down.</summary>
    public TimeSpan? RemainingLife
    {
        get
        {
            if (State is OperatingState.Failed or OperatingState.Maintenance)
            {
                return null;
            }

            DateTimeOffset? earliest = null;
            foreach (var process in _processes)
            {
                if (process.Failure is { } failure && (earliest is null || failure < earliest))
                {
                    earliest = failure;
                }
            }

            return earliest - Time;
        }
    }

    /// <summary>A reading of <paramref name="channel"/> now.</summary>
    internal double Sample(SensorChannel channel) => channel.Sample(Physics.Frame);

    /// <summary>
    /// Advances the machine to <paramref name="time"/> (never backwards) and reads every sensor
    /// there, in the order of <see cref="Machine"/>'s sensors: what an in-process consumer (a
    /// training run, a benchmark) reads instead of going through OPC UA or a history export.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is shorter than the machine's sensor list.</exception>
    public void Read(DateTimeOffset time, Span<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, Channels.Count, nameof(values));
        AdvanceTo(time);
        for (var i = 0; i < Channels.Count; i++)
        {
            values[i] = Sample(Channels[i]);
        }
    }

    /// <summary>Moves the machine's events (in time order) to <paramref name="into"/>.</summary>
    internal void DrainEvents(List<SimulationEvent> into)
    {
        into.AddRange(_events);
        _events.Clear();
    }

    /// <summary>Advances the machine to <paramref name="target"/>, applying every event on the way at its own time.</summary>
    internal void AdvanceTo(DateTimeOffset target)
    {
        while (Time < target)
        {
            var next = NextEventTime();
            var end = target;
            if (next is { } n && n < end)
            {
                end = n < Time ? Time : n;
            }

            if (end - Time > MaxStep)
            {
                end = Time + MaxStep;
            }

            Step(end);
            if (next is { } due && due <= Time)
            {
                ApplyEvents();
            }
        }

        if (NextEventTime() is { } pending && pending <= Time)
        {
            ApplyEvents();
        }
    }

    /// <summary>
    /// Begins maintenance <paramref name="actionId"/> now (advance the machine first). The machine
    /// is locked out for the action's duration; at the end the processes it addresses are renewed
    /// and the machine returns to its schedule. A job on a machine already in maintenance extends it.
    /// </summary>
    /// <returns>Null when the job began, else why it was refused (nothing changed).</returns>
    internal string? BeginMaintenance(string actionId)
    {
        var action = DegradationCatalog.Action(actionId);
        if (action is null)
        {
            return $"'{actionId}' is not a maintenance action; actions for a {Kind}: {string.Join(", ", DegradationCatalog.ActionsFor(Kind).Select(a => a.Id))}";
        }

        var renewed = _processes.Where(p => action.Resets.Contains(p.Kind)).ToList();
        if (renewed.Count == 0)
        {
            return $"'{actionId}' does nothing on a {Kind}; actions for it: {string.Join(", ", DegradationCatalog.ActionsFor(Kind).Select(a => a.Id))}";
        }

        _maintenanceEnd = (State == OperatingState.Maintenance ? _maintenanceEnd : Time) + action.Duration;
        State = OperatingState.Maintenance;
        _repairAt = null;
        _jobActions.Add(action.Id);
        foreach (var process in renewed.Where(_renewing.Add))
        {
            _events.Add(new SimulationEvent(Time, LineId, MachineId, SimulationEventKind.MaintenanceStarted, process.Definition.Id, Action: action.Id));
        }

        return null;
    }

    private void WarmUp(DateTimeOffset start)
    {
        // Start with the temperatures of a machine that has been doing its job for a few hours.
        var t = start - TimeSpan.FromHours(3);
        Physics.Settle(_ambient.At(t));
        Time = t;
        State = _schedule.StateAt(t);
        while (Time < start)
        {
            var next = Time + TimeSpan.FromMinutes(5);
            Step(next > start ? start : next);
        }

        OperatingHours = 0;
    }

    private void Step(DateTimeOffset to)
    {
        var dt = (to - Time).TotalSeconds;
        if (State is OperatingState.Running or OperatingState.Idle or OperatingState.Stopped)
        {
            State = _schedule.StateAt(to);
        }

        foreach (var process in _processes)
        {
            _severity[(int)process.Kind] = 1 - process.Health(to);
        }

        Physics.Step(to.ToUnixTimeMilliseconds() / 1000.0, Math.Max(dt, 0), State, _ambient.At(to), _severity);
        if (State == OperatingState.Running)
        {
            OperatingHours += dt / 3600;
        }

        Time = to;
    }

    private DateTimeOffset? NextEventTime()
    {
        DateTimeOffset? next = null;
        foreach (var process in _processes)
        {
            if (process.Failed || _renewing.Contains(process))
            {
                continue;
            }

            if (!process.OnsetReported && process.Onset is { } onset)
            {
                next = Earliest(next, onset);
            }

            if (process.Failure is { } failure)
            {
                next = Earliest(next, failure);
            }
        }

        if (State == OperatingState.Maintenance)
        {
            next = Earliest(next, _maintenanceEnd);
        }

        if (State == OperatingState.Failed && _repairAt is { } repair)
        {
            next = Earliest(next, repair);
        }

        return next;

        static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;
    }

    private void ApplyEvents()
    {
        var now = Time;
        foreach (var process in _processes)
        {
            if (process.Failed || _renewing.Contains(process))
            {
                continue;
            }

            if (!process.OnsetReported && process.Onset <= now)
            {
                process.OnsetReported = true;
                _events.Add(new SimulationEvent(process.Onset!.Value, LineId, MachineId, SimulationEventKind.FaultOnset, process.Definition.Id, process.Cause, ScheduledFailure: process.Failure));
            }

            if (process.Failure <= now)
            {
                process.Failed = true;
                _events.Add(new SimulationEvent(process.Failure!.Value, LineId, MachineId, SimulationEventKind.Failure, process.Definition.Id, process.Cause));
                if (State != OperatingState.Maintenance)
                {
                    Fail(process);
                }
            }
        }

        if (State == OperatingState.Maintenance && _maintenanceEnd <= now)
        {
            CompleteMaintenance();
        }

        if (State == OperatingState.Failed && _repairAt <= now)
        {
            _repairAt = null;
            foreach (var action in _processes.Where(p => p.Failed).Select(p => p.Definition.RepairAction).Distinct().ToList())
            {
                BeginMaintenance(action);
            }
        }
    }

    private void Fail(DegradationProcess process)
    {
        if (State != OperatingState.Failed)
        {
            State = OperatingState.Failed;
            FailedBy = process.Definition.Id;
            _repairAt = Time + _options.RepairAfter;
        }
    }

    private void CompleteMaintenance()
    {
        var action = string.Join("+", _jobActions);
        foreach (var process in _processes.Where(_renewing.Contains))
        {
            process.BeginLife(Time, 0);
            _events.Add(new SimulationEvent(Time, LineId, MachineId, SimulationEventKind.MaintenanceCompleted, process.Definition.Id, Action: action));
        }

        _renewing.Clear();
        _jobActions.Clear();
        FailedBy = null;
        State = _schedule.StateAt(Time);

        // A part that broke and was not addressed by this job still stops the machine.
        if (_processes.FirstOrDefault(p => p.Failed) is { } stillBroken)
        {
            Fail(stillBroken);
        }
    }
}
