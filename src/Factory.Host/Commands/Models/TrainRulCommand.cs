using System.ComponentModel;
using System.Globalization;
using Factory.Host.Commands.Simulate;
using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Ml.Rul;
using Factory.Simulator.Faults;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class TrainRulSettings : CommandSettings
{
    [CommandOption("--history <FOLDER>")]
    [Description("A folder written by 'factory simulate history': the machines' files and labels.csv")]
    public string? History { get; init; }

    [CommandOption("--cloud <URL>")]
    [Description("Read the telemetry store through this cloud node's HTTP API instead (needs --labels, --from and --to)")]
    public string? Cloud { get; init; }

    [CommandOption("--token-file <PATH>")]
    [Description("With --cloud: a file holding your API token (default: the environment variable FACTORY_API_TOKEN)")]
    public string? TokenFile { get; init; }

    [CommandOption("--labels <FILE>")]
    [Description("With --cloud: the failures, in the format of the simulator's labels.csv (line, machine, failure, maintenance_end)")]
    public string? Labels { get; init; }

    [CommandOption("--from <TIME>")]
    [Description("Start of the history to train on (ISO 8601, UTC); default: the history's start")]
    public string? From { get; init; }

    [CommandOption("--to <TIME>")]
    [Description("End of the history to train on (ISO 8601, UTC, exclusive); default: the history's end")]
    public string? To { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The plant configuration (default: plant-config/sample-plant.yaml, looked for from the current folder up)")]
    public string? Config { get; init; }

    [CommandOption("--type <ID>")]
    [Description("A machine type to train (repeatable; default: every type with machines)")]
    public string[] Types { get; init; } = [];

    [CommandOption("--step <DURATION>")]
    [Description("The model's time step: sensors are averaged per step (default 1h, at most 1h)")]
    [DefaultValue("1h")]
    public string Step { get; init; } = "1h";

    [CommandOption("--cap <DURATION>")]
    [Description("RUL targets are capped here: earlier the failure cannot be seen (default 7d)")]
    [DefaultValue("7d")]
    public string Cap { get; init; } = "7d";

    [CommandOption("--held-out <SHARE>")]
    [Description("Share of the runs to failure held out to measure the model (default 0.2)")]
    [DefaultValue(0.2)]
    public double HeldOut { get; init; } = 0.2;

    [CommandOption("--seed <N>")]
    [Description("Seeds the hold-out split, the folds and the trees (default 1): the same seed gives the same metrics")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    [CommandOption("--out <FOLDER>")]
    [Description("Where the packages go (default: models); the version follows the highest there")]
    [DefaultValue("models")]
    public string Out { get; init; } = "models";

    [CommandOption("--report <FOLDER>")]
    [Description("Where the HTML reports go (default: reports/ under the output folder)")]
    public string? Report { get; init; }

    [CommandOption("--creator <NAME>")]
    [Description("Who trained it, for the manifest (default: the user name)")]
    public string? Creator { get; init; }

    public override ValidationResult Validate()
    {
        if ((History is null) == (Cloud is null))
        {
            return ValidationResult.Error("Give either --history <folder> or --cloud <url> (with --labels, --from and --to).");
        }

        if (Cloud is not null && (Labels is null || From is null || To is null))
        {
            return ValidationResult.Error("--cloud needs --labels <file> with the failures, and --from and --to for the time range.");
        }

        if (Cloud is not null && (!Uri.TryCreate(Cloud, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            return ValidationResult.Error($"--cloud '{Cloud}' is not an http:// or https:// address.");
        }

        foreach (var (name, text) in new[] { ("--from", From), ("--to", To) })
        {
            if (text is not null && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out _))
            {
                return ValidationResult.Error($"{name}: '{text}' is not a time (ISO 8601, e.g. 2026-01-05T00:00:00Z).");
            }
        }

        if (From is not null && To is not null && ParsedTime(From) >= ParsedTime(To))
        {
            return ValidationResult.Error($"--from {From} is not before --to {To}.");
        }

        foreach (var (name, text) in new[] { ("--step", Step), ("--cap", Cap) })
        {
            if (!SimulationDuration.TryParse(text, out var duration, out var error) || duration <= TimeSpan.Zero)
            {
                return ValidationResult.Error($"{name}: {error ?? "must be positive"}");
            }
        }

        var step = SimulationDuration.Parse(Step);
        if (step < TimeSpan.FromSeconds(10) || step > TimeSpan.FromSeconds(FeatureSchema.MaximumWindowSeconds) || step.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return ValidationResult.Error($"--step {Step}: a whole number of seconds from 10 s to {FeatureSchema.MaximumWindowSeconds / 60} min.");
        }

        if (SimulationDuration.Parse(Cap) < 10 * step)
        {
            return ValidationResult.Error($"--cap {Cap} is under ten steps of {Step}.");
        }

        return HeldOut is > 0 and < 1 ? ValidationResult.Success() : ValidationResult.Error("--held-out is a share between 0 and 1.");
    }

    internal static DateTimeOffset ParsedTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>
/// <c>factory models train-rul</c>: per machine type, runs to failure from the simulator's history
/// files or from the telemetry store over a time range, cut into units (<see cref="RunToFailureUnits"/>);
/// a RUL model (<see cref="RulTrainer"/>) trained on most of them and measured on the units held out
/// (RMSE against the capped truth, interval coverage, a constant baseline); packaged as a RUL model
/// package with its inputs (each sensor's mean per step) and metrics, and an HTML report.
/// </summary>
public sealed class TrainRulCommand(IAnsiConsole console) : AsyncCommand<TrainRulSettings>
{
    /// <summary>A run to failure needs this many complete steps to become a unit (the model's longest window, and a curve).</summary>
    private const int MinimumSteps = 48;

    public override async Task<int> ExecuteAsync(CommandContext context, TrainRulSettings settings, CancellationToken cancellationToken)
    {
        var writer = console.Profile.Out.Writer;
        if (PlantSetup.TryLoadConfig(settings.Config, writer) is not { } plant)
        {
            return 1;
        }

        var types = settings.Types.Length > 0 ? settings.Types.ToList() : plant.MachineTypes.Where(t => plant.Machines.Any(m => m.Type == t.Id)).Select(t => t.Id).ToList();
        if (types.FirstOrDefault(id => plant.MachineTypes.All(t => t.Id != id)) is { } unknown)
        {
            writer.WriteLine($"{plant.SourcePath}: no machine type '{unknown}' (types: {string.Join(", ", plant.MachineTypes.Select(t => t.Id))}).");
            return 1;
        }

        var step = SimulationDuration.Parse(settings.Step);
        var cap = SimulationDuration.Parse(settings.Cap).TotalHours;
        var from = settings.From is null ? (DateTimeOffset?)null : TrainRulSettings.ParsedTime(settings.From);
        var to = settings.To is null ? (DateTimeOffset?)null : TrainRulSettings.ParsedTime(settings.To);
        var reportFolder = settings.Report ?? Path.Combine(settings.Out, "reports");
        foreach (var type in types)
        {
            RulHistory history;
            try
            {
                history = settings.History is { } folder
                    ? RulHistorySources.FromFolder(folder, type, step, from, to, cancellationToken)
                    : await RulHistorySources.FromCloudAsync(new Uri(settings.Cloud!), ApiTokenSource.Read(settings.TokenFile, new Uri(settings.Cloud!)), plant, type, settings.Labels!, step, from!.Value, to!.Value, cancellationToken);
            }
            catch (Exception e) when (e is RulHistoryException or RegistryCommandException)
            {
                writer.WriteLine(e.Message);
                return 1;
            }

            if (history.Machines.Count == 0)
            {
                writer.WriteLine($"{type}: {history.Source} holds no machine of this type.");
                return 1;
            }

            var (data, summary) = RunToFailureUnits.Build([.. history.Machines.Select(m => m.Series)], history.Failures, step, RulPackageTraining.MinimumSteps);
            var id = RulPackageTraining.ModelId(type);
            var parent = TrainCommand.ExistingVersions(settings.Out, id).DefaultIfEmpty(0).Max();
            Directory.CreateDirectory(settings.Out);
            var path = Path.Combine(settings.Out, $"{id}-{parent + 1}{ModelPackage.FileExtension}");
            var request = new RulPackageRequest(type, data, step, cap, settings.Seed, settings.HeldOut, history.From, history.To, parent + 1, parent > 0 ? parent : null, $"factory models train-rul ({settings.Creator ?? Environment.UserName})");
            RulPackageResult result;
            try
            {
                result = WorkProgress.Run($"{type}: training on {data.Units.Count} runs to failure", progress => RulPackageTraining.Train(request, path, progress));
            }
            catch (RulTrainingDataException e)
            {
                writer.WriteLine($"{e.Message} ({summary.Failures} failures in {history.Source})");
                return 1;
            }

            var (manifest, report, baseline) = result;
            var options = new RulTrainingOptions();
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{type}: {history.Machines.Count} machines, {summary.Failures} failures, {summary.Units} runs to failure ({data.RowCount} steps of {SimulationDuration.Format(step)}); {report.Units.Count} held out, trained in {report.TrainingTime.TotalSeconds:F1} s"));
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{type}: held-out RMSE {report.Rmse:F1} h (a constant guess: {baseline:F1} h), cap {cap:0} h, {options.IntervalLevel:P0} interval covers {report.Coverage:P0}"));
            foreach (var skipped in summary.Skipped)
            {
                writer.WriteLine($"{type}: skipped {skipped}");
            }

            var reportPath = Path.Combine(reportFolder, $"{id}-{parent + 1}.html");
            RulReport.Build(
                $"{id} version {parent + 1}: training report",
                [
                    $"Machine type {type}: machines {string.Join(", ", history.Machines.Select(m => $"{m.Machine.Line}/{m.Machine.Machine}"))}; history {history.Source} from {history.From:u} to {history.To:u}.",
                    string.Create(CultureInfo.InvariantCulture, $"{summary.Units} runs to failure (from a repair or the start to a failure, sensors averaged per {SimulationDuration.Format(step)}); {report.Units.Count} held out with seed {settings.Seed} and cut at a random step; RUL in hours, capped at {cap:0} h."),
                    string.Create(CultureInfo.InvariantCulture, $"Predicting the held-out units' mean truth for every one would give RMSE {baseline:F1} h."),
                    $"Packaged as {path}, content hash {manifest.ContentHash}.",
                ],
                report).Write(reportPath);
            writer.WriteLine($"{type}: packaged as {path} (version {parent + 1}{(parent > 0 ? $", parent {parent}" : "")}); report {reportPath}");
        }

        writer.Flush();
        return 0;
    }
}
