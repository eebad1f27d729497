using System.ComponentModel;
using Factory.Host.Commands.Simulate;
using Factory.Ml.Detectors;
using Factory.Ml.Packages;
using Factory.Ml.Training;
using Factory.Plant.Model;
using Factory.Simulator.Faults;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public class ModelTrainingSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("The plant configuration (default: plant-config/sample-plant.yaml, looked for from the current folder up)")]
    public string? Config { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seeds the simulated history and the detectors (train: 1, evaluate: 1001, history training never saw); the same seed gives the same metrics")]
    public int? Seed { get; init; }

    /// <summary>The seed given, or the command's own default.</summary>
    internal virtual int DefaultSeed => 1;

    internal int EffectiveSeed => Seed ?? DefaultSeed;

    [CommandOption("--healthy <DURATION>")]
    [Description("Healthy history per machine: 3/4 to train on, 1/4 held out (default 2h)")]
    [DefaultValue("2h")]
    public string Healthy { get; init; } = "2h";

    [CommandOption("--fault-lead <DURATION>")]
    [Description("In the runs to failure, the fault's onset after the start (default 15m)")]
    [DefaultValue("15m")]
    public string FaultLead { get; init; } = "15m";

    [CommandOption("--fault-duration <DURATION>")]
    [Description("In the runs to failure, the time from onset to failure (default 45m)")]
    [DefaultValue("45m")]
    public string FaultDuration { get; init; } = "45m";

    [CommandOption("--false-alarm-rate <RATE>")]
    [Description("The threshold's false-alarm rate on held-out healthy windows (default 0.001)")]
    [DefaultValue(0.001)]
    public double FalseAlarmRate { get; init; } = 0.001;

    [CommandOption("--report <FOLDER>")]
    [Description("Where the HTML reports go (default: reports/ under the output folder)")]
    public string? Report { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var (name, text) in new[] { ("--healthy", Healthy), ("--fault-lead", FaultLead), ("--fault-duration", FaultDuration) })
        {
            if (!SimulationDuration.TryParse(text, out var duration, out var error) || duration <= TimeSpan.Zero)
            {
                return ValidationResult.Error($"{name}: {error ?? "must be positive"}");
            }
        }

        return FalseAlarmRate is > 0 and < 1 ? ValidationResult.Success() : ValidationResult.Error("--false-alarm-rate is between 0 and 1.");
    }

    internal HistorySpan Span() => new((ulong)EffectiveSeed, SimulationDuration.Parse(Healthy), SimulationDuration.Parse(FaultLead), SimulationDuration.Parse(FaultDuration));
}

public sealed class TrainSettings : ModelTrainingSettings
{
    [CommandOption("--type <ID>")]
    [Description("A machine type to train (repeatable; default: every type with machines)")]
    public string[] Types { get; init; } = [];

    [CommandOption("--out <FOLDER>")]
    [Description("Where the packages go (default: models); the version follows the highest there")]
    [DefaultValue("models")]
    public string Out { get; init; } = "models";

    [CommandOption("--detector <KIND>")]
    [Description("Package this detector instead of the comparison's best: randomized-pca, robust-mahalanobis, kmeans-distance")]
    public string? Detector { get; init; }

    [CommandOption("--creator <NAME>")]
    [Description("Who trained it, for the manifest (default: the user name)")]
    public string? Creator { get; init; }

    public override ValidationResult Validate() =>
        Detector is not null && DetectorKinds.Find(Detector) is null
            ? ValidationResult.Error($"--detector: unknown detector '{Detector}'; known: {string.Join(", ", DetectorKinds.All.Select(k => k.Name))}.")
            : base.Validate();
}

