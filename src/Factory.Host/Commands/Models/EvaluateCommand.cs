using System.ComponentModel;
using Factory.Host.Commands.Simulate;
using Factory.Ml.Packages;
using Factory.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class EvaluateSettings : ModelTrainingSettings
{
    [CommandArgument(0, "<package>")]
    [Description("The model package (.fmpkg) to evaluate")]
    public string Package { get; init; } = "";

    internal override int DefaultSeed => 1001;
}

/// <summary>
/// <c>factory models evaluate</c>: a package judged, with its own threshold, on labeled simulated history
/// of its machine type that it was not trained on (another seed than training's, by default 1001):
/// precision, recall, F1, false alarms per machine-day, lead time, and the HTML report beside it.
/// </summary>
public sealed class EvaluateCommand(IAnsiConsole console) : Command<EvaluateSettings>
{
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        var writer = console.Profile.Out.Writer;
        ModelPackage package;
        try
        {
            package = ModelPackage.Load(settings.Package);
        }
        catch (ModelPackageException e)
        {
            writer.WriteLine(e.Message);
            return 1;
        }

        if (package.Manifest.IsRul)
        {
            writer.WriteLine($"{settings.Package}: {package.Manifest} is a remaining-useful-life model; its held-out figures are in its manifest ('factory models show'), and 'factory models train-rul' measures a new one.");
            return 1;
        }

        if (PlantSetup.TryLoadConfig(settings.Config, writer) is not { } plant)
        {
            return 1;
        }

        var manifest = package.Manifest;
        var type = plant.MachineTypes.FirstOrDefault(t => t.Id == manifest.MachineType);
        if (type is null)
        {
            writer.WriteLine($"{settings.Package}: machine type '{manifest.MachineType}' is not in {plant.SourcePath} (types: {string.Join(", ", plant.MachineTypes.Select(t => t.Id))}).");
            return 1;
        }

        var history = WorkProgress.Run($"{type.Id}: simulating", progress => SimulatedMachineHistory.For(plant, type, settings.Span(), progress, cancellationToken));
        if (!package.IsCompatibleWith(history.Schema, out var reason))
        {
            writer.WriteLine($"{settings.Package}: does not fit the machines of type '{type.Id}' in {plant.SourcePath}: {reason}");
            return 1;
        }

        var result = DetectorComparer.Judge(manifest.DetectorKind, package.Detector, manifest.Threshold, history.HeldOut, history.Faulty, new AlarmRule());
        var table = new Table().Border(TableBorder.Simple).Title($"{manifest} on {history.Machines.Count} machines, seed {settings.EffectiveSeed}");
        foreach (var column in AnomalyReport.Header)
        {
            table.AddColumn(column);
        }

        table.AddRow(AnomalyReport.Row(result).Select(Markup.Escape).ToArray());
        console.Write(table);
        var reportPath = settings.Report is { } folder
            ? Path.Combine(folder, $"{manifest.Id}-{manifest.Version}-evaluation.html")
            : Path.ChangeExtension(settings.Package, null) + $"-evaluation-seed{settings.EffectiveSeed}.html";
        AnomalyReport.Build(
            $"{manifest}: evaluation",
            [
                $"Package {settings.Package} ({manifest.DetectorKind}, threshold {manifest.Threshold}, content hash {manifest.ContentHash}), trained {manifest.TrainingFrom:u} to {manifest.TrainingTo:u} by {manifest.Creator}.",
                $"Judged on simulated history of {plant.SourcePath}, seed {settings.EffectiveSeed}: {settings.Healthy} healthy per machine (the last quarter as held-out operation) and a run to failure per machine with a fault {settings.FaultLead} in, failing {settings.FaultDuration} after its onset.",
            ],
            [result],
            result,
            history).Write(reportPath);
        writer.WriteLine($"report {reportPath}");
        return 0;
    }
}
