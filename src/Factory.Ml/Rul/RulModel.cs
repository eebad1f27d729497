using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Factory.Ml.Rul;

/// <summary>A predicted remaining useful life with its calibrated interval, in the dataset's time unit.</summary>
/// <param name="Rul">The point prediction (the tree regression), within [0, cap].</param>
/// <param name="Low">The interval's lower end (at least 0).</param>
/// <param name="High">The interval's upper end; at or beyond the cap it means "the cap or more".</param>
/// <param name="CurveRul">The degradation curve's own estimate.</param>
public readonly record struct RulPrediction(double Rul, double Low, double High, double CurveRul);

/// <summary>
/// A trained RUL model: window features (<see cref="RulFeatureSpec"/>), a health index and its
/// degradation curve (<see cref="DegradationCurve"/>), a FastTree regression of the capped RUL on
/// both, and a split-conformal interval scaled by the curve's spread. Thread-safe for prediction.
/// </summary>
public sealed class RulModel
{
    private const string ModelEntry = "rul-model.zip";
    private const string SettingsEntry = "rul.json";

    private readonly MLContext _ml;
    private readonly ITransformer _regression;
    private readonly Microsoft.Extensions.ObjectPool.ObjectPool<PredictionEngine<RulRow, RulScore>> _engines;

    internal RulModel(RulModelSettings settings, MLContext ml, ITransformer regression)
    {
        Settings = settings;
        _ml = ml;
        _regression = regression;
        _engines = new Microsoft.Extensions.ObjectPool.DefaultObjectPool<PredictionEngine<RulRow, RulScore>>(
            new EnginePolicy(ml, regression, settings.Spec.Count + CurveFeatures));
    }

    /// <summary>The features, the health index, the cap, the interval and its calibration.</summary>
    public RulModelSettings Settings { get; }

    /// <summary>Features the curve adds to the window features: the index, its slope, the curve's RUL and spread.</summary>
    internal const int CurveFeatures = 4;

    /// <summary>The RUL after the last row of <paramref name="unit"/> (a unit still running).</summary>
    public RulPrediction Predict(RulUnit unit) => PredictAll(unit, [unit.Length - 1])[0];

