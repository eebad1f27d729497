using Factory.Host.Commands.Edge;
using Factory.Simulator;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Factory.Host.Commands.Simulate;

/// <summary>
/// <c>factory demo</c>: the sample plant, simulated at 60 times real time and served over OPC UA,
/// and an edge node per line reading it, with its alarm panel. A thin composition; later issues
/// add the cloud and the portal to it.
/// </summary>
public sealed class DemoCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : SimulatorCommand<DemoSettings>(console)
{
    protected override Task<int> RunAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        var plantSettings = new PlantSettings { Config = settings.Config, Seed = settings.Seed };

        // A demo runs for hours: failed machines are repaired after two simulated hours, so the
        // plant keeps producing; and it starts in a shift, so that there is something to see on a Sunday.
        var (plant, options, scenarios) = PlantSetup.Load(plantSettings, DateTimeOffset.UtcNow, TimeSpan.FromHours(2));
        options = options with { Start = PlantSimulation.NextProductionTime(plant, options.Start) };
        return SimulateCommand.ServeAsync(
            Console,
            loggerFactory,
            plant,
            options,
            scenarios,
            settings.Acceleration,
            TimeSpan.FromSeconds(10),
            settings.DurationSeconds,
            hint: true,
            cancellationToken,
            async ct => await DemoEdges.StartAsync(plant, settings.Data, settings.PanelPort, Console, loggerFactory, ct));
    }
}
