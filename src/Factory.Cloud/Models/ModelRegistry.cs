using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Factory.Cloud.Database;
using Factory.Ml.Packages;
using Microsoft.EntityFrameworkCore;

namespace Factory.Cloud.Models;

/// <summary>
/// The model registry of the cloud tier: registered package versions (rows and package bytes in
/// the cloud's database, <c>&lt;data&gt;/registry.db</c> by default; each node keeps a file of a
/// package it serves under <c>&lt;data&gt;/models/&lt;id&gt;/</c>), their stages
/// (candidate, canary on one line, fleet, retired), promotion, rollback, and an audit line for
/// every change. Thread-safe; changes are serialized, across the nodes sharing a database too.
/// </summary>
public sealed partial class ModelRegistry : IDisposable
{
    /// <summary>The SQLite file's name in the data directory.</summary>
    public const string DatabaseFileName = "registry.db";

    /// <summary>The folder of package files in the data directory.</summary>
    public const string PackagesFolderName = "models";

    private const string FleetStage = "fleet";

    /// <summary>What changes of the registry are serialized on.</summary>
    private const string Scope = "models.registry";
    private const string CanaryStage = "canary";

    private readonly DbContextOptions<RegistryDbContext> _options;
    private readonly IAlarmRateSource _rates;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ModelRegistry(CloudDatabase database, string dataDirectory, IAlarmRateSource rates, TimeProvider time, CanaryTolerance tolerance)
    {
        PackagesDirectory = Path.Combine(Path.GetFullPath(dataDirectory), PackagesFolderName);
        Directory.CreateDirectory(PackagesDirectory);
        _options = database.Options<RegistryDbContext>(DatabaseFileName);
        _rates = rates;
        _time = time;
        Tolerance = tolerance;
    }

    /// <summary>Raised after a promotion or rollback changed what a model's edges should run.</summary>
    public event Action<ModelAssignment>? AssignmentChanged;

    /// <summary>Where this node keeps the files of the packages it serves and loads.</summary>
    public string PackagesDirectory { get; }

    /// <summary>How much worse than the fleet a canary may alarm before fleet promotion is refused.</summary>
    public CanaryTolerance Tolerance { get; }

    /// <summary>Opens (or creates) the registry in a data directory's SQLite file.</summary>
    public static ModelRegistry Open(string dataDirectory, IAlarmRateSource rates, TimeProvider? time = null, CanaryTolerance? tolerance = null) =>
        Open(CloudDatabase.Sqlite(dataDirectory), dataDirectory, rates, time, tolerance);

    /// <summary>
    /// Opens (or creates) the registry in <paramref name="database"/>, keeping package files in
    /// <paramref name="dataDirectory"/>. A registry made before packages were kept in the database
    /// gets the bytes of its package files now.
    /// </summary>
    /// <exception cref="CloudDatabaseException">The database cannot be used.</exception>
    public static ModelRegistry Open(CloudDatabase database, string dataDirectory, IAlarmRateSource rates, TimeProvider? time = null, CanaryTolerance? tolerance = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var registry = new ModelRegistry(database, dataDirectory, rates, time ?? TimeProvider.System, tolerance ?? new CanaryTolerance());
        using var db = registry.Db();
        DatabaseSchema.CreateMissing(database, db, "model registry");
        registry.ImportPackageFiles(db);
        return registry;
    }

