namespace Factory.Simulator.Faults;

/// <summary>
/// A scripted fault: on machine <paramref name="MachineId"/> of line <paramref name="LineId"/>,
/// process <paramref name="Process"/> begins <paramref name="StartAfter"/> after the simulation
/// starts and ends in failure <paramref name="FailAfter"/> after its onset (both simulated time).
/// It replaces the random life of that process until maintenance renews it.
/// </summary>
/// <param name="Source">Where it was written, for messages: "scenarios/x.yaml:4" or "--fault".</param>
public sealed record FaultInjection(string LineId, string MachineId, string Process, TimeSpan StartAfter, TimeSpan FailAfter, string Source)
{
    public override string ToString() =>
        $"{LineId}/{MachineId}:{Process}:start={SimulationDuration.Format(StartAfter)}:fail={SimulationDuration.Format(FailAfter)}";
}
