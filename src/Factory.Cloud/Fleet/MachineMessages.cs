using Akka.Cluster.Sharding;
using Factory.Cloud.Forecasts;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;

namespace Factory.Cloud.Fleet;

/// <summary>What a node's ingest stored about one machine: its newest health and its alarm events.</summary>
public sealed record ObserveMachine(string Line, string Machine, MachineHealth? Health, IReadOnlyList<AlarmEvent> Alarms) : IFleetMessage;

/// <summary>Asks a machine's entity for its state.</summary>
public sealed record GetMachineState(string Line, string Machine) : IFleetMessage;

/// <summary>
/// What the cloud knows of one machine now, as the entity that holds it says: the newest health
/// (anomaly score, operating state), the model in service, the active alarms and the RUL outlook.
/// </summary>
/// <param name="Node">The cluster node whose entity answered (its Akka address).</param>
/// <param name="RebuiltFromStore">When the entity started and read the stores (after a move, a restart or the first question).</param>
/// <param name="Observations">How many ingest observations the entity applied since it started.</param>
/// <param name="Problem">Why part of the state may be missing (the store could not be read), or null.</param>
public sealed record MachineState(
    string Line,
    string Machine,
    MachineHealth? Health,
    string? ModelInService,
    IReadOnlyList<AlarmEvent> ActiveAlarms,
    RulOutlook? Rul,
    string Node,
    DateTimeOffset RebuiltFromStore,
    long Observations,
    string? Problem) : IFleetMessage;

/// <summary>
/// Routes machine messages to their entity: entity id <c>line/machine</c>, spread over a fixed
/// number of shards by a hash that is the same in every process.
/// </summary>
public sealed class MachineMessageExtractor() : HashCodeMessageExtractor(MaxShards)
{
    /// <summary>Ten shards per node of a large cluster; a shard is the unit that moves when a node leaves.</summary>
    public const int MaxShards = 100;

    public static string EntityIdOf(string line, string machine) => $"{line}/{machine}";

    public override string? EntityId(object message) => message switch
    {
        ObserveMachine observe => EntityIdOf(observe.Line, observe.Machine),
        GetMachineState get => EntityIdOf(get.Line, get.Machine),
        _ => null,
    };
}
