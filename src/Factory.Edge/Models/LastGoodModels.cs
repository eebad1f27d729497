using System.Text.Json;
using Factory.Contracts.Models;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Models;

/// <summary>
/// The deployed versions a line last ran, per model id, kept in <c>deployed/last-good.json</c>
/// (the shape of a <see cref="ModelDeployment"/>). A version is recorded once a machine is scored
/// with it as the cloud's assignment (its hash matched the announcement and it fitted). After a
/// restart whose assigned version cannot be used, machines run the last good version rather than
/// whatever is newest in the directory. Written atomically by the model store only.
/// </summary>
public static class LastGoodModels
{
    /// <summary>The file in <see cref="DeploymentReceiver.FolderName"/>.</summary>
    public const string FileName = "last-good.json";

    /// <summary>The record of a models directory: model id to version; empty without one. An unreadable file is logged and treated as empty.</summary>
    public static IReadOnlyDictionary<string, DeployedModel> Read(string modelsDirectory, ILogger logger)
    {
        var path = PathIn(modelsDirectory);
        try
        {
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(path), ModelDeploymentJsonContext.Default.ModelDeployment);
            return record?.Models?.Where(m => m is not null).ToDictionary(m => m.ModelId, StringComparer.Ordinal) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, DeployedModel>();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("Last good models {Path} cannot be read, a restart falls back to the newest fitting package: {Reason}", path, e.Message);
            return new Dictionary<string, DeployedModel>();
        }
    }

    /// <summary>Records <paramref name="model"/> as its id's last good version, unless it already is; returns the record as now stored.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static IReadOnlyDictionary<string, DeployedModel> Record(string modelsDirectory, IReadOnlyDictionary<string, DeployedModel> known, DeployedModel model, DateTimeOffset now)
    {
        if (known.TryGetValue(model.ModelId, out var current) && current == model)
        {
            return known;
        }

        var updated = new Dictionary<string, DeployedModel>(known, StringComparer.Ordinal) { [model.ModelId] = model };
        var record = new ModelDeployment(ModelDeployment.CurrentSchemaVersion, [.. updated.Values.OrderBy(m => m.ModelId, StringComparer.Ordinal)], now);
        var path = PathIn(modelsDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(record, ModelDeploymentJsonContext.Default.ModelDeployment));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return updated;
    }

    private static string PathIn(string modelsDirectory) => Path.Combine(modelsDirectory, DeploymentReceiver.FolderName, FileName);
}
