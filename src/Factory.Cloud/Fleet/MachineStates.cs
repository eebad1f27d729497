using Akka.Actor;
using Factory.Cloud.Storage;

namespace Factory.Cloud.Fleet;

/// <summary>
/// The cluster's machine entities as the rest of the node sees them: what the ingest stored goes
/// to each machine's entity, wherever it lives, and any node can ask one for its state.
/// </summary>
public sealed class MachineStates(IActorRef region, TimeSpan askTimeout)
{
    /// <summary>Tells each machine of the batch what was stored about it: its newest health and its alarm events.</summary>
    public void Observe(TelemetryBatch batch)
    {
        var health = batch.Health
            .GroupBy(h => (h.Line, h.Machine))
            .ToDictionary(g => g.Key, g => g.MaxBy(h => h.Start));
        var alarms = batch.Alarms
            .GroupBy(a => (a.Line, a.Machine))
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var key in health.Keys.Union(alarms.Keys))
        {
            region.Tell(new ObserveMachine(key.Line, key.Machine, health.GetValueOrDefault(key), alarms.TryGetValue(key, out var events) ? events : []));
        }
    }

    /// <summary>The state of a machine, from its entity.</summary>
    /// <exception cref="TimeoutException">No entity answered in time (the cluster is rebalancing or unreachable).</exception>
    public Task<MachineState> GetAsync(string line, string machine, CancellationToken cancellationToken) =>
        region.Ask<MachineState>(new GetMachineState(line, machine), askTimeout, cancellationToken);
}
