using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Rul;

namespace Factory.Ml.Packages;

/// <summary>
/// A model package read from its file and checked: a zip (<see cref="FileExtension"/>) holding
/// <c>manifest.json</c> and the payload entries, intact by its content hash. The payload is an
/// anomaly detector (<see cref="Detector"/>), scored at the edge, or a remaining-useful-life model
/// (<see cref="Rul"/>, <see cref="ModelManifest.IsRul"/>), scored in the cloud.
/// </summary>
public sealed class ModelPackage
{
    /// <summary>The extension of package files.</summary>
    public const string FileExtension = ".fmpkg";

    /// <summary>The manifest's entry name.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>No entry of a package may be larger: packages hold models of kilobytes to a few megabytes.</summary>
    internal const long MaximumEntryLength = 256L * 1024 * 1024;

    /// <summary>The payload entry of a RUL package: the model as <see cref="RulModel.Save"/> writes it.</summary>
    public const string RulEntry = "rul-model.zip";

    private readonly DetectorModel? _detector;
    private readonly RulModel? _rul;

    private ModelPackage(string path, ModelManifest manifest, DetectorModel? detector, RulModel? rul)
    {
        Path = path;
        Manifest = manifest;
        _detector = detector;
        _rul = rul;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The checked manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The trained detector the payload holds.</summary>
    /// <exception cref="InvalidOperationException">It is a RUL package.</exception>
    public DetectorModel Detector => _detector ?? throw new InvalidOperationException($"Model package {Path} ({Manifest}) is a remaining-useful-life model, not an anomaly detector.");

    /// <summary>The remaining-useful-life model the payload holds.</summary>
    /// <exception cref="InvalidOperationException">It is an anomaly package.</exception>
    public RulModel Rul => _rul ?? throw new InvalidOperationException($"Model package {Path} ({Manifest}) is an anomaly detector ({Manifest.DetectorKind}), not a remaining-useful-life model.");

    /// <summary>Reads and checks a package file.</summary>
    /// <exception cref="ModelPackageException">
    /// The file is missing or unreadable, not a zip, has no manifest, a manifest that is not
    /// valid JSON or lacks a field, an unsupported format version, a content hash that does not
    /// match (tampered or corrupt), an unknown detector kind, or a payload that cannot be loaded.
    /// The message names the file and the problem.
    /// </exception>
    public static ModelPackage Load(string path)
    {
        var entries = ReadEntries(path);
        if (!entries.Remove(ManifestEntry, out var manifestBytes))
        {
            throw new ModelPackageException(path, $"has no {ManifestEntry}: not a model package, or one that was cut short.", null);
        }

        ModelManifest manifest;
        try
        {
            manifest = ManifestJson.Read(manifestBytes);
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException(path, e.Message, e);
        }

        CheckIntact(path, manifest, manifestBytes, entries);
        if (manifest.IsRul)
        {
            return new ModelPackage(path, manifest, null, LoadRul(path, manifest, entries));
        }

        var kind = DetectorKinds.Find(manifest.DetectorKind)
            ?? throw new ModelPackageException(
                path,
                $"detector kind '{manifest.DetectorKind}' is unknown to this build (known: {string.Join(", ", DetectorKinds.All.Select(k => k.Name))}).",
                null);
        DetectorModel detector;
        try
        {
            detector = kind.Load(entries, manifest.Features.Count);
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException(path, e.Message, e);
        }

        return new ModelPackage(path, manifest, detector, null);
    }

    private static RulModel LoadRul(string path, ModelManifest manifest, Dictionary<string, byte[]> entries)
    {
        if (!entries.TryGetValue(RulEntry, out var bytes))
        {
            throw new ModelPackageException(path, $"a {ModelManifest.RulKind} package needs the entry '{RulEntry}'; it has {string.Join(", ", entries.Keys)}.", null);
        }

        RulModel model;
        try
        {
            model = RulModel.Load(new MemoryStream(bytes, writable: false), RulEntry);
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException(path, e.Message, e);
        }

        var columns = model.Settings.Spec.ColumnNames;
        var sensors = manifest.Features.Select(f => f.SensorId).ToList();
        if (!columns.All(sensors.Contains))
        {
            throw new ModelPackageException(path, $"the RUL model reads column '{columns.First(c => !sensors.Contains(c))}', which the manifest's features do not list.", null);
        }

        return model;
    }

    /// <summary>Whether the package scores the features of a machine: same machine type and same feature hash.</summary>
    /// <param name="reason">When not, what differs: the first missing, extra or differently windowed feature names.</param>
    public bool IsCompatibleWith(FeatureSchema schema, [NotNullWhen(false)] out string? reason)
    {
        if (Manifest.IsRul)
        {
            reason = $"Model package {Path} ({Manifest}) is a remaining-useful-life model, for the cloud tier; it does not score anomalies on machine '{schema.MachineId}'.";
            return false;
        }

        var problems = new List<string>();
        if (Manifest.MachineType != schema.MachineType)
        {
            problems.Add($"it is for machine type '{Manifest.MachineType}', machine '{schema.MachineId}' is of type '{schema.MachineType}'");
        }

        if (Manifest.FeatureHash != schema.Hash)
        {
            problems.Add(FeatureDifference(Manifest.Features, schema));
        }

        reason = problems.Count == 0
            ? null
            : $"Model package {Path} ({Manifest}) does not fit machine '{schema.MachineId}': {string.Join("; ", problems)}.";
        return reason is null;
    }

    /// <summary>Refuses a package that does not score the features of a machine.</summary>
    /// <exception cref="ModelPackageException">The package is for another machine type or other features; the message names them.</exception>
    public void CheckCompatibleWith(FeatureSchema schema)
    {
        if (!IsCompatibleWith(schema, out var reason))
        {
            throw new ModelPackageException(reason);
        }
    }

    private static Dictionary<string, byte[]> ReadEntries(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelPackageException(path, "no such file.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelPackageException(path, $"cannot be read: {e.Message}", e);
        }

        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > MaximumEntryLength)
                {
                    throw new ModelPackageException(path, $"entry '{entry.FullName}' is {entry.Length} bytes; no entry of a model package may exceed {MaximumEntryLength}.", null);
                }

                using var stream = entry.Open();
                var bytes = new byte[entry.Length];
                stream.ReadExactly(bytes);
                if (!entries.TryAdd(entry.FullName, bytes))
                {
                    throw new ModelPackageException(path, $"entry '{entry.FullName}' appears twice.", null);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException(path, $"not a model package: the file is not a readable zip archive ({e.Message}).", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelPackageException(path, $"not a model package: an entry of the zip archive is cut short ({e.Message}).", e);
        }

        return entries;
    }

    /// <summary>Checks every payload entry against the manifest and the content hash over them all.</summary>
    private static void CheckIntact(string path, ModelManifest manifest, byte[] manifestBytes, Dictionary<string, byte[]> entries)
    {
        const string Tampered = "content hash mismatch";
        foreach (var listed in manifest.Entries)
        {
            if (!entries.TryGetValue(listed.Name, out var bytes))
            {
                throw new ModelPackageException(path, $"entry '{listed.Name}', which the manifest lists, is missing.", null);
            }

            if (bytes.LongLength != listed.Length || PackageHash.Sha256(bytes) != listed.Sha256)
            {
                throw new ModelPackageException(
                    path,
                    $"{Tampered}: entry '{listed.Name}' is not the one the manifest lists (SHA-256 or length differs): the package was changed after it was written, or is corrupt.",
                    null);
            }
        }

        var unlisted = entries.Keys.FirstOrDefault(name => manifest.Entries.All(e => e.Name != name));
        if (unlisted is not null)
        {
            throw new ModelPackageException(path, $"{Tampered}: entry '{unlisted}' is not listed in the manifest: the package was changed after it was written.", null);
        }

        var zeroed = PackageHash.WithPlaceholder(manifestBytes, manifest.ContentHash);
        if (zeroed is null || PackageHash.ContentHash(entries, zeroed) != manifest.ContentHash)
        {
            throw new ModelPackageException(
                path,
                $"{Tampered}: the manifest's contentHash is not the hash of the package's content: {ManifestEntry} was changed after the package was written, or is corrupt.",
                null);
        }
    }

    private static string FeatureDifference(IReadOnlyList<FeatureDefinition> package, FeatureSchema schema)
    {
        var machine = schema.Features;
        var machineByName = machine.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var packageNames = package.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var details = new List<string>();

        var missing = package.Where(f => !machineByName.ContainsKey(f.Name)).Select(f => f.Name).ToArray();
        if (missing.Length > 0)
        {
            details.Add($"the machine does not compute feature '{missing[0]}'{More(missing.Length)}");
        }

        var extra = machine.Where(f => !packageNames.Contains(f.Name)).Select(f => f.Name).ToArray();
        if (extra.Length > 0)
        {
            details.Add($"the package has no feature '{extra[0]}', which the machine computes{More(extra.Length)}");
        }

        var window = package.FirstOrDefault(f => machineByName.TryGetValue(f.Name, out var m) && m.WindowSeconds != f.WindowSeconds);
        if (window is not null)
        {
            details.Add($"feature '{window.Name}' is computed over {machineByName[window.Name].WindowSeconds} s windows on the machine, the package was trained on {window.WindowSeconds} s windows");
        }

        if (details.Count == 0)
        {
            var at = Enumerable.Range(0, Math.Min(package.Count, machine.Count)).FirstOrDefault(i => package[i].Name != machine[i].Name);
            details.Add($"feature {at} is '{package[at].Name}' in the package and '{machine[at].Name}' on the machine");
        }

        return $"its features differ from the machine's ({string.Join("; ", details)}; feature hash {package.Count} features {FeatureSchema.HashOf(package)[..12]}…, machine {machine.Count} features {schema.Hash[..12]}…)";
    }

    private static string More(int count) => count > 1 ? $" (and {count - 1} more)" : "";
}
