using System.Collections.Frozen;
using Factory.Plant.Model;

namespace Factory.Edge.Alarms;

/// <summary>
/// Every alarm of one line, defined from the plant configuration: for each machine one alarm per
/// configured limit of each sensor (HH, H, L, LL), one anomaly alarm and one stale-data alarm.
/// </summary>
public sealed class AlarmCatalog
{
    private readonly FrozenDictionary<string, AlarmDefinition> _byId;
    private readonly FrozenDictionary<string, AlarmDefinition[]> _byMachine;

    /// <param name="line">The line id.</param>
    /// <param name="definitions">The alarms, ids unique.</param>
    public AlarmCatalog(string line, IEnumerable<AlarmDefinition> definitions)
    {
        Line = line;
        var all = definitions.ToArray();
        var byId = new Dictionary<string, AlarmDefinition>(StringComparer.Ordinal);
        foreach (var definition in all)
        {
            if (definition.Line != line)
            {
                throw new ArgumentException($"Alarm {definition.Id} belongs to line '{definition.Line}', not to '{line}'.", nameof(definitions));
            }

            if (!byId.TryAdd(definition.Id, definition))
            {
                throw new ArgumentException($"Alarm {definition.Id} is defined twice on line '{line}'.", nameof(definitions));
            }
        }

        Definitions = all;
        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
        _byMachine = all.GroupBy(d => d.Machine, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public string Line { get; }

    /// <summary>In configuration order: machines, then for each its sensors' limits (HH, H, L, LL), anomaly, stale data.</summary>
    public IReadOnlyList<AlarmDefinition> Definitions { get; }

    /// <summary>The alarms of a line of the plant configuration, priorities from <see cref="AlarmPriorityPolicy"/>.</summary>
    public static AlarmCatalog For(Line line)
    {
        var definitions = new List<AlarmDefinition>();
        foreach (var machine in line.Machines)
        {
            foreach (var sensor in machine.Sensors)
            {
                if (sensor.Limits is not { } limits)
                {
                    continue;
                }

                foreach (var (kind, level) in Levels(limits))
                {
                    definitions.Add(new AlarmDefinition(
                        AlarmIds.Limit(line.Id, machine.Id, sensor.Id, kind), line.Id, machine.Id, machine.Name, sensor.Id, sensor.Name,
                        kind, AlarmPriorityPolicy.For(kind, machine.Criticality, level.Priority), level.Value, sensor.Unit));
                }
            }

            definitions.Add(new AlarmDefinition(
                AlarmIds.Anomaly(line.Id, machine.Id), line.Id, machine.Id, machine.Name, null, null,
                AlarmKind.Anomaly, AlarmPriorityPolicy.For(AlarmKind.Anomaly, machine.Criticality), null, null));
            definitions.Add(new AlarmDefinition(
                AlarmIds.StaleData(line.Id, machine.Id), line.Id, machine.Id, machine.Name, null, null,
                AlarmKind.StaleData, AlarmPriorityPolicy.For(AlarmKind.StaleData, machine.Criticality), null, null));
        }

        return new AlarmCatalog(line.Id, definitions);
    }

    public bool TryGet(string alarmId, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out AlarmDefinition definition) =>
        _byId.TryGetValue(alarmId, out definition);

    /// <summary>The alarms of one machine; empty for a machine the line does not have.</summary>
    public IReadOnlyList<AlarmDefinition> OfMachine(string machine) =>
        _byMachine.TryGetValue(machine, out var definitions) ? definitions : [];

    /// <summary>The configured levels of a sensor's limits, in the order HH, H, L, LL.</summary>
    internal static IEnumerable<(AlarmKind Kind, LimitLevel Level)> Levels(LimitAlarms limits)
    {
        if (limits.HighHigh is { } hh)
        {
            yield return (AlarmKind.HighHigh, hh);
        }

        if (limits.High is { } h)
        {
            yield return (AlarmKind.High, h);
        }

        if (limits.Low is { } l)
        {
            yield return (AlarmKind.Low, l);
        }

        if (limits.LowLow is { } ll)
        {
            yield return (AlarmKind.LowLow, ll);
        }
    }
}
