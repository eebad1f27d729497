using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Plant.Model;

namespace Factory.Ml.Rul;

/// <summary>What a RUL package is trained from: runs to failure of one machine type, and how.</summary>
/// <param name="Step">The time step the rows are means over; the package's inputs name it as their window.</param>
/// <param name="HeldOut">The share of runs held out to measure the model (each cut at a random step).</param>
/// <param name="From">Start of the history the runs come from (the manifest's training range).</param>
/// <param name="To">End of that history.</param>
/// <param name="Version">The package's version; <paramref name="ParentVersion"/> the one it follows.</param>
public sealed record RulPackageRequest(
    string MachineType,
    RulDataset Data,
    TimeSpan Step,
    double CapHours,
    int Seed,
    double HeldOut,
    DateTimeOffset From,
    DateTimeOffset To,
    int Version,
    int? ParentVersion,
    string Creator);

/// <summary>A RUL package written: its manifest, the held-out evaluation and a constant guess to compare with.</summary>
public sealed record RulPackageResult(ModelManifest Manifest, RulEvaluationReport Report, double ConstantBaselineRmse);

/// <summary>Too few runs to failure to train and measure a model; the message says how many there are and how many are needed.</summary>
public sealed class RulTrainingDataException(string message) : Exception(message);

/// <summary>
/// Trains a RUL model on runs to failure, measures it on held-out runs, and writes the package
/// with its metrics: one procedure for <c>factory models train-rul</c> and the cloud's training jobs.
/// </summary>
public static class RulPackageTraining
{
    /// <summary>A run to failure needs this many complete steps to become a unit (the model's longest window, and a curve).</summary>
    public const int MinimumSteps = 48;

    /// <summary>The package id of a type's RUL model.</summary>
    public static string ModelId(string machineType) => $"{machineType}-rul";

    /// <exception cref="RulTrainingDataException">Too few runs to hold some out and calibrate on the rest.</exception>
    public static RulPackageResult Train(RulPackageRequest request, string path, IProgress<double>? progress = null)
    {
        var options = new RulTrainingOptions { Cap = request.CapHours, Seed = request.Seed };
        var heldOut = (int)Math.Round(request.Data.Units.Count * request.HeldOut);
        if (heldOut < 1 || request.Data.Units.Count - heldOut < options.CalibrationFolds * 2)
        {
            throw new RulTrainingDataException(
                $"{request.MachineType}: {request.Data.Units.Count} runs to failure of at least {MinimumSteps} steps between {request.From:u} and {request.To:u}; training needs {options.CalibrationFolds * 2 + 1} or more: take a longer range or history.");
        }

        var (report, model) = RulEvaluation.HoldOutWithModel(request.Data, request.HeldOut, request.Seed, options, progress);
        var mean = report.Units.Average(u => u.Truth);
        var baseline = Math.Sqrt(report.Units.Average(u => (u.Truth - mean) * (u.Truth - mean)));
        var inputs = request.Data.SensorNames.Select(s => new FeatureDefinition(s, FeatureStatistic.Mean, (int)request.Step.TotalSeconds)).ToList();
        var manifest = ModelPackageWriter.WriteRul(path, new ModelPackageInfo
        {
            Id = ModelId(request.MachineType),
            Version = request.Version,
            MachineType = request.MachineType,
            Threshold = 0,
            TargetFalseAlarmRate = 0,
            TrainingFrom = request.From,
            TrainingTo = request.To,
            TrainingDataHash = ModelPackageWriter.HashOf(request.Data.Units.SelectMany(u => u.Rows.Select(r => r.Select(v => (float)v).ToArray()))),
            Metrics = new Dictionary<string, double>
            {
                ["heldOutRmseHours"] = Math.Round(report.Rmse, 3),
                ["heldOutPhm08"] = Math.Round(report.Phm08, 3),
                ["heldOutCoverage"] = Math.Round(report.Coverage, 4),
                ["heldOutUnits"] = report.Units.Count,
                ["trainingUnits"] = request.Data.Units.Count - report.Units.Count,
                ["constantBaselineRmseHours"] = Math.Round(baseline, 3),
                ["outOfFoldRmseHours"] = Math.Round(model.Settings.Calibration.OutOfFoldRmse, 3),
                ["capHours"] = request.CapHours,
                ["stepSeconds"] = request.Step.TotalSeconds,
                ["intervalLevel"] = options.IntervalLevel,
            },
            Creator = request.Creator,
            Created = DateTimeOffset.UtcNow,
            ParentVersion = request.ParentVersion,
        }, inputs, model);
        return new RulPackageResult(manifest, report, baseline);
    }
}
