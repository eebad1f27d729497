using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Ml.Packages;
using Factory.Ml.Rul;
using Factory.Plant.Model;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Training;

/// <summary>The states of a training job.</summary>
public static class TrainingJobStates
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>A training job as the models page shows it.</summary>
/// <param name="Stage">What it is doing, or how it ended, in words.</param>
/// <param name="Progress">From 0 to 1.</param>
/// <param name="Version">The version it registered, once done.</param>
public sealed record TrainingJob(
    int Id,
    string MachineType,
    DateTimeOffset From,
    DateTimeOffset To,
    string StartedBy,
    DateTimeOffset StartedAt,
    string State,
    string Stage,
    double Progress,
    DateTimeOffset? FinishedAt,
    int? Version);

/// <summary>A training job that cannot start, with the reason.</summary>
public sealed class TrainingJobException(string message) : Exception(message);

/// <summary>
/// Retrains a machine type's RUL model in the cloud, from the telemetry store: the means per hour
/// of every machine of the type over a range, cut into runs to failure by the machines' own
/// reported states (failed, then repaired; a maintenance without a failure ends a run that is not
/// used), trained and measured like <c>factory models train-rul</c>, and registered as the next
/// version by the engineer who started it. One job per type at a time; jobs run in the background
/// and report their stage and progress. Jobs are kept in memory: the registry keeps what they made.
/// </summary>
public sealed class RulTrainingJobs
{
    /// <summary>The step the cloud trains on (the shipped packages' step).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromHours(1);

    /// <summary>How finely the machines' states are read to find failures and repairs.</summary>
    public static readonly TimeSpan StateResolution = TimeSpan.FromMinutes(5);

    private const double CapHours = 168;
    private const double HeldOut = 0.2;

    private readonly ModelRegistry _registry;
    private readonly ITelemetryStore _store;
    private readonly PlantConfig? _plant;
    private readonly string _work;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<TrainingJob> _jobs = [];

