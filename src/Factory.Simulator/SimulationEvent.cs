using Factory.Simulator.Degradation;

namespace Factory.Simulator;

/// <summary>What happened to a machine, for labels, logs and the live status.</summary>
public enum SimulationEventKind
{
    /// <summary>A degradation process started to show (health begins to fall below 1).</summary>
    FaultOnset,

    /// <summary>A process reached health 0 and the machine broke down.</summary>
    Failure,

    /// <summary>A maintenance job began on the machine; one event per process it renews.</summary>
    MaintenanceStarted,

    /// <summary>The job ended and the process was renewed; one event per process.</summary>
    MaintenanceCompleted,
}

/// <summary>An event of the simulated plant, at its simulated time.</summary>
/// <param name="Process">The degradation process concerned, e.g. <c>bearing-wear</c>.</param>
/// <param name="Cause">For onsets and failures: random lifetime or injected fault.</param>
/// <param name="Action">For maintenance: the action, e.g. <c>replace-bearing</c>.</param>
/// <param name="ScheduledFailure">For onsets: when the fault will end in failure if nothing is done (ground truth).</param>
public sealed record SimulationEvent(
    DateTimeOffset Time,
    string LineId,
    string MachineId,
    SimulationEventKind Kind,
    string Process,
    FaultCause? Cause = null,
    string? Action = null,
    DateTimeOffset? ScheduledFailure = null)
{
    public string EventName => Kind switch
    {
        SimulationEventKind.FaultOnset => "onset",
        SimulationEventKind.Failure => "failure",
        SimulationEventKind.MaintenanceStarted => "maintenance-start",
        SimulationEventKind.MaintenanceCompleted => "maintenance-end",
        _ => Kind.ToString(),
    };

    public override string ToString() => Kind switch
    {
        SimulationEventKind.FaultOnset => $"{Time:u} {LineId}/{MachineId}: {Process} begins ({Cause?.ToString().ToLowerInvariant()}), fails at {ScheduledFailure:u}",
        SimulationEventKind.Failure => $"{Time:u} {LineId}/{MachineId}: failed ({Process})",
        SimulationEventKind.MaintenanceStarted => $"{Time:u} {LineId}/{MachineId}: maintenance {Action} begins ({Process})",
        _ => $"{Time:u} {LineId}/{MachineId}: maintenance {Action} done, {Process} renewed",
    };
}
