using System.Globalization;
using Factory.Simulator;
using Factory.Simulator.Faults;
using Factory.Simulator.History;
using Spectre.Console;

namespace Factory.Host.Commands.Simulate;

/// <summary>
/// <c>factory simulate history</c>: runs the plant's physics faster than real time and writes
/// run-to-failure histories with their labels (format: docs/simulator.md, "History files").
/// </summary>
public sealed class SimulateHistoryCommand(IAnsiConsole console) : SimulatorCommand<HistorySettings>(console)
{
    protected override async Task<int> RunAsync(HistorySettings settings, CancellationToken cancellationToken)
    {
        var (plant, options, scenarios) = PlantSetup.Load(settings, SimulationOptions.DefaultHistoryStart, SimulationDuration.Parse(settings.RepairAfter));
        var resolution = SimulationDuration.Parse(settings.Resolution);
        var duration = TimeSpan.FromDays(settings.Days);
        var simulation = new PlantSimulation(plant, options);
        foreach (var scenario in scenarios)
        {
            Line($"Scenario {scenario.Path}: {scenario.Description}");
        }

        Line($"Writing {settings.Days.ToString("0.###", CultureInfo.InvariantCulture)} days of {plant.Site.Name} ({plant.SourcePath}) from {options.Start.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} at {SimulationDuration.Format(resolution)} resolution, seed {options.Seed}, to {settings.Out} ...");
        var summary = await Task.Run(() => HistoryExport.Write(simulation, duration, resolution, settings.Out, cancellationToken), cancellationToken);
        Line($"{summary.Machines} machines, {summary.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows, {summary.Onsets} fault onsets, {summary.Failures} failures, {summary.Repairs} repairs, in {summary.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.");
        Line($"Labels: {Path.Combine(settings.Out, "labels.csv")}; everything is described in {Path.Combine(settings.Out, "manifest.json")} and docs/simulator.md.");
        return 0;
    }
}
