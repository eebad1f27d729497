using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Plant.Model;

namespace Factory.Edge.Models;

/// <summary>A package file found in the models directory: loaded and checked, or refused with the reason.</summary>
/// <param name="Package">The package, when it loaded and its content hash matched.</param>
/// <param name="Error">Why it was refused (names the file and the problem), when it did not.</param>
public sealed record ModelFile(string Path, DateTimeOffset Modified, ModelPackage? Package, string? Error);

/// <summary>The package chosen for a machine, or why there is none; and the packages of its type it refused.</summary>
/// <param name="Package">The newest package that fits the machine, or null.</param>
/// <param name="Reason">Without a package: why (no package for the type, or none fits).</param>
/// <param name="Refused">Packages for the machine's type that do not fit its features, with the reason each.</param>
public sealed record ModelChoice(ModelPackage? Package, string? Reason, IReadOnlyList<(string Path, string Reason)> Refused);

/// <summary>
/// The model packages in a directory (and below it): each file read and checked once per
/// version of the file (its length and modification time), so a rescan costs a directory listing.
/// A file that fails to load is remembered with its error until it changes. Not thread-safe: the
/// model store actor owns it.
/// </summary>
public sealed class ModelDirectory(string path)
{
    private readonly Dictionary<string, (long Length, DateTime Modified, ModelFile File)> _known = new(StringComparer.Ordinal);

    /// <summary>The directory scanned.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>
    /// Lists the package files and loads those new or changed since the last scan. A missing
    /// directory holds no packages (the edge then scores nothing and the limits still work).
    /// </summary>
    public IReadOnlyList<ModelFile> Scan()
    {
        if (!Directory.Exists(Path))
        {
            _known.Clear();
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<ModelFile>();
        foreach (var file in new DirectoryInfo(Path).EnumerateFiles("*" + ModelPackage.FileExtension, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            seen.Add(file.FullName);
            if (_known.TryGetValue(file.FullName, out var known) && known.Length == file.Length && known.Modified == file.LastWriteTimeUtc)
            {
                files.Add(known.File);
                continue;
            }

            var loaded = Load(file);
            _known[file.FullName] = (file.Length, file.LastWriteTimeUtc, loaded);
            files.Add(loaded);
        }

        foreach (var gone in _known.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _known.Remove(gone);
        }

        return files;
    }

    /// <summary>
    /// The package a machine is scored with: among the packages for its type (by the type's
    /// <see cref="MachineType.Model"/> name when the plant configuration gives one, otherwise by
    /// the machine type the package declares), the highest version whose features match the
    /// machine's. Packages for the type that do not match are refused, each with the reason.
    /// </summary>
    public static ModelChoice Choose(FeatureSchema schema, MachineType type, IEnumerable<ModelFile> files)
    {
        var candidates = files
            .Where(f => f.Package is { } p && (type.Model is { } name ? p.Manifest.Id == name : p.Manifest.MachineType == type.Id))
            .Select(f => f.Package!)
            .OrderByDescending(p => p.Manifest.Version)
            .ThenByDescending(p => p.Manifest.Created)
            .ToList();
        var refused = new List<(string, string)>();
        foreach (var package in candidates)
        {
            if (package.IsCompatibleWith(schema, out var reason))
            {
                return new ModelChoice(package, null, refused);
            }

            refused.Add((package.Path, reason));
        }

        var wanted = type.Model is { } model ? $"model package '{model}'" : $"model package for machine type '{type.Id}'";
        return new ModelChoice(
            null,
            candidates.Count == 0
                ? $"no {wanted} in the models directory: limit alarms only"
                : $"none of the {candidates.Count} versions of {wanted} fits machine '{schema.MachineId}': limit alarms only",
            refused);
    }

    private static ModelFile Load(FileInfo file)
    {
        var modified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        try
        {
            return new ModelFile(file.FullName, modified, ModelPackage.Load(file.FullName), null);
        }
        catch (ModelPackageException e)
        {
            return new ModelFile(file.FullName, modified, null, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed or made unreadable between the listing and the reading.
            return new ModelFile(file.FullName, modified, null, $"Model package {file.FullName}: cannot be read: {e.Message}");
        }
    }
}
