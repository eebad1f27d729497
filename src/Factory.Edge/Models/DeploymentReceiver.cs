using System.Globalization;
using System.Text.Json;
using Factory.Contracts.Models;
using Factory.Ml.Packages;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Models;

/// <summary>
/// The deployment the cloud's registry announced for this line, kept in the models directory's
/// <c>deployed/</c> folder: the package files (<c>deployed/&lt;id&gt;/&lt;version&gt;.fmpkg</c>) and the
/// effective assignment (<c>deployed/deployment.json</c>: the fleet's versions, the line's canary
/// overriding them per model id). Written atomically, so a restart while the cloud is away uses
/// what was last received. The files are written as received: the model store checks each
/// (content hash against the announcement, package integrity, feature schema) before using it.
/// </summary>
public sealed class DeploymentReceiver
{
    /// <summary>The folder below the models directory.</summary>
    public const string FolderName = "deployed";

    /// <summary>The effective assignment's file in <see cref="FolderName"/>.</summary>
    public const string FileName = "deployment.json";

    private readonly string _line;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Id, int Version), byte[]> _packages = [];
    private readonly object _lock = new();
    private ModelDeployment? _fleet;
    private ModelDeployment? _canary;

    /// <summary>Creates the receiver of a line writing below <paramref name="modelsDirectory"/>.</summary>
    public DeploymentReceiver(string line, string modelsDirectory, ILogger logger)
    {
        _line = line;
        _logger = logger;
        Directory = Path.Combine(Path.GetFullPath(modelsDirectory), FolderName);
    }

    /// <summary>The <c>deployed/</c> folder.</summary>
    public string Directory { get; }

    /// <summary>The topics to subscribe to.</summary>
    public IReadOnlyList<string> Topics => [ModelTopics.Fleet, ModelTopics.Canary(_line), ModelTopics.AllPackages];

    /// <summary>Reads the effective assignment of a models directory: model id to version; empty without one. An unreadable file is logged and ignored.</summary>
    public static IReadOnlyDictionary<string, DeployedModel> ReadAssignment(string modelsDirectory, ILogger logger)
    {
        var path = Path.Combine(modelsDirectory, FolderName, FileName);
        try
        {
            var deployment = JsonSerializer.Deserialize(File.ReadAllBytes(path), ModelDeploymentJsonContext.Default.ModelDeployment);
            return deployment?.Models?.Where(m => m is not null).ToDictionary(m => m.ModelId, StringComparer.Ordinal) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, DeployedModel>();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("Deployment {Path} cannot be read, models are chosen as without one: {Reason}", path, e.Message);
            return new Dictionary<string, DeployedModel>();
        }
    }

    /// <summary>
    /// Takes one message of a subscribed topic. A message that cannot be read is logged with its
    /// topic and the reason, and changes nothing.
    /// </summary>
    /// <returns>Whether the topic was one of the deployment's.</returns>
    public bool Receive(string topic, byte[] payload)
    {
        lock (_lock)
        {
            try
            {
                if (topic == ModelTopics.Fleet)
                {
                    _fleet = Parse(topic, payload);
                }
                else if (topic == ModelTopics.Canary(_line))
                {
                    _canary = payload.Length == 0 ? null : Parse(topic, payload);
                }
                else if (TryParsePackageTopic(topic, out var id, out var version))
                {
                    _packages[(id, version)] = payload;
                }
                else
                {
                    return false;
                }

                Apply();
            }
            catch (InvalidDataException e)
            {
                _logger.LogWarning("Line {Line}: ignored the message on {Topic}: {Reason}; the models in use stay", _line, topic, e.Message);
            }
            catch (IOException e)
            {
                _logger.LogError("Line {Line}: cannot write the deployment of {Topic} to {Directory}: {Reason}; the models in use stay", _line, topic, Directory, e.Message);
            }

            return true;
        }
    }

    private static ModelDeployment Parse(string topic, byte[] payload)
    {
        ModelDeployment? deployment;
        try
        {
            deployment = JsonSerializer.Deserialize(payload, ModelDeploymentJsonContext.Default.ModelDeployment);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a model deployment: {e.Message}", e);
        }

        if (deployment is null || deployment.Models is null)
        {
            throw new InvalidDataException("not a model deployment: no models");
        }

        if (deployment.SchemaVersion != ModelDeployment.CurrentSchemaVersion)
        {
            throw new InvalidDataException($"schema version {deployment.SchemaVersion} is not the {ModelDeployment.CurrentSchemaVersion} this edge reads");
        }

        foreach (var m in deployment.Models)
        {
            if (m is null || string.IsNullOrEmpty(m.ModelId) || m.ModelId.Contains('/') || m.ModelId.Contains("..", StringComparison.Ordinal) || m.Version < 1 || string.IsNullOrEmpty(m.ContentHash))
            {
                throw new InvalidDataException($"model entry {JsonSerializer.Serialize(m, ModelDeploymentJsonContext.Default.DeployedModel)} lacks a model id, version or content hash");
            }
        }

        return deployment;
    }

    private static bool TryParsePackageTopic(string topic, out string id, out int version)
    {
        id = "";
        version = 0;
        var parts = topic.Split('/');
        if (parts.Length != 5 || parts[0] != Contracts.Link.LinkTopics.Root || parts[2] != "models" || parts[3] is "" or "." or ".."
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        id = parts[3];
        return $"{parts[0]}/{parts[1]}" == $"{Contracts.Link.LinkTopics.Root}/v{Contracts.Link.LinkTopics.Version}";
    }

    private void Apply()
    {
        if (_fleet is null)
        {
            return;
        }

        var effective = _fleet.Models.ToDictionary(m => m.ModelId, StringComparer.Ordinal);
        foreach (var m in _canary?.Models ?? [])
        {
            effective[m.ModelId] = m;
        }

        System.IO.Directory.CreateDirectory(Directory);
        foreach (var m in effective.Values)
        {
            var path = Path.Combine(Directory, m.ModelId, m.Version.ToString(CultureInfo.InvariantCulture) + ModelPackage.FileExtension);
            if (File.Exists(path) && new FileInfo(path).Length == m.Length)
            {
                _packages.Remove((m.ModelId, m.Version));
                continue;
            }

            if (_packages.Remove((m.ModelId, m.Version), out var bytes))
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                WriteAtomically(path, bytes);
                _logger.LogInformation("Line {Line}: received {Model} version {Version} ({Length} bytes) into {Path}", _line, m.ModelId, m.Version, bytes.Length, path);
            }
        }

        var deployment = new ModelDeployment(ModelDeployment.CurrentSchemaVersion, [.. effective.Values.OrderBy(m => m.ModelId, StringComparer.Ordinal)], _canary is { } c && c.Published > _fleet.Published ? c.Published : _fleet.Published);
        var file = Path.Combine(Directory, FileName);
        var json = JsonSerializer.SerializeToUtf8Bytes(deployment, ModelDeploymentJsonContext.Default.ModelDeployment);
        var known = ReadAssignment(Path.GetDirectoryName(Directory)!, _logger);
        if (!known.Values.OrderBy(m => m.ModelId, StringComparer.Ordinal).SequenceEqual(deployment.Models))
        {
            WriteAtomically(file, json);
            _logger.LogInformation("Line {Line}: deployment is now {Models}", _line, string.Join(", ", deployment.Models.Select(m => $"{m.ModelId} v{m.Version}")));
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
