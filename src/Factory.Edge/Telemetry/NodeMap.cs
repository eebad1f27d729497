using Factory.OpcUa.Encoding;
using Factory.Plant.Model;

namespace Factory.Edge.Telemetry;

/// <summary>Where an OPC UA node's values go: a sensor of a machine, or a machine's status.</summary>
public readonly record struct NodeTarget(int MachineIndex, int SensorIndex)
{
    /// <summary>The sensor index of a status node.</summary>
    public const int Status = -1;

    public bool IsStatus => SensorIndex == Status;
}

/// <summary>
/// The nodes an edge node reads for its line, grouped by OPC UA endpoint: every sensor's node
/// and every machine's status node, each mapped to the machine and sensor it belongs to.
/// </summary>
public sealed class NodeMap
{
    private readonly Dictionary<NodeId, NodeTarget> _targets = [];

    public NodeMap(Line line)
    {
        Line = line;
        Machines = line.Machines;
        for (var m = 0; m < line.Machines.Count; m++)
        {
            var machine = line.Machines[m];
            Add(machine.StatusNodeId, new NodeTarget(m, NodeTarget.Status), $"the status node of {machine.Id}");
            for (var s = 0; s < machine.Sensors.Count; s++)
            {
                Add(machine.Sensors[s].NodeId, new NodeTarget(m, s), $"sensor {machine.Id}/{machine.Sensors[s].Id}");
            }
        }
    }

    public Line Line { get; }
    public IReadOnlyList<Machine> Machines { get; }

    /// <summary>Every node to monitor with the fastest sampling interval its sensor asks for.</summary>
    public IEnumerable<(NodeId Node, NodeTarget Target, int SamplingIntervalMs)> Nodes =>
        _targets.Select(pair => (pair.Key, pair.Value, pair.Value.IsStatus ? 0 : Machines[pair.Value.MachineIndex].Sensors[pair.Value.SensorIndex].SamplingIntervalMs));

    public bool TryGetTarget(NodeId node, out NodeTarget target) => _targets.TryGetValue(node, out target);

    private void Add(string text, NodeTarget target, string what)
    {
        if (!NodeId.TryParse(text, out var node, out var error))
        {
            throw new ArgumentException($"The node id '{text}' of {what} on line {Line.Id} is not valid: {error}.");
        }

        _targets[node] = target;
    }
}
