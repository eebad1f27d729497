using System.Text.Json;
using System.Text.Json.Serialization;
using Factory.Contracts.Link;

namespace Factory.Contracts.Models;

/// <summary>
/// What the cloud's registry tells edges to run: retained on <see cref="ModelTopics.Fleet"/> for
/// every line, and on <see cref="ModelTopics.Canary"/> for the one line that runs a canary version
/// (which overrides the fleet's for that model). An empty list clears a line's canary.
/// </summary>
/// <param name="SchemaVersion">The version of this shape: <see cref="CurrentSchemaVersion"/>.</param>
/// <param name="Models">One entry per model id.</param>
/// <param name="Published">When the cloud published it (UTC).</param>
public sealed record ModelDeployment(int SchemaVersion, IReadOnlyList<DeployedModel> Models, DateTimeOffset Published)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;
}

/// <summary>One model version to run, and what its package must be: fetched from <see cref="ModelTopics.Package"/>.</summary>
/// <param name="ModelId">The model id of the package manifest.</param>
/// <param name="Version">The version.</param>
/// <param name="ContentHash">The manifest's content hash: the edge refuses a package whose hash differs.</param>
/// <param name="Length">The package file's length in bytes.</param>
public sealed record DeployedModel(string ModelId, int Version, string ContentHash, long Length);

/// <summary>The MQTT topics of model deployment, beside <see cref="LinkTopics"/>; all retained, QoS 1.</summary>
public static class ModelTopics
{
    /// <summary>Cloud to every edge: the fleet's <see cref="ModelDeployment"/>.</summary>
    public static string Fleet => $"{LinkTopics.Root}/v{LinkTopics.Version}/models/fleet";

    /// <summary>Cloud to one edge: the line's canary <see cref="ModelDeployment"/>.</summary>
    public static string Canary(string line) => $"{LinkTopics.Root}/v{LinkTopics.Version}/lines/{line}/models/canary";

    /// <summary>The package file's bytes of a version (a .fmpkg zip).</summary>
    public static string Package(string modelId, int version) => $"{LinkTopics.Root}/v{LinkTopics.Version}/models/{modelId}/{version}";

    /// <summary>What an edge subscribes to for packages: every version of every model.</summary>
    public static string AllPackages => $"{LinkTopics.Root}/v{LinkTopics.Version}/models/+/+";
}

/// <summary>Source-generated JSON of <see cref="ModelDeployment"/> (web defaults: camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ModelDeployment))]
[JsonSerializable(typeof(DeployedModel))]
public sealed partial class ModelDeploymentJsonContext : JsonSerializerContext;
