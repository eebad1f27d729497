using Factory.Contracts.Models;
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
/// <param name="Fallback">
/// With a deployment whose assigned version cannot be used: the package for a machine that has
/// nothing running yet (a restart): the last good deployed version of the model when it is still
/// there and fits, otherwise the newest package that fits. A running machine keeps what it runs.
/// </param>
/// <param name="Assigned">The cloud's assignment that <see cref="Package"/> fulfils, when it was chosen as assigned.</param>
public sealed record ModelChoice(ModelPackage? Package, string? Reason, IReadOnlyList<(string Path, string Reason)> Refused, ModelPackage? Fallback = null, DeployedModel? Assigned = null);

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
    /// Remaining-useful-life packages (for the cloud tier) are passed over.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="deployment"/> (the cloud's assignment, model id to version) that names
    /// the machine's model, exactly the assigned version is chosen, if its content hash is the
    /// announced one and it fits; otherwise none is (the reason says why) and the machine keeps
    /// what it runs. <paramref name="lastGood"/> (<see cref="LastGoodModels"/>) decides the
    /// <see cref="ModelChoice.Fallback"/> for a machine that runs nothing yet.
    /// </remarks>
    public static ModelChoice Choose(
        FeatureSchema schema,
        MachineType type,
        IEnumerable<ModelFile> files,
        IReadOnlyDictionary<string, DeployedModel>? deployment = null,
        IReadOnlyDictionary<string, DeployedModel>? lastGood = null)
    {
        var candidates = files
            .Where(f => f.Package is { } p && !p.Manifest.IsRul && (type.Model is { } name ? p.Manifest.Id == name : p.Manifest.MachineType == type.Id))
            .Select(f => f.Package!)
            .OrderByDescending(p => p.Manifest.Version)
            .ThenByDescending(p => p.Manifest.Created)
            .ToList();
        var assigned = deployment is null ? null
            : type.Model is { } modelName ? deployment.GetValueOrDefault(modelName)
            : deployment.Values.FirstOrDefault(d => candidates.Any(c => c.Manifest.Id == d.ModelId));
        if (assigned is not null)
        {
            return ChooseAssigned(schema, type, files, candidates, assigned, lastGood?.GetValueOrDefault(assigned.ModelId));
        }

        return ChooseNewest(schema, type, candidates);
    }

    private static ModelChoice ChooseAssigned(FeatureSchema schema, MachineType type, IEnumerable<ModelFile> files, List<ModelPackage> candidates, DeployedModel assigned, DeployedModel? lastGood)
    {
        var refused = new List<(string, string)>();
        var others = candidates.Where(c => c.Manifest.Id != assigned.ModelId || c.Manifest.Version != assigned.Version).ToList();
        var fallback = others.FirstOrDefault(c => lastGood is { } good && c.Manifest.Id == good.ModelId && c.Manifest.Version == good.Version && c.Manifest.ContentHash == good.ContentHash && c.IsCompatibleWith(schema, out _))
            ?? ChooseNewest(schema, type, others).Package;
        var wanted = $"deployed {assigned.ModelId} version {assigned.Version}";
        var matching = candidates.Where(c => c.Manifest.Id == assigned.ModelId && c.Manifest.Version == assigned.Version).ToList();
        if (matching.Count == 0)
        {
            var broken = files.Where(f => f.Error is not null && f.Path.Contains(System.IO.Path.DirectorySeparatorChar + assigned.ModelId + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)).Select(f => f.Error).FirstOrDefault();
            return new ModelChoice(null, $"{wanted} is not usable: {broken ?? "its package has not arrived"}", refused, fallback);
        }

        foreach (var package in matching)
        {
            if (package.Manifest.ContentHash != assigned.ContentHash)
            {
                refused.Add((package.Path, $"Model package {package.Path} ({package.Manifest}) has content hash {package.Manifest.ContentHash}, the cloud announced {assigned.ContentHash}."));
            }
            else if (!package.IsCompatibleWith(schema, out var reason))
            {
                refused.Add((package.Path, reason));
            }
            else
            {
                return new ModelChoice(package, null, refused, Assigned: assigned);
            }
        }

        return new ModelChoice(null, $"{wanted} is refused: {refused[^1].Item2}", refused, fallback);
    }

    private static ModelChoice ChooseNewest(FeatureSchema schema, MachineType type, List<ModelPackage> candidates)
    {
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
