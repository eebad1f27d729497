using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Factory.Ml.Rul;

/// <summary>How a RUL model is trained; the defaults are those measured on C-MAPSS FD001 (docs/models.md).</summary>
public sealed record RulTrainingOptions
{
    /// <summary>RUL targets are capped here: early in life the remaining life cannot be seen in the sensors.</summary>
    public double Cap { get; init; } = 125;

    /// <summary>Seeds the fold split and the trees: the same seed and data give the same model.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Columns never read (operating settings, ground-truth columns).</summary>
    public IReadOnlyList<string> ExcludedColumns { get; init; } = [];

    /// <summary>The nominal coverage of the interval.</summary>
    public double IntervalLevel { get; init; } = 0.9;

    /// <summary>Folds over units for the out-of-fold residuals the interval is calibrated on (at least 2).</summary>
    public int CalibrationFolds { get; init; } = 3;

    /// <summary>Every this many rows of an out-of-fold unit is a calibration point.</summary>
    public int CalibrationStride { get; init; } = 5;

    /// <summary>Rows a unit needs before a calibration point (the official C-MAPSS test units have at least 31).</summary>
    public int MinimumHistory { get; init; } = 30;

    public int Trees { get; init; } = 150;

    public int Leaves { get; init; } = 24;

    public double LearningRate { get; init; } = 0.1;

    public int MinimumRowsPerLeaf { get; init; } = 20;

    /// <summary>The window features; null derives them from the data (<see cref="RulFeatureSpec.For"/>).</summary>
    public RulFeatureSpec? Features { get; init; }
}

/// <summary>
/// Trains <see cref="RulModel"/>s: the curve and the regression on every training unit, and the
/// interval on out-of-fold residuals (cross-conformal: each fold's units predicted by a model
/// trained without them, at every <see cref="RulTrainingOptions.CalibrationStride"/>-th row).
/// </summary>
public static class RulTrainer
{
    /// <summary>Trains on the units of <paramref name="training"/>, all of which ran to failure at their last row.</summary>
    /// <param name="progress">Receives the share of the work done, 0 to 1.</param>
    public static RulModel Train(RulDataset training, RulTrainingOptions options, IProgress<double>? progress = null)
    {
        if (training.Units.Count < options.CalibrationFolds || options.CalibrationFolds < 2)
        {
            throw new ArgumentException($"Training needs at least {Math.Max(2, options.CalibrationFolds)} units for {options.CalibrationFolds}-fold calibration; the data has {training.Units.Count}.");
        }

        var spec = options.Features ?? RulFeatureSpec.For(training, options.ExcludedColumns);
        var random = new Random(options.Seed);
        var order = training.Units.Select((_, i) => i).OrderBy(_ => random.Next()).ToArray();
        var fold = new int[training.Units.Count];
        for (var i = 0; i < order.Length; i++)
        {
            fold[order[i]] = i % options.CalibrationFolds;
        }

        var features = training.Units.Select(u => (Unit: u, Features: WindowFeatures(spec, u))).ToList();

        // The folds and the final fit are independent: they run side by side, one thread each, and each
        // is seeded, so the result does not depend on the order they finish in.
        var fits = new (HealthIndex Health, ITransformer Regression, MLContext Ml)[options.CalibrationFolds + 1];
        var done = 0;
        Parallel.For(0, fits.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, f =>
        {
            fits[f] = Fit(spec, Enumerable.Range(0, features.Count).Where(i => fold[i] != f).Select(i => features[i]).ToList(), options);
            progress?.Report(Interlocked.Increment(ref done) / (double)fits.Length);
        });

        var ratios = new List<(double Predicted, double Ratio)>();
        var squared = new List<double>();
        for (var f = 0; f < options.CalibrationFolds; f++)
        {
            var (health, regression, ml) = fits[f];
            var engine = ml.Model.CreatePredictionEngine<RulRow, RulScore>(regression, inputSchemaDefinition: RulRow.SchemaFor(spec.Count + RulModel.CurveFeatures));
            foreach (var (unit, windows) in Enumerable.Range(0, features.Count).Where(i => fold[i] == f).Select(i => features[i]))
            {
                var vectors = Vectors(spec, health, unit, windows, options.Cap);
                for (var row = Math.Min(options.MinimumHistory, unit.Length - 1); row < unit.Length; row += options.CalibrationStride)
                {
                    var truth = Math.Min(unit.RulAt(row), options.Cap);
                    var predicted = Math.Clamp(engine.Predict(new RulRow { Features = vectors[row] }).Score, 0, options.Cap);
                    var spread = Math.Max(vectors[row][^1], MinimumSpread);
                    ratios.Add((predicted, Math.Abs(truth - predicted) / spread));
                    squared.Add((truth - predicted) * (truth - predicted));
                }
            }
        }

        // Mondrian conformal: one factor per band of the predicted RUL, so the interval holds its level
        // near failure as well as early in life, whatever mix of the two a test set has.
        var bands = IntervalBands.For(options.Cap);
        var factors = bands.Select((_, b) =>
        {
            var inBand = ratios.Where(r => IntervalBands.Of(bands, r.Predicted) == b).Select(r => r.Ratio).ToList();
            return inBand.Count > 0 ? ConformalQuantile(inBand, options.IntervalLevel) : ConformalQuantile(ratios.Select(r => r.Ratio).ToList(), options.IntervalLevel);
        }).ToArray();
        var covered = ratios.Count(r => r.Ratio <= factors[IntervalBands.Of(bands, r.Predicted)]);
        var (finalHealth, finalRegression, finalMl) = fits[^1];
        var settings = new RulModelSettings(
            spec,
            finalHealth,
            options.Cap,
            options.IntervalLevel,
            bands,
            factors,
            MinimumSpread,
            [.. spec.FeatureNames(), "health", "health.slope", "curve.rul", "curve.spread"],
            new RulCalibration(options.CalibrationFolds, ratios.Count, Math.Sqrt(squared.Average()), covered / (double)ratios.Count));
        return new RulModel(settings, finalMl, finalRegression);
    }

