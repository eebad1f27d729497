using System.Diagnostics;

namespace Factory.Ml.Rul;

/// <summary>One test unit's outcome: the truth after its last row and the prediction there.</summary>
public sealed record RulUnitOutcome(string Unit, int Rows, double Truth, RulPrediction Prediction)
{
    /// <summary>Predicted minus true: positive is late (the worse error).</summary>
    public double Error => Prediction.Rul - Truth;
}

/// <summary>The outcome of an evaluation: per unit, and RMSE, PHM08 score and interval coverage over all units.</summary>
public sealed record RulEvaluationReport(
    IReadOnlyList<RulUnitOutcome> Units,
    double Rmse,
    double Phm08,
    double Coverage,
    TimeSpan TrainingTime,
    RulModelSettings Model)
{
    internal static RulEvaluationReport Of(IReadOnlyList<RulUnitOutcome> units, TimeSpan trainingTime, RulModelSettings model)
    {
        var truth = units.Select(u => u.Truth).ToList();
        var predicted = units.Select(u => u.Prediction.Rul).ToList();
        return new RulEvaluationReport(
            units,
            RulMetrics.Rmse(predicted, truth),
            RulMetrics.Phm08(predicted, truth),
            RulMetrics.Coverage(units.Select(u => u.Prediction).ToList(), truth),
            trainingTime,
            model);
    }
}

/// <summary>The two ways a RUL model is evaluated: on a separate test set with its truth, and on held-out units cut at random.</summary>
public static class RulEvaluation
{
    /// <summary>
    /// Fits on <paramref name="training"/> only and predicts the RUL after the last row of each unit of
    /// <paramref name="test"/>; <paramref name="truth"/> holds one RUL per test unit, in unit order
    /// (the C-MAPSS protocol). Errors are taken against the truth as given.
    /// </summary>
    public static RulEvaluationReport OnTestSet(RulDataset training, RulDataset test, IReadOnlyList<double> truth, RulTrainingOptions options, IProgress<double>? progress = null)
    {
        if (truth.Count != test.Units.Count)
        {
            throw new ArgumentException($"The truth holds {truth.Count} values for {test.Units.Count} test units; it needs one per test unit, in unit order.");
        }

        var clock = Stopwatch.StartNew();
        var model = RulTrainer.Train(training, options, progress);
        var trainingTime = clock.Elapsed;
        var outcomes = test.Units.Select((u, i) => new RulUnitOutcome(u.Id, u.Length, truth[i], model.Predict(u))).ToList();
        return RulEvaluationReport.Of(outcomes, trainingTime, model.Settings);
    }

    /// <summary>
    /// Holds out <paramref name="heldOutShare"/> of the units (chosen with <paramref name="seed"/>), fits on the
    /// rest, cuts each held-out unit after a random row (uniform from row <see cref="RulTrainingOptions.MinimumHistory"/>
    /// to its last) and scores the RUL predicted there against the true RUL capped at the model's cap (a capped model
    /// cannot tell 200 from 125 remaining, and the cap is the convention).
    /// </summary>
    public static RulEvaluationReport HoldOut(RulDataset data, double heldOutShare, int seed, RulTrainingOptions options, IProgress<double>? progress = null) =>
        HoldOutWithModel(data, heldOutShare, seed, options, progress).Report;

    /// <summary><see cref="HoldOut"/>, and the model it trained on the units not held out (the one its figures describe).</summary>
    public static (RulEvaluationReport Report, RulModel Model) HoldOutWithModel(RulDataset data, double heldOutShare, int seed, RulTrainingOptions options, IProgress<double>? progress = null)
    {
        var random = new Random(seed);
        var shuffled = data.Units.OrderBy(_ => random.Next()).ToList();
        var heldOutCount = Math.Clamp((int)Math.Round(data.Units.Count * heldOutShare), 1, data.Units.Count - options.CalibrationFolds);
        var heldOut = shuffled.Take(heldOutCount).ToList();
        var training = data.Subset(shuffled.Skip(heldOutCount).Select(u => u.Id));
        var clock = Stopwatch.StartNew();
        var model = RulTrainer.Train(training, options with { Seed = seed }, progress);
        var trainingTime = clock.Elapsed;
        var outcomes = new List<RulUnitOutcome>();
        foreach (var unit in heldOut.OrderBy(u => u.Id, StringComparer.Ordinal))
        {
            var first = Math.Min(options.MinimumHistory, unit.Length - 1);
            var cut = random.Next(first, unit.Length);
            var truth = Math.Min(unit.RulAt(cut), options.Cap);
            outcomes.Add(new RulUnitOutcome(unit.Id, cut + 1, truth, model.Predict(unit.CutAfter(cut))));
        }

        return (RulEvaluationReport.Of(outcomes, trainingTime, model.Settings), model);
    }
}