    /// <summary>
    /// The file of a registered version's package on this node, written from the database when
    /// this node has none yet (a version registered through another node).
    /// </summary>
    /// <exception cref="ModelRegistryException">No such model or version, or its package is not in the database.</exception>
    public async Task<string> PackageFileAsync(string modelId, int version, CancellationToken cancellationToken)
    {
        await using var db = Db();
        var row = await RowAsync(db, CheckId(modelId), version, cancellationToken).ConfigureAwait(false);
        var path = PackagePath(row);
        if (File.Exists(path))
        {
            return path;
        }

        var package = await db.Packages.AsNoTracking().SingleOrDefaultAsync(p => p.ModelId == modelId && p.Version == version, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelRegistryException(ModelRegistryError.NotFound, $"{modelId} version {version} is registered, but its package is neither in the database nor in {PackagesDirectory}.");
        if (package.Content.LongLength != row.Length)
        {
            throw new ModelRegistryException(ModelRegistryError.Invalid, $"The database holds {package.Content.LongLength} bytes for the package of {modelId} version {version}; it was registered with {row.Length}.");
        }

        var incoming = Path.Combine(PackagesDirectory, ".incoming");
        Directory.CreateDirectory(incoming);
        var temporary = Path.Combine(incoming, Guid.NewGuid().ToString("N") + ModelPackage.FileExtension);
        await File.WriteAllBytesAsync(temporary, package.Content, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// A version's file on this node, named by its content as well (<c>&lt;id&gt;/&lt;version&gt;-&lt;hash&gt;.fmpkg</c>):
    /// a file left from another registry under the same id and version is never taken for it.
    /// </summary>
    private string PackagePath(string modelId, int version, string contentHash) =>
        Path.Combine(PackagesDirectory, modelId, $"{version.ToString(CultureInfo.InvariantCulture)}-{contentHash[..16]}{ModelPackage.FileExtension}");

    private string PackagePath(ModelVersionRow row) => PackagePath(row.ModelId, row.Version, row.ContentHash);

    /// <summary>
    /// Copies into the database the package files of versions registered before it kept them
    /// (named <c>&lt;id&gt;/&lt;version&gt;.fmpkg</c> then), each only when it is the package that was
    /// registered (its content hash), and renames them as files are named now.
    /// </summary>
    private void ImportPackageFiles(RegistryDbContext db)
    {
        var stored = db.Packages.AsNoTracking().Select(p => new { p.ModelId, p.Version }).ToList()
            .Select(p => (p.ModelId, p.Version)).ToHashSet();
        var imported = new List<(string From, string To)>();
        foreach (var row in db.Versions.AsNoTracking().ToList().Where(v => !stored.Contains((v.ModelId, v.Version))))
        {
            var legacy = Path.Combine(PackagesDirectory, row.ModelId, row.Version.ToString(CultureInfo.InvariantCulture) + ModelPackage.FileExtension);
            if (File.Exists(legacy) && IsPackage(legacy, row.ContentHash))
            {
                db.Packages.Add(new PackageRow { ModelId = row.ModelId, Version = row.Version, Content = File.ReadAllBytes(legacy) });
                imported.Add((legacy, PackagePath(row)));
            }
        }

        db.SaveChanges();
        foreach (var (from, to) in imported)
        {
            File.Move(from, to, overwrite: true);
        }
    }

    private static bool IsPackage(string path, string contentHash)
    {
        try
        {
            return ModelPackage.Load(path).Manifest.ContentHash == contentHash;
        }
        catch (ModelPackageException)
        {
            return false;
        }
    }

    /// <summary>
    /// Registers a package as a candidate: checked with <see cref="ModelPackage.Load"/> and kept as a
    /// file. The same id, version and content again is accepted and changes nothing.
    /// </summary>
    /// <param name="content">The package bytes.</param>
    /// <param name="sourceName">What the package is called where it came from (file name): named in refusals.</param>
    /// <param name="actor">Who registers it, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    /// <exception cref="ModelRegistryException">Corrupt, tampered or unreadable package; an id unfit for a file name; the version registered with other content.</exception>
    public async Task<ModelVersionInfo> RegisterAsync(Stream content, string sourceName, string actor, CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(PackagesDirectory, ".incoming");
        Directory.CreateDirectory(incoming);
        var temporary = Path.Combine(incoming, Guid.NewGuid().ToString("N") + ModelPackage.FileExtension);
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            ModelManifest manifest;
            try
            {
                manifest = ModelPackage.Load(temporary).Manifest;
            }
            catch (ModelPackageException e)
            {
                var reason = e.Message.Replace(temporary, sourceName, StringComparison.Ordinal);
                throw new ModelRegistryException(ModelRegistryError.Invalid, $"Refused {sourceName}: {reason}", e);
            }

            if (!IdPattern().IsMatch(manifest.Id))
            {
                throw new ModelRegistryException(ModelRegistryError.Invalid, $"Refused {sourceName}: model id '{manifest.Id}' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }

            var bytes = await File.ReadAllBytesAsync(temporary, cancellationToken).ConfigureAwait(false);
            var length = bytes.LongLength;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var db = Db();
                await using var transaction = await db.Database.BeginSerializedAsync(Scope, cancellationToken).ConfigureAwait(false);
                var existing = await db.Versions.SingleOrDefaultAsync(v => v.ModelId == manifest.Id && v.Version == manifest.Version, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    if (existing.ContentHash == manifest.ContentHash)
                    {
                        return await InfoAsync(db, existing, cancellationToken).ConfigureAwait(false);
                    }

                    throw new ModelRegistryException(
                        ModelRegistryError.Conflict,
                        $"Refused {sourceName}: {manifest.Id} version {manifest.Version} is already registered with content hash {existing.ContentHash}, this package has {manifest.ContentHash}. Give a retrained model a new version.");
                }

                var now = _time.GetUtcNow();
                var row = new ModelVersionRow
                {
                    ModelId = manifest.Id,
                    Version = manifest.Version,
                    MachineType = manifest.MachineType,
                    DetectorKind = manifest.DetectorKind,
                    FeatureHash = manifest.FeatureHash,
                    ContentHash = manifest.ContentHash,
                    Length = length,
                    Creator = manifest.Creator,
                    Created = manifest.Created,
                    ParentVersion = manifest.ParentVersion,
                    Threshold = manifest.Threshold,
                    MetricsJson = JsonSerializer.Serialize(manifest.Metrics.ToDictionary(m => m.Key, m => m.Value)),
                    RegisteredAt = now,
                    RegisteredBy = actor,
                };
                db.Versions.Add(row);
                db.Packages.Add(new PackageRow { ModelId = manifest.Id, Version = manifest.Version, Content = bytes });
                Audit(db, actor, "register", manifest.Id, manifest.Version, $"from {sourceName}, content hash {manifest.ContentHash}, {length} bytes");
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                var target = PackagePath(manifest.Id, manifest.Version, manifest.ContentHash);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(temporary, target, overwrite: true);
                return await InfoAsync(db, row, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Every model id with its latest, fleet and canary versions.</summary>
    public async Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = Db();
        var versions = await db.Versions.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var summaries = new List<ModelSummary>();
        foreach (var group in versions.GroupBy(v => v.ModelId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (fleet, canary) = await EffectiveAsync(db, group.Key, cancellationToken).ConfigureAwait(false);
            var latest = group.MaxBy(v => v.Version)!;
            summaries.Add(new ModelSummary(group.Key, latest.MachineType, latest.Version, fleet?.Version, canary?.Version, canary?.Line, group.Count()));
        }

        return summaries;
    }

    /// <summary>The versions of a model, newest first.</summary>
    /// <exception cref="ModelRegistryException">No such model.</exception>
    public async Task<IReadOnlyList<ModelVersionInfo>> VersionsAsync(string modelId, CancellationToken cancellationToken)
    {
        await using var db = Db();
        var rows = await db.Versions.AsNoTracking().Where(v => v.ModelId == modelId).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw await UnknownModelAsync(db, modelId, cancellationToken).ConfigureAwait(false);
        }

        var infos = new List<ModelVersionInfo>();
        foreach (var row in rows.OrderByDescending(r => r.Version))
        {
            infos.Add(await InfoAsync(db, row, cancellationToken).ConfigureAwait(false));
        }

        return infos;
    }

    /// <summary>One version.</summary>
    /// <exception cref="ModelRegistryException">No such model or version.</exception>
    public async Task<ModelVersionInfo> GetAsync(string modelId, int version, CancellationToken cancellationToken)
    {
        await using var db = Db();
        return await InfoAsync(db, await RowAsync(db, modelId, version, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Two versions of a model side by side.</summary>
    /// <exception cref="ModelRegistryException">No such model or version.</exception>
    public async Task<ModelComparison> CompareAsync(string modelId, int left, int right, CancellationToken cancellationToken)
    {
        var a = await GetAsync(modelId, left, cancellationToken).ConfigureAwait(false);
        var b = await GetAsync(modelId, right, cancellationToken).ConfigureAwait(false);
        var differences = new List<ModelDifference>();
        void Text(string field, string x, string y)
        {
            if (x != y)
            {
                differences.Add(new ModelDifference(field, x, y, null));
            }
        }

        void Number(string field, double? x, double? y)
        {
            if (x != y)
            {
                differences.Add(new ModelDifference(field, Format(x), Format(y), x is { } p && y is { } q ? q - p : null));
            }
        }

        Text("machineType", a.MachineType, b.MachineType);
        Text("detectorKind", a.DetectorKind, b.DetectorKind);
        Text("featureHash", a.FeatureHash, b.FeatureHash);
        Number("threshold", a.Threshold, b.Threshold);
        foreach (var metric in a.Metrics.Keys.Union(b.Metrics.Keys).Order(StringComparer.Ordinal))
        {
            Number("metrics." + metric, a.Metrics.TryGetValue(metric, out var x) ? x : null, b.Metrics.TryGetValue(metric, out var y) ? y : null);
        }

        Text("creator", a.Creator, b.Creator);
        Text("stage", a.Stage.ToString(), b.Stage.ToString());
        return new ModelComparison(a, b, differences);
    }

    /// <summary>Deploys a version to one line ahead of the fleet; replaces the model's previous canary.</summary>
    /// <exception cref="ModelRegistryException">No such version; it is already the fleet version.</exception>
    public async Task<ModelAssignment> PromoteToCanaryAsync(string modelId, int version, string line, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new ModelRegistryException(ModelRegistryError.Invalid, $"Promoting {modelId} version {version} to canary needs the line it runs on.");
        }

        return await ChangeAsync(modelId, async db =>
        {
            await RowAsync(db, modelId, version, cancellationToken).ConfigureAwait(false);
            var (fleet, canary) = await EffectiveAsync(db, modelId, cancellationToken).ConfigureAwait(false);
            if (fleet?.Version == version)
            {
                throw new ModelRegistryException(ModelRegistryError.Invalid, $"{modelId} version {version} already runs on the whole fleet; a canary is for a version the fleet does not run yet.");
            }

            if (canary is not null)
            {
                canary.Ended = true;
            }

            db.Promotions.Add(new PromotionRow { ModelId = modelId, Version = version, Stage = CanaryStage, Line = line, At = _time.GetUtcNow(), Actor = actor });
            Audit(db, actor, "promote-canary", modelId, version, canary is null ? $"on line {line}" : $"on line {line}, replacing version {canary.Version} on line {canary.Line}");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deploys a version to the whole fleet. When a fleet version runs already, the new one must have
    /// run as canary and alarm no worse than the fleet within <see cref="Tolerance"/>; <paramref name="force"/>
    /// overrides both, and the audit log says so with the figures.
    /// </summary>
    /// <exception cref="ModelRegistryException">No such version; already fleet; not canaried; the canary alarms worse (the message gives the figures).</exception>
    public async Task<ModelAssignment> PromoteToFleetAsync(string modelId, int version, string actor, bool force, CancellationToken cancellationToken)
    {
        return await ChangeAsync(modelId, async db =>
        {
            var row = await RowAsync(db, modelId, version, cancellationToken).ConfigureAwait(false);
            var (fleet, canary) = await EffectiveAsync(db, modelId, cancellationToken).ConfigureAwait(false);
            if (fleet?.Version == version)
            {
                throw new ModelRegistryException(ModelRegistryError.Invalid, $"{modelId} version {version} already runs on the whole fleet.");
            }

            var detail = fleet is null ? "first fleet version" : $"replacing version {fleet.Version}";
            if (fleet is not null)
            {
                if (canary?.Version != version)
                {
                    if (!force)
                    {
                        throw new ModelRegistryException(
                            ModelRegistryError.Invalid,
                            $"{modelId} version {version} has not run as canary (the fleet runs version {fleet.Version}): promote it to canary on one line first, or force it.");
                    }

                    detail += "; forced without a canary";
                }
                else if (row.DetectorKind == ModelManifest.RulKind)
                {
                    // A RUL model raises no alarms: its canary line's alarm rate says nothing about it.
                    detail += "; a RUL model: its canary is not compared by alarm rate";
                }
                else
                {
                    var rates = await _rates.RatesAsync(canary.Line!, canary.At, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    if (!Tolerance.Accepts(rates))
                    {
                        if (!force)
                        {
                            throw new ModelRegistryException(
                                ModelRegistryError.CanaryWorse,
                                $"{modelId} version {version} alarms worse on its canary than the fleet: {rates}; tolerated: at most {Tolerance.Ratio:0.##} x fleet + {Tolerance.Slack:0.###}. Roll the canary back, or force it.");
                        }

                        detail += $"; forced although the canary alarms worse: {rates}";
                    }
                    else
                    {
                        detail += $"; canary within tolerance: {rates}";
                    }
                }
            }

            if (canary is not null)
            {
                canary.Ended = true;
            }

            db.Promotions.Add(new PromotionRow { ModelId = modelId, Version = version, Stage = FleetStage, At = _time.GetUtcNow(), Actor = actor });
            Audit(db, actor, force ? "promote-fleet-forced" : "promote-fleet", modelId, version, detail);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rolls a model's fleet (or its canary) back: the fleet returns to the version it ran before
    /// the current one; a canary line returns to the fleet version.
    /// </summary>
    /// <exception cref="ModelRegistryException">No such model; nothing to roll back to.</exception>
    public async Task<ModelAssignment> RollbackAsync(string modelId, bool canaryOnly, string actor, CancellationToken cancellationToken)
    {
        return await ChangeAsync(modelId, async db =>
        {
            if (!await db.Versions.AnyAsync(v => v.ModelId == modelId, cancellationToken).ConfigureAwait(false))
            {
                throw await UnknownModelAsync(db, modelId, cancellationToken).ConfigureAwait(false);
            }

            var (fleet, canary) = await EffectiveAsync(db, modelId, cancellationToken).ConfigureAwait(false);
            if (canaryOnly)
            {
                if (canary is null)
                {
                    throw new ModelRegistryException(ModelRegistryError.Invalid, $"{modelId} has no canary to roll back.");
                }

                canary.Withdrawn = true;
                Audit(db, actor, "rollback-canary", modelId, canary.Version, $"line {canary.Line} back to {(fleet is null ? "no deployed version" : $"fleet version {fleet.Version}")}");
                return;
            }

            if (fleet is null)
            {
                throw new ModelRegistryException(ModelRegistryError.Invalid, $"{modelId} has no fleet version to roll back.");
            }

            var previous = (await db.Promotions
                    .Where(p => p.ModelId == modelId && p.Stage == FleetStage && !p.Withdrawn && p.Key < fleet.Key)
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                .OrderByDescending(p => p.Key)
                .FirstOrDefault(p => p.Version != fleet.Version);
            if (previous is null)
            {
                throw new ModelRegistryException(ModelRegistryError.Invalid, $"{modelId} version {fleet.Version} is the first fleet version: there is none before it to roll back to.");
            }

            foreach (var row in await db.Promotions.Where(p => p.ModelId == modelId && p.Stage == FleetStage && !p.Withdrawn && p.Key > previous.Key).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                row.Withdrawn = true;
            }

            Audit(db, actor, "rollback-fleet", modelId, previous.Version, $"fleet from version {fleet.Version} back to version {previous.Version}");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the edges should run, per model id that has a fleet or canary version.</summary>
    public async Task<IReadOnlyList<ModelAssignment>> AssignmentsAsync(CancellationToken cancellationToken)
    {
        await using var db = Db();
        var ids = await db.Promotions.Select(p => p.ModelId).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var assignments = new List<ModelAssignment>();
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            assignments.Add(await AssignmentAsync(db, id, cancellationToken).ConfigureAwait(false));
        }

        return assignments;
    }

    /// <summary>Every line that ever ran a canary: their canary announcements are cleared when it ends.</summary>
    public async Task<IReadOnlyList<string>> CanaryLinesAsync(CancellationToken cancellationToken)
    {
        await using var db = Db();
        var lines = await db.Promotions.Where(p => p.Stage == CanaryStage && p.Line != null).Select(p => p.Line!).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return lines.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The audit log, newest first, of one model or all.</summary>
    public async Task<IReadOnlyList<ModelAuditEntry>> AuditAsync(string? modelId, int limit, CancellationToken cancellationToken)
    {
        await using var db = Db();
        var query = db.Audit.AsNoTracking();
        if (modelId is not null)
        {
            query = query.Where(a => a.ModelId == modelId);
        }

        var rows = await query.OrderByDescending(a => a.Key).Take(Math.Clamp(limit, 1, 10_000)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(a => new ModelAuditEntry(a.Time, a.Actor, a.Action, a.ModelId, a.Version, a.Detail)).ToList();
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static string Format(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "-";

    private static string CheckId(string modelId) =>
        IdPattern().IsMatch(modelId) ? modelId : throw new ModelRegistryException(ModelRegistryError.NotFound, $"'{modelId}' is not a model id (letters, digits, '.', '_', '-').");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex IdPattern();

    private RegistryDbContext Db() => new(_options);

    private async Task<ModelAssignment> ChangeAsync(string modelId, Func<RegistryDbContext, Task> change, CancellationToken cancellationToken)
    {
        ModelAssignment assignment;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = Db();
            await using var transaction = await db.Database.BeginSerializedAsync(Scope, cancellationToken).ConfigureAwait(false);
            await change(db).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            assignment = await AssignmentAsync(db, modelId, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        AssignmentChanged?.Invoke(assignment);
        return assignment;
    }

    private void Audit(RegistryDbContext db, string actor, string action, string modelId, int? version, string detail) =>
        db.Audit.Add(new AuditRow { Time = _time.GetUtcNow(), Actor = actor, Action = action, ModelId = modelId, Version = version, Detail = detail });

    private static async Task<(PromotionRow? Fleet, PromotionRow? Canary)> EffectiveAsync(RegistryDbContext db, string modelId, CancellationToken cancellationToken)
    {
        var rows = await db.Promotions.Where(p => p.ModelId == modelId && !p.Withdrawn && !p.Ended).ToListAsync(cancellationToken).ConfigureAwait(false);
        var fleet = rows.Where(p => p.Stage == FleetStage).MaxBy(p => p.Key);
        var canary = rows.Where(p => p.Stage == CanaryStage).MaxBy(p => p.Key);
        return (fleet, canary);
    }

    private static async Task<ModelAssignment> AssignmentAsync(RegistryDbContext db, string modelId, CancellationToken cancellationToken)
    {
        var (fleet, canary) = await EffectiveAsync(db, modelId, cancellationToken).ConfigureAwait(false);
        async Task<string?> HashAsync(PromotionRow? p) => p is null
            ? null
            : await db.Versions.Where(v => v.ModelId == modelId && v.Version == p.Version).Select(v => v.ContentHash).SingleAsync(cancellationToken).ConfigureAwait(false);
        return new ModelAssignment(modelId, fleet?.Version, await HashAsync(fleet).ConfigureAwait(false), canary?.Version, await HashAsync(canary).ConfigureAwait(false), canary?.Line, canary?.At);
    }

    private static async Task<ModelVersionRow> RowAsync(RegistryDbContext db, string modelId, int version, CancellationToken cancellationToken)
    {
        var row = await db.Versions.SingleOrDefaultAsync(v => v.ModelId == modelId && v.Version == version, cancellationToken).ConfigureAwait(false);
        if (row is not null)
        {
            return row;
        }

        var versions = await db.Versions.Where(v => v.ModelId == modelId).Select(v => v.Version).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            throw await UnknownModelAsync(db, modelId, cancellationToken).ConfigureAwait(false);
        }

        throw new ModelRegistryException(ModelRegistryError.NotFound, $"{modelId} has no version {version} (registered: {string.Join(", ", versions.Order())}).");
    }

    private static async Task<ModelRegistryException> UnknownModelAsync(RegistryDbContext db, string modelId, CancellationToken cancellationToken)
    {
        var known = await db.Versions.Select(v => v.ModelId).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return new ModelRegistryException(
            ModelRegistryError.NotFound,
            $"No model '{modelId}' in the registry ({(known.Count == 0 ? "none registered" : "registered: " + string.Join(", ", known.Order(StringComparer.Ordinal)))}).");
    }

    private static async Task<ModelVersionInfo> InfoAsync(RegistryDbContext db, ModelVersionRow row, CancellationToken cancellationToken)
    {
        var (fleet, canary) = await EffectiveAsync(db, row.ModelId, cancellationToken).ConfigureAwait(false);
        var stage = fleet?.Version == row.Version ? ModelStage.Fleet
            : canary?.Version == row.Version ? ModelStage.Canary
            : await db.Promotions.AnyAsync(p => p.ModelId == row.ModelId && p.Version == row.Version, cancellationToken).ConfigureAwait(false) ? ModelStage.Retired
            : ModelStage.Candidate;
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(row.MetricsJson) ?? [];
        return new ModelVersionInfo(
            row.ModelId, row.Version, row.MachineType, row.DetectorKind, row.FeatureHash, row.ContentHash, row.Length, row.Threshold, metrics,
            row.Creator, row.Created, row.ParentVersion, row.RegisteredAt, row.RegisteredBy, stage, stage == ModelStage.Canary ? canary!.Line : null);
    }
}