    /// <summary>The spread never counts as less than this many time units.</summary>
    public const double MinimumSpread = 2;

    /// <summary>
    /// The split-conformal quantile: the ⌈(n + 1)·level⌉-th smallest of the n scores, which covers a
    /// new exchangeable score with probability at least <paramref name="level"/>.
    /// </summary>
    public static double ConformalQuantile(IReadOnlyList<double> scores, double level)
    {
        if (scores.Count == 0)
        {
            throw new ArgumentException("No calibration residuals.", nameof(scores));
        }

        var sorted = scores.Order().ToArray();
        var rank = (int)Math.Ceiling((sorted.Length + 1) * level);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    internal static float[][] WindowFeatures(RulFeatureSpec spec, RulUnit unit)
    {
        var rows = new float[unit.Length][];
        for (var i = 0; i < unit.Length; i++)
        {
            rows[i] = new float[spec.Count];
            spec.Compute(unit, i, rows[i]);
        }

        return rows;
    }

    /// <summary>The regression's input per row: the window features, then the index, its slope, the curve's RUL and spread.</summary>
    internal static float[][] Vectors(RulFeatureSpec spec, HealthIndex health, RulUnit unit, double cap) =>
        Vectors(spec, health, unit, WindowFeatures(spec, unit), cap);

    private static float[][] Vectors(RulFeatureSpec spec, HealthIndex health, RulUnit unit, float[][] windows, double cap)
    {
        var index = windows.Select(w => health.Of(w)).ToArray();
        var vectors = new float[unit.Length][];
        for (var i = 0; i < unit.Length; i++)
        {
            var (rul, spread, slope) = DegradationCurve.At(unit.Times, index, i, cap);
            var vector = new float[spec.Count + RulModel.CurveFeatures];
            windows[i].CopyTo(vector, 0);
            vector[spec.Count] = (float)index[i];
            vector[spec.Count + 1] = (float)(slope * cap);
            vector[spec.Count + 2] = (float)rul;
            vector[spec.Count + 3] = (float)spread;
            vectors[i] = vector;
        }

        return vectors;
    }

    internal static DataViewSchema InputSchema(MLContext ml, int width) =>
        ml.Data.LoadFromEnumerable(Array.Empty<RulRow>(), RulRow.SchemaFor(width)).Schema;

    private static (HealthIndex Health, ITransformer Regression, MLContext Ml) Fit(RulFeatureSpec spec, IReadOnlyList<(RulUnit Unit, float[][] Features)> units, RulTrainingOptions options)
    {
        var health = HealthIndex.Fit(spec, units, options.Cap);
        var rows = new List<RulRow>();
        foreach (var (unit, windows) in units)
        {
            var vectors = Vectors(spec, health, unit, windows, options.Cap);
            for (var i = 0; i < unit.Length; i++)
            {
                rows.Add(new RulRow { Features = vectors[i], Label = (float)Math.Min(unit.RulAt(i), options.Cap) });
            }
        }

        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows, RulRow.SchemaFor(spec.Count + RulModel.CurveFeatures));
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            FeatureColumnName = nameof(RulRow.Features),
            LabelColumnName = nameof(RulRow.Label),
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinimumRowsPerLeaf,
            NumberOfThreads = 1,
            Seed = options.Seed,
            FeatureFraction = 0.8,
            Shrinkage = 1,
        });
        return (health, trainer.Fit(data), ml);
    }
}

/// <summary>The bands of predicted RUL that get their own interval factor: thirds of the cap.</summary>
public static class IntervalBands
{
    /// <summary>The lower bounds of the bands: 0, cap/3, 2·cap/3.</summary>
    public static double[] For(double cap) => [0, cap / 3, 2 * cap / 3];

    /// <summary>The band a prediction falls into.</summary>
    public static int Of(IReadOnlyList<double> lowerBounds, double predicted)
    {
        var band = 0;
        for (var b = 1; b < lowerBounds.Count; b++)
        {
            if (predicted >= lowerBounds[b])
            {
                band = b;
            }
        }

        return band;
    }
}
