using System.Collections.Concurrent;
using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Ml.Packages;
using Factory.Ml.Rul;
using Factory.Plant.Model;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Forecasts;

/// <summary>
/// When a machine is expected to fail: the remaining useful life the fleet's RUL model of its type
/// predicts from the store's means of its current run, with the model's interval.
/// </summary>
/// <param name="At">The end of the last whole step the prediction reads (the machine's clock).</param>
/// <param name="RulHours">The predicted remaining useful life; at <paramref name="CapHours"/> it means "at least that".</param>
/// <param name="LowHours">The lower end of the interval: the earliest the machine is expected to fail.</param>
/// <param name="HighHours">The upper end of the interval.</param>
/// <param name="CapHours">The model's cap: it predicts no further ahead.</param>
/// <param name="RunStart">Where the current run starts: the end of the last failure or maintenance, or the first data.</param>
/// <param name="Steps">How many whole steps of the run the prediction read.</param>
/// <param name="Model">The package, e.g. <c>centrifugal-pump-rul version 1</c>.</param>
/// <param name="IntervalLevel">The interval's nominal coverage, e.g. 0.9.</param>
/// <param name="History">The forecast after every step of the run, oldest first (the last is this one): how it came to be.</param>
public sealed record RulForecast(
    string Line,
    string Machine,
    string MachineType,
    DateTimeOffset At,
    double RulHours,
    double LowHours,
    double HighHours,
    double CapHours,
    DateTimeOffset RunStart,
    int Steps,
    string Model,
    double IntervalLevel,
    IReadOnlyList<RulPoint> History)
{
    public DateTimeOffset ExpectedFailure => At.AddHours(RulHours);

    public DateTimeOffset EarliestFailure => At.AddHours(LowHours);

    public DateTimeOffset LatestFailure => At.AddHours(HighHours);

    /// <summary>The prediction reached the model's cap: the machine has at least that long.</summary>
    public bool Capped => RulHours >= CapHours - 1e-9;
}

/// <summary>The forecast as it stood at the end of one step: remaining hours and the interval.</summary>
public sealed record RulPoint(DateTimeOffset At, double RulHours, double LowHours, double HighHours);

/// <summary>A machine's forecast, or why there is none.</summary>
public sealed record RulOutlook(string Line, string Machine, string? MachineType, RulForecast? Forecast, string? Reason);

/// <summary>
/// Forecasts remaining useful life in the cloud: for a machine of the plant, the RUL model in
/// service on the fleet for its type (<c>rul-fasttree-conformal</c> packages in the registry), fed
/// with the means per model step of the machine's sensors since its last failure or maintenance,
/// as the store holds them. Forecasts are kept for <see cref="CacheFor"/>, so pages and planning
/// can ask often.
/// </summary>
public sealed class RulForecaster
{
    /// <summary>How far back a run is looked for when the store knows no failure or maintenance of the machine.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(30);

    private readonly ModelRegistry _registry;
    private readonly ITelemetryStore _store;
    private readonly PlantConfig? _plant;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Registered versions never change: each is looked at once. Null: not a RUL package, or one that does not load.
    private readonly ConcurrentDictionary<(string ModelId, int Version), ModelPackage?> _packages = new();
    private readonly ConcurrentDictionary<(string Line, string Machine), (DateTimeOffset Made, RulOutlook Outlook)> _cache = new();

