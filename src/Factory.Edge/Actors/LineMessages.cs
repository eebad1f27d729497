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

/// <summary>
/// Perform maintenance on a machine: the line writes <paramref name="Action"/> to the machine's
/// maintenance node over OPC UA. Answered with <see cref="MaintenanceResult"/>.
/// </summary>
public sealed record PerformMaintenance(string Machine, string Action);

/// <summary>The answer to <see cref="PerformMaintenance"/>: the server took the write, or why not.</summary>
public sealed record MaintenanceResult(bool Accepted, string? Refusal);
