using System.ComponentModel;
using System.Globalization;
using Factory.Ml.Detectors;
using Factory.Ml.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class EvaluateAnomalySettings : CommandSettings
{
    [CommandOption("--data <PATH>")]
    [Description("A labeled CSV file, or a folder: every *.csv in it, in name order")]
    public string Data { get; init; } = "";

    [CommandOption("--label-column <NAME>")]
    [Description("The label column: a number, non-zero for an anomaly")]
    public string LabelColumn { get; init; } = "";

    [CommandOption("--train-first <N>")]
    [Description("Fit on each file's first N rows and set the threshold from them; score the rest")]
    public int TrainFirst { get; init; }

    [CommandOption("--timestamp-column <NAME>")]
    [Description("A time-stamp column (not a sensor)")]
    public string? TimestampColumn { get; init; }

    [CommandOption("--ignore-columns <NAMES>")]
    [Description("Comma-separated columns that are not sensors")]
    public string? IgnoreColumns { get; init; }

    [CommandOption("--separator <CHAR>")]
    [Description("The field separator (default ,)")]
    [DefaultValue(",")]
    public string Separator { get; init; } = ",";

    [CommandOption("--detector <KIND>")]
    [Description("The detector: robust-mahalanobis (default) or randomized-pca")]
    [DefaultValue(RobustMahalanobisKind.KindName)]
    public string Detector { get; init; } = RobustMahalanobisKind.KindName;

    [CommandOption("--false-alarm-rate <RATE>")]
    [Description("The threshold lets this share of the training rows' scores above it (default 0.01)")]
    [DefaultValue(0.01)]
    public double FalseAlarmRate { get; init; } = 0.01;

    [CommandOption("--seed <N>")]
    [Description("Seeds the detector's training (default 1)")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data))
        {
            return ValidationResult.Error("--data <csv file or folder> is required.");
        }

        if (string.IsNullOrWhiteSpace(LabelColumn))
        {
            return ValidationResult.Error("--label-column <name> is required.");
        }

        if (TrainFirst < 1)
        {
            return ValidationResult.Error("--train-first <N> is required: the number of rows of each file to fit on (at least 1).");
        }

        if (Separator is not { Length: 1 } && Separator is not "\\t" and not "tab")
        {
            return ValidationResult.Error($"--separator takes one character (or \\t); got '{Separator}'.");
        }

        if (DetectorKinds.Find(Detector) is null)
        {
            return ValidationResult.Error($"--detector: unknown detector '{Detector}'; known: {string.Join(", ", DetectorKinds.All.Select(k => k.Name))}.");
        }

        return FalseAlarmRate is > 0 and < 1 ? ValidationResult.Success() : ValidationResult.Error("--false-alarm-rate is between 0 and 1.");
    }
}

/// <summary>
/// <c>factory models evaluate-anomaly</c>: a detector judged on public labeled recordings. For each
/// file it is fitted on the first N rows, thresholded on them alone and scored on the rest; per-file
/// and overall precision, recall, F1, false-alarm and missed-alarm rates are printed, the overall ones
/// from the summed counts of all files, and as the last line a JSON object
/// <c>{"precision", "recall", "f1", "far", "mar"}</c>.
/// </summary>
public sealed class EvaluateAnomalyCommand(IAnsiConsole console) : Command<EvaluateAnomalySettings>
{
    public override int Execute(CommandContext context, EvaluateAnomalySettings settings, CancellationToken cancellationToken)
    {
        var writer = console.Profile.Out.Writer;
        List<string> files;
        if (Directory.Exists(settings.Data))
        {
            files = Directory.GetFiles(settings.Data, "*.csv").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                writer.WriteLine($"{settings.Data}: no *.csv file in the folder.");
                return 1;
            }
        }
        else if (File.Exists(settings.Data))
        {
            files = [settings.Data];
        }
        else
        {
            writer.WriteLine($"{settings.Data}: no such file or folder.");
            return 1;
        }

        var format = new LabeledTableFormat
        {
            LabelColumn = settings.LabelColumn,
            TimestampColumn = settings.TimestampColumn,
            IgnoredColumns = settings.IgnoreColumns?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            Separator = settings.Separator is "\\t" or "tab" ? '\t' : settings.Separator[0],
        };
        var detector = DetectorKinds.Find(settings.Detector)!;
        var results = new List<(TableEvaluation Result, LabeledTable Table)>();
        try
        {
            WorkProgress.Run("evaluating", progress =>
            {
                foreach (var file in files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var table = LabeledTable.Read(file, format);
                    results.Add((TableAnomalyEvaluation.Evaluate(table, settings.TrainFirst, detector, settings.FalseAlarmRate, settings.Seed), table));
                    progress.Report(results.Count / (double)files.Count);
                }

                return results.Count;
            });
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            writer.WriteLine(e.Message);
            return 1;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("file").AddColumn(new TableColumn("sensors").RightAligned())
            .AddColumn(new TableColumn("scored").RightAligned()).AddColumn(new TableColumn("anomalous").RightAligned())
            .AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("FAR").RightAligned()).AddColumn(new TableColumn("MAR").RightAligned());
        var overall = default(DetectionCounts);
        foreach (var (result, data) in results)
        {
            overall += result.Counts;
            table.AddRow(Row(Path.GetFileName(result.Path), data.Sensors.Count.ToString(CultureInfo.InvariantCulture), result.Counts));
        }

        table.AddRow(Row("overall", "", overall));
        console.Write(table);
        foreach (var (_, data) in results.Where(r => r.Table.NotRead.Count > 0))
        {
            writer.WriteLine($"{data.Path}: not numeric, not read: {string.Join(", ", data.NotRead)}");
        }

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} file(s), {detector.Name}, fitted and thresholded (false-alarm rate {settings.FalseAlarmRate}) on the first {settings.TrainFirst} rows of each; overall from the summed counts: TP {overall.TruePositives}, FP {overall.FalsePositives}, TN {overall.TrueNegatives}, FN {overall.FalseNegatives}"));
        writer.WriteLine(Summary(overall));
        writer.Flush();
        return 0;
    }

    private static string[] Row(string name, string sensors, DetectionCounts counts) =>
    [
        Markup.Escape(name), sensors, counts.Total.ToString(CultureInfo.InvariantCulture),
        (counts.TruePositives + counts.FalseNegatives).ToString(CultureInfo.InvariantCulture),
        F(counts.Precision), F(counts.Recall), F(counts.F1), F(counts.FalseAlarmRate), F(counts.MissedAlarmRate),
    ];

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The last line: <c>{"precision": p, "recall": r, "f1": f, "far": a, "mar": m}</c>.</summary>
    internal static string Summary(DetectionCounts counts) => JsonLine.Of(
        ("precision", Math.Round(counts.Precision, 6)),
        ("recall", Math.Round(counts.Recall, 6)),
        ("f1", Math.Round(counts.F1, 6)),
        ("far", Math.Round(counts.FalseAlarmRate, 6)),
        ("mar", Math.Round(counts.MissedAlarmRate, 6)));
}
