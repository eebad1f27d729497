using System.Globalization;
using System.Text.Json;
using Factory.Ml.Features;

namespace Factory.Ml.Packages;

/// <summary>
/// <c>manifest.json</c> written and read by hand, field by field, so that the bytes are the same
/// on every write and every refusal names the field that is wrong.
/// </summary>
internal static class ManifestJson
{
    public static byte[] Write(ModelManifest manifest)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("formatVersion", manifest.FormatVersion);
            json.WriteString("id", manifest.Id);
            json.WriteNumber("version", manifest.Version);
            json.WriteString("machineType", manifest.MachineType);
            json.WriteString("detectorKind", manifest.DetectorKind);
            json.WriteStartArray("features");
            foreach (var feature in manifest.Features)
            {
                json.WriteStartObject();
                json.WriteString("name", feature.Name);
                json.WriteNumber("windowSeconds", feature.WindowSeconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("featureHash", manifest.FeatureHash);
            json.WriteNumber("threshold", manifest.Threshold);
            json.WriteNumber("targetFalseAlarmRate", manifest.TargetFalseAlarmRate);
            json.WriteStartObject("training");
            json.WriteString("from", Time(manifest.TrainingFrom));
            json.WriteString("to", Time(manifest.TrainingTo));
            json.WriteString("dataHash", manifest.TrainingDataHash);
            json.WriteEndObject();
            json.WriteStartObject("metrics");
            foreach (var (name, value) in manifest.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
            json.WriteString("creator", manifest.Creator);
            json.WriteString("created", Time(manifest.Created));
            if (manifest.ParentVersion is { } parent)
            {
                json.WriteNumber("parentVersion", parent);
            }
            else
            {
                json.WriteNull("parentVersion");
            }

            json.WriteStartArray("entries");
            foreach (var entry in manifest.Entries)
            {
                json.WriteStartObject();
                json.WriteString("name", entry.Name);
                json.WriteNumber("length", entry.Length);
                json.WriteString("sha256", entry.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("contentHash", manifest.ContentHash);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="InvalidDataException">Not JSON, an unsupported format version, or a field missing or wrong (named).</exception>
    public static ModelManifest Read(byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"manifest.json is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("manifest.json is not a JSON object.");
            }

            // The format version first: a newer format may have other fields.
            var formatVersion = Integer(root, "formatVersion");
            if (formatVersion != ModelManifest.CurrentFormatVersion)
            {
                throw new InvalidDataException(
                    $"manifest.json has format version {formatVersion}; this build reads format version {ModelManifest.CurrentFormatVersion} only.");
            }

            var training = Object(root, "training");
            var features = Array(root, "features").EnumerateArray().Select((f, i) => Feature(f, i)).ToArray();
            if (features.Length == 0)
            {
                throw new InvalidDataException("manifest.json: field 'features' is empty.");
            }

            var manifest = new ModelManifest
            {
                FormatVersion = formatVersion,
                Id = Text(root, "id"),
                Version = Integer(root, "version"),
                MachineType = Text(root, "machineType"),
                DetectorKind = Text(root, "detectorKind"),
                Features = features,
                FeatureHash = Hash(root, "featureHash"),
                Threshold = Single(root, "threshold"),
                TargetFalseAlarmRate = Double(root, "targetFalseAlarmRate"),
                TrainingFrom = Timestamp(training, "training.from", "from"),
                TrainingTo = Timestamp(training, "training.to", "to"),
                TrainingDataHash = Text(training, "dataHash", "training.dataHash"),
                Metrics = Metrics(Object(root, "metrics")),
                Creator = Text(root, "creator"),
                Created = Timestamp(root, "created", "created"),
                ParentVersion = Required(root, "parentVersion").ValueKind == JsonValueKind.Null ? null : Integer(root, "parentVersion"),
                Entries = Array(root, "entries").EnumerateArray().Select((e, i) => Entry(e, i)).ToArray(),
                ContentHash = Hash(root, "contentHash"),
            };

            if (manifest.Version < 1)
            {
                throw new InvalidDataException($"manifest.json: field 'version' must be 1 or more, is {manifest.Version}.");
            }

            if (!manifest.IsRul && !(manifest.TargetFalseAlarmRate is > 0 and < 1))
            {
                throw new InvalidDataException($"manifest.json: field 'targetFalseAlarmRate' must be between 0 and 1, is {manifest.TargetFalseAlarmRate}.");
            }

            var featureHash = FeatureSchema.HashOf(manifest.Features);
            if (featureHash != manifest.FeatureHash)
            {
                throw new InvalidDataException($"manifest.json: field 'featureHash' ({manifest.FeatureHash}) is not the hash of the features it lists ({featureHash}).");
            }

            return manifest;
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonElement Required(JsonElement element, string name, string? path = null) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"manifest.json: missing field '{path ?? name}'.");

    private static InvalidDataException Wrong(string path, string what) => new($"manifest.json: field '{path}' must be {what}.");

    private static string Text(JsonElement element, string name, string? path = null)
    {
        var value = Required(element, name, path);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : throw Wrong(path ?? name, "a non-empty string");
    }

    private static string Hash(JsonElement element, string name)
    {
        var text = Text(element, name);
        return text.Length == 64 && text.All(char.IsAsciiHexDigitLower) ? text : throw Wrong(name, "64 lower-case hex digits (SHA-256)");
    }

    private static int Integer(JsonElement element, string name, string? path = null)
    {
        var value = Required(element, name, path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Wrong(path ?? name, "a whole number");
    }

    private static double Double(JsonElement element, string name)
    {
        var value = Required(element, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : throw Wrong(name, "a finite number");
    }

    private static float Single(JsonElement element, string name)
    {
        var value = Required(element, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out var number) && float.IsFinite(number) ? number : throw Wrong(name, "a finite number");
    }

    private static DateTimeOffset Timestamp(JsonElement element, string path, string name)
    {
        var value = Required(element, name, path);
        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : throw Wrong(path, "a time in ISO 8601 form");
    }

    private static JsonElement Object(JsonElement element, string name)
    {
        var value = Required(element, name);
        return value.ValueKind == JsonValueKind.Object ? value : throw Wrong(name, "an object");
    }

    private static JsonElement Array(JsonElement element, string name)
    {
        var value = Required(element, name);
        return value.ValueKind == JsonValueKind.Array ? value : throw Wrong(name, "an array");
    }

    private static FeatureDefinition Feature(JsonElement element, int index)
    {
        var path = $"features[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Wrong(path, "an object with 'name' and 'windowSeconds'");
        }

        var name = Text(element, "name", $"{path}.name");
        var window = Integer(element, "windowSeconds", $"{path}.windowSeconds");
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || !FeatureSchema.TryParseStatistic(name[(dot + 1)..], out var statistic))
        {
            throw Wrong($"{path}.name", $"'<sensor-id>.<statistic>' with a known statistic, is '{name}'");
        }

        if (window is < 1 or > FeatureSchema.MaximumWindowSeconds)
        {
            throw Wrong($"{path}.windowSeconds", $"between 1 and {FeatureSchema.MaximumWindowSeconds}, is {window}");
        }

        return new FeatureDefinition(name[..dot], statistic, window);
    }

    private static PackageEntry Entry(JsonElement element, int index)
    {
        var path = $"entries[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Wrong(path, "an object with 'name', 'length' and 'sha256'");
        }

        var name = Text(element, "name", $"{path}.name");
        var length = Required(element, "length", $"{path}.length");
        if (length.ValueKind != JsonValueKind.Number || !length.TryGetInt64(out var bytes) || bytes < 0)
        {
            throw Wrong($"{path}.length", "a whole number of bytes");
        }

        var sha = Text(element, "sha256", $"{path}.sha256");
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
        {
            throw Wrong($"{path}.sha256", "64 lower-case hex digits (SHA-256)");
        }

        return new PackageEntry(name, bytes, sha);
    }

    private static SortedDictionary<string, double> Metrics(JsonElement element)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value))
            {
                throw Wrong($"metrics.{property.Name}", "a number");
            }

            metrics[property.Name] = value;
        }

        return metrics;
    }
}