    /// <summary>The RUL after each of <paramref name="rows"/> of <paramref name="unit"/>, each from the rows up to it only.</summary>
    public IReadOnlyList<RulPrediction> PredictAll(RulUnit unit, IReadOnlyList<int> rows)
    {
        if (unit.Length == 0)
        {
            throw new ArgumentException($"Unit {unit.Id} has no rows.", nameof(unit));
        }

        CheckWidth(unit);
        var vectors = RulTrainer.Vectors(Settings.Spec, Settings.Health, unit, Settings.Cap);
        var engine = _engines.Get();
        try
        {
            var predictions = new RulPrediction[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                var vector = vectors[rows[i]];
                var rul = Math.Clamp(engine.Predict(new RulRow { Features = vector }).Score, 0, Settings.Cap);
                var spread = vector[^1];
                var half = Settings.IntervalFactors[IntervalBands.Of(Settings.IntervalBands, rul)] * Math.Max(spread, Settings.MinimumSpread);
                predictions[i] = new RulPrediction(rul, Math.Max(0, rul - half), rul + half, vector[^2]);
            }

            return predictions;
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>Writes the model (ML.NET model and settings) as a zip to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var entry = zip.CreateEntry(ModelEntry, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using (var model = entry.Open())
        using (var buffer = new MemoryStream())
        {
            _ml.Model.Save(_regression, RulTrainer.InputSchema(_ml, Settings.Spec.Count + CurveFeatures), buffer);
            buffer.Position = 0;
            buffer.CopyTo(model);
        }

        var settings = zip.CreateEntry(SettingsEntry, CompressionLevel.Optimal);
        settings.LastWriteTime = entry.LastWriteTime;
        using var json = settings.Open();
        JsonSerializer.Serialize(json, Settings, RulJsonContext.Default.RulModelSettings);
    }

    /// <summary>Reads a model <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">Not such a model, naming <paramref name="source"/> and what is wrong.</exception>
    public static RulModel Load(Stream stream, string source)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var settingsEntry = zip.GetEntry(SettingsEntry) ?? throw new InvalidDataException($"{source}: no {SettingsEntry} entry; not a RUL model.");
            var modelEntry = zip.GetEntry(ModelEntry) ?? throw new InvalidDataException($"{source}: no {ModelEntry} entry; not a RUL model.");
            RulModelSettings settings;
            using (var json = settingsEntry.Open())
            {
                settings = JsonSerializer.Deserialize(json, RulJsonContext.Default.RulModelSettings)
                    ?? throw new InvalidDataException($"{source}: {SettingsEntry} is empty.");
            }

            if (settings.IntervalFactors.Count != settings.IntervalBands.Count || settings.IntervalBands.Count == 0)
            {
                throw new InvalidDataException($"{source}: {SettingsEntry}: {settings.IntervalBands.Count} interval bands but {settings.IntervalFactors.Count} factors.");
            }

            if (settings.Health.Weights.Length != settings.Spec.Columns.Count || settings.Spec.ColumnNames.Count != settings.Spec.Columns.Count)
            {
                throw new InvalidDataException($"{source}: {SettingsEntry}: {settings.Spec.Columns.Count} columns but {settings.Health.Weights.Length} health-index weights.");
            }

            var ml = new MLContext(0);
            using var buffer = new MemoryStream();
            using (var model = modelEntry.Open())
            {
                model.CopyTo(buffer);
            }

            buffer.Position = 0;
            var regression = ml.Model.Load(buffer, out var schema);
            var width = schema[nameof(RulRow.Features)].Type is VectorDataViewType vector ? vector.Size : 0;
            if (width != settings.Spec.Count + CurveFeatures)
            {
                throw new InvalidDataException($"{source}: the regression reads {width} features; the settings describe {settings.Spec.Count + CurveFeatures}.");
            }

            return new RulModel(settings, ml, regression);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or NullReferenceException
            || (e is InvalidDataException && !e.Message.StartsWith(source + ":", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"{source}: not a readable RUL model: {e.Message}", e);
        }
    }

    private void CheckWidth(RulUnit unit)
    {
        var needed = Settings.Spec.Columns.Max() + 1;
        if (unit.Rows.Any(r => r.Length < needed))
        {
            throw new ArgumentException($"Unit {unit.Id} has rows of fewer than the {needed} columns the model reads ({string.Join(", ", Settings.Spec.ColumnNames)}).", nameof(unit));
        }
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model, int width) : Microsoft.Extensions.ObjectPool.IPooledObjectPolicy<PredictionEngine<RulRow, RulScore>>
    {
        public PredictionEngine<RulRow, RulScore> Create() =>
            ml.Model.CreatePredictionEngine<RulRow, RulScore>(model, inputSchemaDefinition: RulRow.SchemaFor(width));

        public bool Return(PredictionEngine<RulRow, RulScore> engine) => true;
    }
}

/// <summary>What a RUL model is besides its regression: saved as JSON beside it.</summary>
/// <param name="Spec">The window features.</param>
/// <param name="Health">The health index.</param>
/// <param name="Cap">RUL targets are capped here (125 cycles for C-MAPSS).</param>
/// <param name="IntervalLevel">The nominal coverage of the interval, e.g. 0.9.</param>
/// <param name="IntervalBands">The lower bounds of the bands of predicted RUL with their own factor.</param>
/// <param name="IntervalFactors">The calibrated half-width per unit of spread, per band.</param>
/// <param name="MinimumSpread">The spread is at least this (in time units), so an interval never collapses.</param>
/// <param name="FeatureNames">The regression's features, in order.</param>
/// <param name="Calibration">How the interval was calibrated: residuals, folds, out-of-fold figures.</param>
public sealed record RulModelSettings(
    RulFeatureSpec Spec,
    HealthIndex Health,
    double Cap,
    double IntervalLevel,
    IReadOnlyList<double> IntervalBands,
    IReadOnlyList<double> IntervalFactors,
    double MinimumSpread,
    IReadOnlyList<string> FeatureNames,
    RulCalibration Calibration);

/// <summary>The out-of-fold figures of training: the interval was calibrated on these residuals.</summary>
public sealed record RulCalibration(int Folds, int Residuals, double OutOfFoldRmse, double OutOfFoldCoverage);

internal sealed class RulRow
{
    public float[] Features { get; set; } = [];

    public float Label { get; set; }

    public static SchemaDefinition SchemaFor(int width)
    {
        var definition = SchemaDefinition.Create(typeof(RulRow));
        definition[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return definition;
    }
}

internal sealed class RulScore
{
    public float Score { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RulModelSettings))]
internal sealed partial class RulJsonContext : JsonSerializerContext;