    public RulForecaster(ModelRegistry registry, ITelemetryStore store, PlantConfig? plant, TimeProvider time, ILogger<RulForecaster> logger)
    {
        _registry = registry;
        _store = store;
        _plant = plant;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long a forecast is reused (wall clock).</summary>
    public TimeSpan CacheFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The plant the forecasts are for; null when the node was started without one.</summary>
    public PlantConfig? Plant => _plant;

    /// <summary>Every machine of the plant with its forecast or the reason it has none.</summary>
    public async Task<IReadOnlyList<RulOutlook>> ForecastAllAsync(CancellationToken cancellationToken)
    {
        if (_plant is null)
        {
            return [];
        }

        var outlooks = new List<RulOutlook>();
        foreach (var line in _plant.Lines)
        {
            foreach (var machine in line.Machines)
            {
                outlooks.Add(await ForecastAsync(line.Id, machine.Id, null, cancellationToken));
            }
        }

        return outlooks;
    }

    /// <summary>The forecast of one machine now (at its newest data), or as of <paramref name="asOf"/>.</summary>
    /// <exception cref="TelemetryStoreException">The store cannot be read.</exception>
    public async Task<RulOutlook> ForecastAsync(string line, string machine, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (asOf is null && _cache.TryGetValue((line, machine), out var cached) && now - cached.Made < CacheFor)
        {
            return cached.Outlook;
        }

        var outlook = await MakeAsync(line, machine, asOf, cancellationToken);
        if (asOf is null)
        {
            _cache[(line, machine)] = (now, outlook);
        }

        return outlook;
    }

    private async Task<RulOutlook> MakeAsync(string lineId, string machineId, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        if (_plant is null)
        {
            return new RulOutlook(lineId, machineId, null, null, "the cloud node was started without the plant configuration (--config), so it does not know the machine types");
        }

        var machine = _plant.Lines.FirstOrDefault(l => l.Id == lineId)?.Machines.FirstOrDefault(m => m.Id == machineId);
        if (machine is null)
        {
            return new RulOutlook(lineId, machineId, null, null, $"{lineId}/{machineId} is not in {_plant.SourcePath}");
        }

        var package = await FleetRulPackageAsync(machine.Type, cancellationToken);
        if (package is null)
        {
            return new RulOutlook(lineId, machineId, machine.Type, null, $"no RUL model of type {machine.Type} runs on the fleet (register one and promote it: docs/models.md)");
        }

        var manifest = package.Manifest;
        var step = TimeSpan.FromSeconds(manifest.Features[0].WindowSeconds);
        var sensors = manifest.Features.Select(f => f.SensorId).ToList();
        var missing = sensors.Where(s => machine.Sensors.All(x => x.Id != s)).ToList();
        if (missing.Count > 0)
        {
            return new RulOutlook(lineId, machineId, machine.Type, null, $"{manifest.Id} version {manifest.Version} reads {string.Join(", ", missing)}, which {machineId} does not have");
        }

        DateTimeOffset end;
        if (asOf is { } given)
        {
            end = given;
        }
        else
        {
            var latest = (await _store.LatestAsync(lineId, cancellationToken)).FirstOrDefault(m => m.Machine == machineId);
            if (latest is null || latest.Sensors.Count == 0)
            {
                return new RulOutlook(lineId, machineId, machine.Type, null, "no data from this machine yet");
            }

            end = latest.Sensors.Max(s => s.Start.AddSeconds(s.IntervalSeconds));
        }

        var runStart = await _store.LastDowntimeAsync(lineId, machineId, end, cancellationToken);
        var from = runStart ?? end - Lookback;
        var (starts, rows) = await StoredMeans.ReadAsync(_store, lineId, machineId, sensors, from, end, step, cancellationToken);

        // Whole steps only, inside the run (a bucket that began before the run's start is cut), every sensor present.
        var steps = Enumerable.Range(0, starts.Count).Where(i => starts[i] >= from && starts[i] + step <= end && rows[i].All(double.IsFinite)).ToList();
        if (steps.Count == 0)
        {
            return new RulOutlook(lineId, machineId, machine.Type, null, $"not one whole step ({step.TotalHours:0.##} h) of data since {(runStart is null ? "the first data" : $"the last repair at {runStart.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC")}");
        }

        var start = runStart ?? starts[steps[0]];
        var unit = new RulUnit($"{lineId}/{machineId}", [.. steps.Select(i => (starts[i] + step - start).TotalHours)], [.. steps.Select(i => rows[i])]);
        var predictions = package.Rul.PredictAll(unit, [.. Enumerable.Range(0, unit.Length)]);
        var prediction = predictions[^1];
        var settings = package.Rul.Settings;
        return new RulOutlook(lineId, machineId, machine.Type, new RulForecast(
            lineId,
            machineId,
            machine.Type,
            starts[steps[^1]] + step,
            prediction.Rul,
            prediction.Low,
            prediction.High,
            settings.Cap,
            start,
            steps.Count,
            $"{manifest.Id} version {manifest.Version}",
            settings.IntervalLevel,
            [.. predictions.Select((p, i) => new RulPoint(starts[steps[i]] + step, p.Rul, p.Low, p.High))]), null);
    }

    private async Task<ModelPackage?> FleetRulPackageAsync(string machineType, CancellationToken cancellationToken)
    {
        foreach (var model in (await _registry.ListAsync(cancellationToken)).Where(m => m.MachineType == machineType && m.FleetVersion is not null))
        {
            var key = (model.ModelId, model.FleetVersion!.Value);
            if (!_packages.TryGetValue(key, out var package))
            {
                package = await LoadRulAsync(model.ModelId, model.FleetVersion.Value, cancellationToken);
                _packages[key] = package;
            }

            if (package is not null)
            {
                return package;
            }
        }

        return null;
    }

    private async Task<ModelPackage?> LoadRulAsync(string modelId, int version, CancellationToken cancellationToken)
    {
        if ((await _registry.GetAsync(modelId, version, cancellationToken)).DetectorKind != ModelManifest.RulKind)
        {
            return null;
        }

        try
        {
            return ModelPackage.Load(await _registry.PackageFileAsync(modelId, version, cancellationToken));
        }
        catch (Exception e) when (e is ModelPackageException or ModelRegistryException)
        {
            _logger.LogError("The registry's {Model} version {Version} cannot be loaded for forecasts: {Reason}", modelId, version, e.Message);
            return null;
        }
    }
}
