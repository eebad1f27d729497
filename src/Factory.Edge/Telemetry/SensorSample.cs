namespace Factory.Edge.Telemetry;

/// <summary>One value of one sensor of a machine, as read over OPC UA.</summary>
/// <param name="SensorIndex">The sensor's position in its machine's configuration.</param>
/// <param name="Value">The value in engineering units; NaN when the server sent no number.</param>
/// <param name="SourceTime">When the machine measured it (the OPC UA source timestamp).</param>
/// <param name="Good">Whether the server reported the value with Good quality.</param>
public readonly record struct SensorSample(int SensorIndex, double Value, DateTimeOffset SourceTime, bool Good);

/// <summary>What a machine reports it is doing, from its status node.</summary>
public enum MachineOperatingState
{
    Unknown,
    Running,
    Idle,
    Stopped,
    Failed,
    Maintenance,
}
