using Factory.Edge.Telemetry;

namespace Factory.Edge.Actors;

/// <summary>Values of one machine's sensors, in the order they were measured.</summary>
public sealed record MachineSamples(int MachineIndex, SensorSample[] Samples);

/// <summary>A machine's status node reported its operating state.</summary>
public sealed record MachineStatusReported(int MachineIndex, MachineOperatingState State, DateTimeOffset Time);

/// <summary>
/// Values of an endpoint between <paramref name="From"/> and <paramref name="To"/> may be
/// missing: the OPC UA session was lost and what the server queued could not be recovered.
/// </summary>
public sealed record TelemetryGap(string Endpoint, DateTimeOffset From, DateTimeOffset To, string Reason);

/// <summary>The OPC UA session to an endpoint connected, or lost its connection.</summary>
/// <param name="Unmonitored">Nodes the server refused to monitor, with the reason.</param>
public sealed record EndpointConnectionChanged(string Endpoint, bool Connected, string Reason, string[] Unmonitored);
