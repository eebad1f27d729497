using Akka.Actor;
using Factory.Edge.Models;
using Factory.Ml.Features;
using Factory.Ml.Scoring;
using Factory.Plant.Model;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Actors;

/// <summary>
/// The model packages of a line's machines: watches the models directory, loads and checks each
/// new package once, and gives every machine the newest package that fits its features. A
/// package that fails to load, or does not fit a machine, is refused with a message that names
/// the file and the problem, and the machine keeps scoring with what it had. Scorers are shared
/// by the machines of a package and disposed of once no machine holds them.
/// </summary>
public sealed class ModelStoreActor : ReceiveActor, IWithTimers
{
    private readonly Line _line;
    private readonly IReadOnlyList<(Machine Machine, MachineType Type, FeatureSchema Schema, IActorRef Actor)> _machines;
    private readonly ModelDirectory _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (AnomalyScorer Scorer, string ContentHash)> _scorers = new(StringComparer.Ordinal);
    private readonly Dictionary<AnomalyScorer, HashSet<int>> _holders = [];
    private readonly HashSet<AnomalyScorer> _all = [];
    private readonly AnomalyScorer?[] _current;
    private readonly MachineModel[] _status;
    private readonly Dictionary<(string Path, string? Machine), RefusedModel> _refused = [];
    private FileSystemWatcher? _watcher;
    private IReadOnlyDictionary<string, Contracts.Models.DeployedModel>? _lastGood;
    private DateTimeOffset? _lastScan;
    private bool _rescanQueued;

    public ModelStoreActor(
        Line line,
        IReadOnlyList<(Machine Machine, MachineType Type, FeatureSchema Schema, IActorRef Actor)> machines,
        string directory,
        EdgeTuning tuning,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _line = line;
        _machines = machines;
        _directory = new ModelDirectory(directory);
        _time = time;
        _logger = loggerFactory.CreateLogger<ModelStoreActor>();
        _current = new AnomalyScorer?[machines.Count];
        _status = [.. machines.Select(m => new MachineModel(m.Machine.Id, m.Type.Id, null, null, null, "not scanned yet"))];
        ScanInterval = tuning.ModelScanInterval;

        Receive<Rescan>(OnRescan);
        Receive<ScorerReleased>(released => Release(released.MachineIndex, released.Scorer));
        Receive<ModelWanted>(OnModelWanted);
        Receive<GetModels>(_ => Sender.Tell(new ModelReport(_directory.Path, _lastScan, [.. _status], [.. _refused.Values.OrderBy(r => r.Path, StringComparer.Ordinal)])));
    }

    public TimeSpan ScanInterval { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        Line line,
        IReadOnlyList<(Machine Machine, MachineType Type, FeatureSchema Schema, IActorRef Actor)> machines,
        string directory,
        EdgeTuning tuning,
        TimeProvider time,
        ILoggerFactory loggerFactory) =>
        Akka.Actor.Props.Create(() => new ModelStoreActor(line, machines, directory, tuning, time, loggerFactory));

    protected override void PreStart()
    {
        Scan();
        Timers.StartPeriodicTimer("scan", new Rescan(Soon: false), ScanInterval);
        WatchDirectory();
    }

    protected override void PostStop()
    {
        _watcher?.Dispose();
        foreach (var scorer in _all)
        {
            scorer.Dispose();
        }
    }

    private void WatchDirectory()
    {
        if (!Directory.Exists(_directory.Path))
        {
            _logger.LogWarning("Line {Line}: the models directory {Directory} does not exist; machines are watched by their limits only until it does", _line.Id, _directory.Path);
            return;
        }

        // The watcher only hastens a scan; the periodic scan is what is relied on (watchers miss events on some file systems).
        var self = Self;
        _watcher = new FileSystemWatcher(_directory.Path, "*" + Ml.Packages.ModelPackage.FileExtension) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Filters.Add(DeploymentReceiver.FileName);
        var soon = new Rescan(Soon: true);
        FileSystemEventHandler changed = (_, _) => self.Tell(soon);
        _watcher.Created += changed;
        _watcher.Changed += changed;
        _watcher.Deleted += changed;
        _watcher.Renamed += (_, _) => self.Tell(soon);
        _watcher.EnableRaisingEvents = true;
    }

    private void OnRescan(Rescan rescan)
    {
        if (!rescan.Soon)
        {
            _rescanQueued = false;
            Scan();
        }
        else if (!_rescanQueued)
        {
            // A file being copied raises many events: one scan when they have settled.
            _rescanQueued = true;
            Timers.StartSingleTimer("soon", new Rescan(Soon: false), TimeSpan.FromMilliseconds(500));
        }
    }