/// <summary>
/// <c>factory models train</c>: per machine type, the simulated plant's labeled history of every machine
/// of the type (<see cref="SimulatedMachineHistory"/>), every detector kind trained on it and compared,
/// the best (or the one asked for) packaged with its threshold for the false-alarm rate, its metrics and
/// its parent version, and an HTML report with the comparison, ROC and precision-recall curves and score
/// timelines.
/// </summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        if (PlantSetup.TryLoadConfig(settings.Config, console.Profile.Out.Writer) is not { } plant)
        {
            return 1;
        }

        var types = settings.Types.Length > 0
            ? settings.Types.Select(id => plant.MachineTypes.FirstOrDefault(t => t.Id == id)).ToList()
            : plant.MachineTypes.Where(t => plant.Machines.Any(m => m.Type == t.Id)).ToList<MachineType?>();
        if (types.IndexOf(null) is var missing and >= 0)
        {
            console.Profile.Out.Writer.WriteLine($"{plant.SourcePath}: no machine type '{settings.Types[missing]}' (types: {string.Join(", ", plant.MachineTypes.Select(t => t.Id))}).");
            return 1;
        }

        var reportFolder = settings.Report ?? Path.Combine(settings.Out, "reports");
        foreach (var type in types.OfType<MachineType>())
        {
            var history = WorkProgress.Run($"{type.Id}: simulating", progress => SimulatedMachineHistory.For(plant, type, settings.Span(), progress, cancellationToken));
            var results = WorkProgress.Run($"{type.Id}: comparing detectors", progress =>
                DetectorComparer.Compare(history.Training, history.HeldOut, history.Faulty, DetectorKinds.All, settings.FalseAlarmRate, new AlarmRule(), settings.EffectiveSeed, progress));
            var chosen = settings.Detector is { } kind ? results.Single(r => r.Kind == kind) : DetectorComparer.Choose(results);

            var id = type.Model ?? $"{type.Id}-anomaly";
            var parent = ExistingVersions(settings.Out, id).DefaultIfEmpty(0).Max();
            Directory.CreateDirectory(settings.Out);
            var path = Path.Combine(settings.Out, $"{id}-{parent + 1}{ModelPackage.FileExtension}");
            var manifest = ModelPackageWriter.Write(path, new ModelPackageInfo
            {
                Id = id,
                Version = parent + 1,
                MachineType = type.Id,
                Threshold = chosen.Threshold,
                TargetFalseAlarmRate = settings.FalseAlarmRate,
                TrainingFrom = history.From,
                TrainingTo = history.To,
                TrainingDataHash = ModelPackageWriter.HashOf(history.Training),
                Metrics = Metrics(chosen, results, history),
                Creator = $"factory models train ({settings.Creator ?? Environment.UserName})",
                Created = DateTimeOffset.UtcNow,
                ParentVersion = parent > 0 ? parent : null,
            }, history.Schema, chosen.Model);

            var table = new Table().Border(TableBorder.Simple).Title($"{type.Id}: {history.Machines.Count} machines, {history.Training.Count} training and {history.HeldOut.Sum(m => m.Vectors.Count)} held-out healthy windows, {history.Faulty.Count} runs to failure");
            foreach (var column in AnomalyReport.Header)
            {
                table.AddColumn(column);
            }

            foreach (var result in results)
            {
                table.AddRow(AnomalyReport.Row(result).Select(c => result == chosen ? $"[bold]{Markup.Escape(c)}[/]" : Markup.Escape(c)).ToArray());
            }

            console.Write(table);
            var reportPath = Path.Combine(reportFolder, $"{id}-{parent + 1}.html");
            AnomalyReport.Build(
                $"{id} version {parent + 1}: training report",
                [
                    $"Machine type {type.Id} of {plant.SourcePath}; machines {string.Join(", ", history.Machines)}.",
                    $"Simulated history seed {settings.EffectiveSeed}: {settings.Healthy} healthy per machine from {history.From:u} (3/4 trained on, 1/4 held out), and a run to failure per machine with a fault {settings.FaultLead} in, failing {settings.FaultDuration} after its onset.",
                    $"Threshold for a false-alarm rate of {settings.FalseAlarmRate} on the held-out healthy windows; alarms judged with the edge's debounce (2 scores above to raise).",
                    $"Packaged: {chosen.Kind} ({(settings.Detector is null ? "the highest F1, then the fewest false alarms" : "asked for with --detector")}) as {path}, content hash {manifest.ContentHash}.",
                ],
                results,
                chosen,
                history).Write(reportPath);
            console.Profile.Out.Writer.WriteLine($"{type.Id}: {chosen.Kind} packaged as {path} (version {parent + 1}{(parent > 0 ? $", parent {parent}" : "")}); report {reportPath}");
        }

        return 0;
    }

    /// <summary>The figures the manifest carries: the chosen detector's, and each compared kind's F1.</summary>
    internal static Dictionary<string, double> Metrics(DetectorResult chosen, IReadOnlyList<DetectorResult> results, LabeledTypeHistory history)
    {
        var metrics = new Dictionary<string, double>
        {
            ["heldOutFalseAlarmRate"] = chosen.HeldOutFalseAlarmRate,
            ["heldOutWindows"] = history.HeldOut.Sum(m => m.Vectors.Count),
            ["trainingWindows"] = history.Training.Count,
            ["precision"] = Math.Round(chosen.Counts.Precision, 6),
            ["recall"] = Math.Round(chosen.Counts.Recall, 6),
            ["f1"] = Math.Round(chosen.Counts.F1, 6),
            ["falseAlarmsPerMachineDay"] = Math.Round(chosen.FalseAlarmsPerMachineDay, 3),
            ["faultsDetected"] = chosen.FaultsDetected,
            ["faults"] = chosen.Faults,
            ["medianLeadTimeMinutes"] = Math.Round(chosen.MedianLeadTime.TotalMinutes, 3),
        };
        foreach (var result in results)
        {
            metrics[$"compared.{result.Kind}.f1"] = Math.Round(result.Counts.F1, 6);
        }

        return metrics;
    }

    internal static IEnumerable<int> ExistingVersions(string folder, string id)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(folder, $"*{ModelPackage.FileExtension}"))
        {
            ModelManifest manifest;
            try
            {
                manifest = ModelPackage.Load(file).Manifest;
            }
            catch (ModelPackageException)
            {
                continue;
            }

            if (manifest.Id == id)
            {
                yield return manifest.Version;
            }
        }
    }
}