    public RulTrainingJobs(ModelRegistry registry, ITelemetryStore store, PlantConfig? plant, string dataDirectory, TimeProvider time, ILogger<RulTrainingJobs> logger)
    {
        _registry = registry;
        _store = store;
        _plant = plant;
        _work = Path.Combine(Path.GetFullPath(dataDirectory), "training");
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised when a job starts, moves on or ends.</summary>
    public event Action? Changed;

    /// <summary>The machine types of the plant that have machines: what can be trained.</summary>
    public IReadOnlyList<string> Types => _plant is null ? [] : [.. _plant.MachineTypes.Where(t => _plant.Machines.Any(m => m.Type == t.Id)).Select(t => t.Id)];

    /// <summary>Every job since the node started, newest first.</summary>
    public IReadOnlyList<TrainingJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs.OrderByDescending(j => j.Id)];
            }
        }
    }

    /// <summary>Starts a job; returns at once with it.</summary>
    /// <exception cref="TrainingJobException">No plant, an unknown type, an empty range, or a job of the type still running.</exception>
    public TrainingJob Start(string machineType, DateTimeOffset from, DateTimeOffset to, string actor)
    {
        if (_plant is null)
        {
            throw new TrainingJobException("the cloud node was started without the plant configuration (--config): it does not know which machines are of which type");
        }

        if (!Types.Contains(machineType))
        {
            throw new TrainingJobException($"'{machineType}' is not a machine type of the plant with machines; types: {string.Join(", ", Types)}");
        }

        if (to <= from)
        {
            throw new TrainingJobException($"the range ends ({to:u}) before it starts ({from:u})");
        }

        TrainingJob job;
        lock (_lock)
        {
            if (_jobs.FirstOrDefault(j => j.MachineType == machineType && j.State == TrainingJobStates.Running) is { } running)
            {
                throw new TrainingJobException($"job #{running.Id} is training {machineType} already");
            }

            job = new TrainingJob(_jobs.Count + 1, machineType, from, to, actor, _time.GetUtcNow(), TrainingJobStates.Running, "starting", 0, null, null);
            _jobs.Add(job);
        }

        Changed?.Invoke();
        _ = Task.Run(() => RunAsync(job));
        return job;
    }

    private async Task RunAsync(TrainingJob job)
    {
        try
        {
            var machines = _plant!.Lines.SelectMany(l => l.Machines.Where(m => m.Type == job.MachineType).Select(m => (Line: l.Id, Machine: m))).ToList();
            var sensors = machines[0].Machine.Sensors.Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
            var series = new List<MachineSeries>();
            var failures = new List<MachineFailure>();
            var censored = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < machines.Count; i++)
            {
                var (line, machine) = machines[i];
                Update(job, $"reading {line}/{machine.Id} ({i + 1} of {machines.Count})", 0.3 * i / machines.Count);
                series.Add(await SeriesAsync(line, machine.Id, sensors, job.From, job.To));
                foreach (var (failure, preventive) in await RunEndsAsync(line, machine.Id, job.From, job.To))
                {
                    failures.Add(failure);
                    if (preventive)
                    {
                        censored.Add(RunToFailureUnits.UnitId(failure));
                    }
                }
            }

            var (built, summary) = RunToFailureUnits.Build(series, failures, Step, RulPackageTraining.MinimumSteps);
            var data = new RulDataset(built.SensorNames, [.. built.Units.Where(u => !censored.Contains(u.Id))]);
            var id = RulPackageTraining.ModelId(job.MachineType);
            var latest = (await _registry.ListAsync(default)).FirstOrDefault(m => m.ModelId == id)?.LatestVersion;
            var version = (latest ?? 0) + 1;
            Directory.CreateDirectory(_work);
            var path = Path.Combine(_work, $"{id}-{version}-job{job.Id}{ModelPackage.FileExtension}");
            Update(job, $"training on {data.Units.Count} runs to failure of {machines.Count} machines ({summary.Failures - censored.Count} failures)", 0.3);
            var result = RulPackageTraining.Train(
                new RulPackageRequest(job.MachineType, data, Step, CapHours, job.Id, HeldOut, job.From, job.To, version, latest, $"cloud training job #{job.Id} ({job.StartedBy})"),
                path,
                new Progress(share => Update(job, null, 0.3 + (0.65 * share))));

            Update(job, "registering", 0.97);
            ModelVersionInfo registered;
            await using (var file = File.OpenRead(path))
            {
                registered = await _registry.RegisterAsync(file, Path.GetFileName(path), job.StartedBy, default);
            }

            File.Delete(path);
            Finish(job, TrainingJobStates.Done, string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"version {registered.Version} registered: held-out RMSE {result.Report.Rmse:0.0} h against {result.ConstantBaselineRmse:0.0} h for a constant guess, interval covers {result.Report.Coverage:P0} of {result.Report.Units.Count} held-out runs; promote it below"), registered.Version);
        }
        catch (Exception e) when (e is RulTrainingDataException or TelemetryStoreException or ModelRegistryException or IOException or ArgumentException)
        {
            _logger.LogWarning("Training job #{Job} ({Type}) failed: {Reason}", job.Id, job.MachineType, e.Message);
            Finish(job, TrainingJobStates.Failed, e.Message, null);
        }
    }

    private async Task<MachineSeries> SeriesAsync(string line, string machine, List<string> sensors, DateTimeOffset from, DateTimeOffset to)
    {
        var (starts, rows) = await StoredMeans.ReadAsync(_store, line, machine, sensors, from, to, Step, default);
        return new MachineSeries(line, machine, sensors, starts, rows);
    }

    private async Task<List<(MachineFailure End, bool Preventive)>> RunEndsAsync(string line, string machine, DateTimeOffset from, DateTimeOffset to) =>
        RunEnds(line, machine, await _store.QueryHealthAsync(new HealthQuery(line, machine, from, to, StateResolution), default));

    /// <summary>
    /// Where a machine's runs end, from its reported states in time order: a failure (then the
    /// repair that ended the downtime), or a maintenance without a failure (preventive: the run is
    /// cut there, and is no run to failure).
    /// </summary>
    public static List<(MachineFailure End, bool Preventive)> RunEnds(string line, string machine, IReadOnlyList<HealthBucket> states)
    {
        var ends = new List<(MachineFailure, bool)>();
        for (var i = 0; i < states.Count; i++)
        {
            if (!DowntimeStates.Contains(states[i].State) || (i > 0 && DowntimeStates.Contains(states[i - 1].State)))
            {
                continue;
            }

            var j = i;
            while (j < states.Count && DowntimeStates.Contains(states[j].State))
            {
                j++;
            }

            var failed = states.Skip(i).Take(j - i).FirstOrDefault(s => s.State == DowntimeStates.Failed);
            ends.Add((new MachineFailure(line, machine, failed?.Start ?? states[i].Start, j < states.Count ? states[j].Start : null), failed is null));
        }

        return ends;
    }

    private void Update(TrainingJob job, string? stage, double progress) =>
        Replace(job.Id, j => j with { Stage = stage ?? j.Stage, Progress = Math.Clamp(progress, 0, 1) });

    private void Finish(TrainingJob job, string state, string stage, int? version) =>
        Replace(job.Id, j => j with { State = state, Stage = stage, Progress = state == TrainingJobStates.Done ? 1 : j.Progress, FinishedAt = _time.GetUtcNow(), Version = version });

    private void Replace(int id, Func<TrainingJob, TrainingJob> change)
    {
        lock (_lock)
        {
            var index = _jobs.FindIndex(j => j.Id == id);
            _jobs[index] = change(_jobs[index]);
        }

        Changed?.Invoke();
    }

    /// <summary>Reports on the training's thread.</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