    private void Scan()
    {
        var files = _directory.Scan();
        var deployment = DeploymentReceiver.ReadAssignment(_directory.Path, _logger);
        _lastGood ??= LastGoodModels.Read(_directory.Path, _logger);
        var now = _time.GetUtcNow();
        _lastScan = now;
        var present = new HashSet<(string, string?)>();
        foreach (var file in files.Where(f => f.Error is not null))
        {
            present.Add((file.Path, null));
            Refuse(file.Path, null, file.Error!, now);
        }

        for (var i = 0; i < _machines.Count; i++)
        {
            var (machine, type, schema, actor) = _machines[i];
            var choice = ModelDirectory.Choose(schema, type, files, deployment, _lastGood);
            if (choice.Assigned is { } assigned)
            {
                RecordLastGood(assigned);
            }

            if (choice.Package is null && _current[i] is null && choice.Fallback is { } fallback)
            {
                // Restarted with a deployed version that cannot be used: score with the last good one (or what fits) rather than nothing.
                _logger.LogWarning("Line {Line}: machine {Machine}: {Reason}; scoring with {Fallback} meanwhile", _line.Id, machine.Id, choice.Reason, fallback.Manifest);
                choice = choice with { Package = fallback };
            }

            foreach (var (path, reason) in choice.Refused)
            {
                present.Add((path, machine.Id));
                Refuse(path, machine.Id, reason, now);
            }

            if (choice.Package is { } package)
            {
                var scorer = ScorerOf(package);
                _status[i] = new MachineModel(machine.Id, type.Id, package.Manifest.Id, package.Manifest.Version, package.Path, null);
                if (!ReferenceEquals(_current[i], scorer))
                {
                    Hold(i, scorer);
                    _logger.LogInformation("Line {Line}: machine {Machine} is scored with {Package} ({Path})", _line.Id, machine.Id, package.Manifest, package.Path);
                    actor.Tell(new UseModel(scorer, package.Manifest, $"{package.Manifest} (threshold {package.Manifest.Threshold:0.###})"));
                }
            }
            else if (_current[i] is not null && choice.Reason is { } kept)
            {
                // A deployed version that cannot be used: the machine keeps what it runs, and the report says why.
                _status[i] = _status[i] with { Reason = kept };
            }
            else if (_current[i] is null)
            {
                // Nothing scored it and nothing fits: tell it why (once per change of reason).
                if (_status[i].Reason != choice.Reason)
                {
                    _status[i] = new MachineModel(machine.Id, type.Id, null, null, null, choice.Reason);
                    actor.Tell(new UseModel(null, null, choice.Reason!));
                }
            }

            // A machine with a package keeps it when the directory no longer offers one that fits:
            // a refused or removed file never stops scoring. A deployment (deployed/deployment.json)
            // chooses the exact version, older ones too: that is how a rollback reaches the edge.
        }

        foreach (var key in _refused.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _refused.Remove(key);
        }

        DisposeUnused();
    }

    private void RecordLastGood(Contracts.Models.DeployedModel assigned)
    {
        try
        {
            _lastGood = LastGoodModels.Record(_directory.Path, _lastGood!, assigned, _time.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Line {Line}: cannot record {Model} version {Version} as the last good one in {Directory}: {Reason}", _line.Id, assigned.ModelId, assigned.Version, _directory.Path, e.Message);
        }
    }

    private void Refuse(string path, string? machine, string reason, DateTimeOffset now)
    {
        if (_refused.TryGetValue((path, machine), out var known) && known.Reason == reason)
        {
            return;
        }

        _refused[(path, machine)] = new RefusedModel(path, machine, reason, now);
        _logger.LogError("Line {Line}: refused {Problem}{Keeps}", _line.Id, reason, machine is null ? string.Empty : $"; machine {machine} keeps what it had");
    }

    private AnomalyScorer ScorerOf(Ml.Packages.ModelPackage package)
    {
        if (_scorers.TryGetValue(package.Path, out var known) && known.ContentHash == package.Manifest.ContentHash)
        {
            return known.Scorer;
        }

        var scorer = new AnomalyScorer(package);
        _scorers[package.Path] = (scorer, package.Manifest.ContentHash);
        _all.Add(scorer);
        return scorer;
    }

    private void OnModelWanted(ModelWanted wanted)
    {
        // A machine (re)started with no model: give it what it should have.
        var i = wanted.MachineIndex;
        if (_current[i] is { } scorer && scorer.Manifest is { } manifest)
        {
            Hold(i, scorer);
            _machines[i].Actor.Tell(new UseModel(scorer, manifest, $"{manifest} (threshold {manifest.Threshold:0.###})"));
        }
        else
        {
            _machines[i].Actor.Tell(new UseModel(null, null, _status[i].Reason ?? "no model package"));
        }
    }

    private void Hold(int machine, AnomalyScorer scorer)
    {
        _current[machine] = scorer;
        if (!_holders.TryGetValue(scorer, out var holders))
        {
            _holders[scorer] = holders = [];
        }

        holders.Add(machine);
    }

    private void Release(int machine, AnomalyScorer scorer)
    {
        if (_holders.TryGetValue(scorer, out var holders) && holders.Remove(machine) && holders.Count == 0)
        {
            _holders.Remove(scorer);
        }

        DisposeUnused();
    }

    private void DisposeUnused()
    {
        // A scorer goes once no machine is meant to use it and none still holds it.
        foreach (var scorer in _all.Where(s => !_current.Contains(s) && !_holders.ContainsKey(s)).ToList())
        {
            _all.Remove(scorer);
            foreach (var path in _scorers.Where(p => ReferenceEquals(p.Value.Scorer, scorer)).Select(p => p.Key).ToList())
            {
                _scorers.Remove(path);
            }

            scorer.Dispose();
        }
    }

    /// <param name="Soon">Asked for by the file watcher: scan once the burst of events has settled.</param>
    private sealed record Rescan(bool Soon);
}
