using System.Text.Json.Nodes;
using Factory.Plant.Model;

namespace Factory.Plant.Config;

/// <summary>
/// Reads a plant configuration file (YAML, plant-config/plant.schema.json) into the model,
/// validating it on the way: YAML syntax, then the schema (fields, types, enums, ranges), then the
/// rules that need the whole document (unique ids and node ids, known machine types, limit order).
/// Every error is collected before anything is thrown, so one run names them all.
/// </summary>
public static class PlantConfigLoader
{
    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="PlantConfigException">The file is missing, unreadable or not valid; <see cref="PlantConfigException.Errors"/> has every error.</exception>
    public static PlantConfig Load(string path)
    {
        string text;
        try
        {
            text = Directory.Exists(path)
                ? throw new PlantConfigException([new ConfigError(path, 0, 0, "/", "is a folder, not a plant configuration file")])
                : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var message = e is FileNotFoundException or DirectoryNotFoundException
                ? $"file not found (looked for {Path.GetFullPath(path)})"
                : $"cannot be read: {e.Message}";
            throw new PlantConfigException([new ConfigError(path, 0, 0, "/", message)]);
        }

        return Parse(text, path);
    }

    /// <summary>Validates YAML text; <paramref name="sourceName"/> names it in errors (usually the file path).</summary>
    /// <exception cref="PlantConfigException">The text is not a valid plant configuration; <see cref="PlantConfigException.Errors"/> has every error.</exception>
    public static PlantConfig Parse(string yaml, string sourceName)
    {
        var errors = new ConfigErrorList(sourceName);
        var tree = YamlTreeReader.Read(yaml, errors);
        if (tree.IsEmpty && !tree.HasSyntaxError)
        {
            errors.Add(Position.Start, "", "the file is empty: a plant configuration needs schemaVersion, machineTypes and site (see plant-config/sample-plant.yaml)");
        }
        else if (!tree.HasSyntaxError)
        {
            PlantSchema.Validate(tree.Root, tree.Map, errors);
            PlantRules.Check(tree.Root, tree.Map, errors);
        }

        if (errors.Count > 0)
        {
            throw new PlantConfigException(errors.InDocumentOrder());
        }

        return PlantModelReader.Read((JsonObject)tree.Root!, sourceName);
    }

    /// <summary>The published JSON Schema of the format, as embedded in this assembly.</summary>
    public static string SchemaText => PlantSchema.Text;
}
