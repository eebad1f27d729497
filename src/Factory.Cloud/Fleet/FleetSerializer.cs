using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Factory.Cloud.Fleet;

/// <summary>The messages of the machines' entities that cross from node to node.</summary>
public interface IFleetMessage;

/// <summary>
/// Serializes the fleet's messages between cluster nodes as JSON (System.Text.Json), named by a
/// short manifest, so that what travels is the contract's records and nothing of .NET's types
/// (Akka's default serializer writes .NET type names, and cannot read back every collection).
/// </summary>
public sealed class FleetSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 1701;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["observe"] = typeof(ObserveMachine),
        ["get"] = typeof(GetMachineState),
        ["state"] = typeof(MachineState),
    };

    private static readonly Dictionary<Type, string> Manifests = Types.ToDictionary(t => t.Value, t => t.Key);

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest) ? manifest : throw new ArgumentException($"{o.GetType()} is not a fleet message", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new System.Runtime.Serialization.SerializationException($"a fleet message '{manifest}' is empty")
            : throw new System.Runtime.Serialization.SerializationException($"'{manifest}' is not a fleet message this node knows; is another version of factory in the cluster?");
}
