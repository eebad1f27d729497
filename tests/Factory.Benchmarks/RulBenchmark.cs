using System.Globalization;
using Factory.Ml.Rul;

namespace Factory.Benchmarks;

/// <summary>
/// RUL accuracy and training time on C-MAPSS (docs/models.md): for each seed, 20 % of the units of a
/// training file held out, the model trained on the rest, each held-out unit cut after a random cycle
/// and the RUL predicted there scored against the truth capped at 125.
/// <code>dotnet run -c Release --project tests/Factory.Benchmarks -- rul-holdout --data ../shared/datasets/cmapss/train_FD001.txt --seeds 1,2,3,4,5</code>
/// </summary>
internal static class RulBenchmark
{
    public static int Run(string[] args)
    {
        var path = BenchmarkArguments.Text(args, "--data")
            ?? throw new ArgumentException("--data <C-MAPSS training file> is required, e.g. ../shared/datasets/cmapss/train_FD001.txt");
        var seeds = (BenchmarkArguments.Text(args, "--seeds") ?? "1,2,3,4,5").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var share = double.Parse(BenchmarkArguments.Text(args, "--held-out") ?? "0.2", CultureInfo.InvariantCulture);
        var data = CmapssFile.Read(path);
        var options = new RulTrainingOptions { ExcludedColumns = ["setting1", "setting2", "setting3"] };
        if (BenchmarkArguments.Text(args, "--trees") is { } trees)
        {
            options = options with { Trees = int.Parse(trees, CultureInfo.InvariantCulture) };
        }

        if (BenchmarkArguments.Text(args, "--folds") is { } folds)
        {
            options = options with { CalibrationFolds = int.Parse(folds, CultureInfo.InvariantCulture) };
        }
        Console.WriteLine($"{Path.GetFileName(path)}: {data.Units.Count} units, {data.RowCount} rows; {share:P0} held out per seed; {Environment.ProcessorCount} cores");
        Console.WriteLine("seed  held-out  train s  RMSE   PHM08   90% coverage  out-of-fold RMSE");
        var reports = new List<RulEvaluationReport>();
        foreach (var seed in seeds)
        {
            var report = RulEvaluation.HoldOut(data, share, seed, options);
            reports.Add(report);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{seed,4}  {report.Units.Count,8}  {report.TrainingTime.TotalSeconds,7:F1}  {report.Rmse,5:F2}  {report.Phm08,6:F1}  {report.Coverage,12:P0}  {report.Model.Calibration.OutOfFoldRmse,16:F2}"));
        }

        var all = reports.SelectMany(r => r.Units).ToList();
        var pooledRmse = RulMetrics.Rmse(all.Select(u => u.Prediction.Rul).ToList(), all.Select(u => u.Truth).ToList());
        var coverage = RulMetrics.Coverage(all.Select(u => u.Prediction).ToList(), all.Select(u => u.Truth).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pooled over {all.Count} held-out units: RMSE {pooledRmse:F2}, coverage of the 90 % interval {coverage:P1}, training {reports.Min(r => r.TrainingTime.TotalSeconds):F1}-{reports.Max(r => r.TrainingTime.TotalSeconds):F1} s"));
        return 0;
    }
}
