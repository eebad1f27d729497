using System.ComponentModel;
using System.Globalization;
using Factory.Ml.Rul;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class EvaluateRulSettings : CommandSettings
{
    [CommandOption("--train <FILE>")]
    [Description("C-MAPSS training file (unit, cycle, 3 settings, 21 sensors per row, space separated); every unit runs to failure")]
    public string Train { get; init; } = "";

    [CommandOption("--test <FILE>")]
    [Description("C-MAPSS test file: units cut some time before failure")]
    public string Test { get; init; } = "";

    [CommandOption("--truth <FILE>")]
    [Description("One RUL per test unit, in unit order")]
    public string Truth { get; init; } = "";

    [CommandOption("--cap <CYCLES>")]
    [Description("RUL targets are capped here in training (default 125, the usual convention)")]
    [DefaultValue(125.0)]
    public double Cap { get; init; } = 125;

    [CommandOption("--seed <N>")]
    [Description("Seeds the calibration folds and the trees (default 1): the same seed gives the same figures")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    [CommandOption("--report <FILE>")]
    [Description("Also write an HTML report: predicted against true RUL with the intervals, and the table")]
    public string? Report { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var (name, value) in new[] { ("--train", Train), ("--test", Test), ("--truth", Truth) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return ValidationResult.Error($"{name} <file> is required.");
            }
        }

        return Cap > 0 ? ValidationResult.Success() : ValidationResult.Error("--cap must be positive.");
    }
}

/// <summary>
/// <c>factory models evaluate-rul</c>: the C-MAPSS protocol, so that anyone can reproduce our figures
/// on public data. Fits on the training file only (operating settings are not read), predicts the RUL
/// after the last row of each test unit, prints a table, and as its last line a JSON object
/// <c>{"rmse": ..., "phm08": ..., "units": ...}</c>.
/// </summary>
public sealed class EvaluateRulCommand(IAnsiConsole console) : Command<EvaluateRulSettings>
{
    public override int Execute(CommandContext context, EvaluateRulSettings settings, CancellationToken cancellationToken)
    {
        RulDataset training, test;
        IReadOnlyList<double> truth;
        try
        {
            training = CmapssFile.Read(settings.Train);
            test = CmapssFile.Read(settings.Test);
            truth = CmapssFile.ReadTruth(settings.Truth);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            console.Profile.Out.Writer.WriteLine(e.Message);
            return 1;
        }

        if (truth.Count != test.Units.Count)
        {
            console.Profile.Out.Writer.WriteLine($"{settings.Truth}: {truth.Count} RUL values for the {test.Units.Count} units of {settings.Test}; it needs one per test unit, in unit order.");
            return 1;
        }

        var options = new RulTrainingOptions { Cap = settings.Cap, Seed = settings.Seed, ExcludedColumns = ["setting1", "setting2", "setting3"] };
        var report = WorkProgress.Run("training", progress => RulEvaluation.OnTestSet(training, test, truth, options, progress));

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("unit").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("true RUL").RightAligned())
            .AddColumn(new TableColumn("predicted").RightAligned()).AddColumn(new TableColumn("error").RightAligned())
            .AddColumn(new TableColumn($"{options.IntervalLevel:P0} interval").RightAligned());
        foreach (var unit in report.Units)
        {
            table.AddRow(
                unit.Unit,
                unit.Rows.ToString(CultureInfo.InvariantCulture),
                unit.Truth.ToString("0.#", CultureInfo.InvariantCulture),
                unit.Prediction.Rul.ToString("0.0", CultureInfo.InvariantCulture),
                unit.Error.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{unit.Prediction.Low:0}–{unit.Prediction.High:0}"));
        }

        console.Write(table);
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{training.Units.Count} training units ({training.RowCount} rows), {report.Units.Count} test units; trained in {report.TrainingTime.TotalSeconds:F1} s; RMSE {report.Rmse:F2}, PHM08 {report.Phm08:F1}, {options.IntervalLevel:P0} interval covers {report.Coverage:P0}"));
        if (settings.Report is { } reportPath)
        {
            WriteReport(reportPath, settings, report);
            writer.WriteLine($"report {reportPath}");
        }

        writer.WriteLine(Summary(report));
        writer.Flush();
        return 0;
    }

    private static void WriteReport(string path, EvaluateRulSettings settings, RulEvaluationReport report) =>
        RulReport.Build(
            "RUL evaluation",
            [
                $"Trained on {settings.Train} (cap {settings.Cap}, seed {settings.Seed}) in {report.TrainingTime.TotalSeconds:F1} s; tested on {settings.Test} against {settings.Truth}.",
            ],
            report).Write(path);

    /// <summary>The last line: <c>{"rmse": r, "phm08": s, "units": n}</c>.</summary>
    internal static string Summary(RulEvaluationReport report) =>
        JsonLine.Of(("rmse", Math.Round(report.Rmse, 4)), ("phm08", Math.Round(report.Phm08, 4)), ("units", report.Units.Count));
}
