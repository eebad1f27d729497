using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Physics;
using Factory.Simulator.Randomness;

namespace Factory.Simulator;

/// <summary>
/// The physics of a whole plant, without any serving: every line's machines, advanced in
/// simulated time. <see cref="Serving.SimulatedPlant"/> serves it over OPC UA in (accelerated) real time;
/// <see cref="History.HistoryExport"/> runs it as fast as it can to write run-to-failure histories.
/// </summary>
public sealed class PlantSimulation
{
    /// <exception cref="SimulatorConfigurationException">Something in the plant cannot be simulated (every problem is listed).</exception>
    public PlantSimulation(PlantConfig plant, SimulationOptions options)
    {
        Plant = plant;
        Options = options with { Start = options.Start.ToUniversalTime() };
        var zone = LineSchedule.ZoneOf(plant.Site);
        var ambient = new Ambient(StableHash.Derive(options.Seed, "site", plant.Site.Id), zone);
        var errors = new List<string>();
        CheckFaults(plant, options, errors);

        var lines = new List<LineSimulation>();
        foreach (var line in plant.Lines)
        {
            var schedule = new LineSchedule(line.Shifts, zone);
            var machines = new List<MachineSimulation>();
            foreach (var machine in line.Machines)
            {
                var type = plant.MachineTypes.FirstOrDefault(t => t.Id == machine.Type);
                if (type is null)
                {
                    errors.Add($"{line.Id}/{machine.Id}: its type '{machine.Type}' is not among the machine types");
                    continue;
                }

                try
                {
                    machines.Add(new MachineSimulation(line, machine, type.Kind, schedule, ambient, Options));
                }
                catch (SimulatorConfigurationException e)
                {
                    errors.AddRange(e.Errors);
                }
            }

            lines.Add(new LineSimulation(line, machines));
        }

        if (errors.Count > 0)
        {
            throw new SimulatorConfigurationException(errors);
        }

        Lines = lines;
    }

    public PlantConfig Plant { get; }

    public SimulationOptions Options { get; }

    public DateTimeOffset Start => Options.Start;

    public IReadOnlyList<LineSimulation> Lines { get; }

    public IEnumerable<MachineSimulation> Machines => Lines.SelectMany(l => l.Machines);

    /// <summary>The machine <paramref name="lineId"/>/<paramref name="machineId"/>.</summary>
    public MachineSimulation Machine(string lineId, string machineId) =>
        Machines.FirstOrDefault(m => m.LineId == lineId && m.MachineId == machineId)
        ?? throw new KeyNotFoundException($"The plant has no machine {lineId}/{machineId}.");

    /// <summary>
    /// The first quarter hour at or after <paramref name="from"/> when every line is in a shift
    /// (within two weeks), or <paramref name="from"/> when there is none: where a demonstration
    /// starts, so that the plant is producing when someone first looks at it.
    /// </summary>
    public static DateTimeOffset NextProductionTime(PlantConfig plant, DateTimeOffset from)
    {
        var zone = LineSchedule.ZoneOf(plant.Site);
        var schedules = plant.Lines.Select(l => new LineSchedule(l.Shifts, zone)).ToList();
        var start = from.ToUniversalTime();
        var quarter = TimeSpan.FromMinutes(15);
        var t = new DateTimeOffset(start.Ticks - (start.Ticks % quarter.Ticks), TimeSpan.Zero);
        for (; t < start + TimeSpan.FromDays(14); t += quarter)
        {
            if (t >= start && schedules.All(s => s.StateAt(t) == OperatingState.Running))
            {
                return t;
            }
        }

        return start;
    }

    /// <summary>Advances every line to <paramref name="time"/>.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        foreach (var line in Lines)
        {
            line.AdvanceTo(time);
        }
    }

    private static void CheckFaults(PlantConfig plant, SimulationOptions options, List<string> errors)
    {
        foreach (var fault in options.Faults)
        {
            var machine = plant.Lines.FirstOrDefault(l => l.Id == fault.LineId)?.Machines.FirstOrDefault(m => m.Id == fault.MachineId);
            if (machine is null)
            {
                errors.Add($"{fault.Source}: the plant has no machine {fault.LineId}/{fault.MachineId}");
                continue;
            }

            var kind = plant.MachineTypes.FirstOrDefault(t => t.Id == machine.Type)?.Kind;
            if (kind is { } k && !DegradationCatalog.For(k).Any(p => p.Id == fault.Process))
            {
                errors.Add($"{fault.Source}: a {k} has no process '{fault.Process}' (it has {string.Join(", ", DegradationCatalog.For(k).Select(p => p.Id))})");
            }

            if (fault.StartAfter < TimeSpan.Zero || fault.FailAfter <= TimeSpan.Zero)
            {
                errors.Add($"{fault.Source}: start must not be negative and fail must be more than zero");
            }
        }
    }
}

/// <summary>The simulated machines of one production line.</summary>
public sealed class LineSimulation
{
    private readonly List<SimulationEvent> _events = [];

    internal LineSimulation(Line line, IReadOnlyList<MachineSimulation> machines)
    {
        Line = line;
        Machines = machines;
    }

    public Line Line { get; }

    public IReadOnlyList<MachineSimulation> Machines { get; }

    /// <summary>Advances the line's machines to <paramref name="time"/> and collects their events.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        foreach (var machine in Machines)
        {
            machine.AdvanceTo(time);
            machine.DrainEvents(_events);
        }
    }

    /// <summary>The events since the last call, in time order.</summary>
    public IReadOnlyList<SimulationEvent> TakeEvents()
    {
        foreach (var machine in Machines)
        {
            machine.DrainEvents(_events);
        }

        var events = _events.OrderBy(e => e.Time).ToList();
        _events.Clear();
        return events;
    }
}
