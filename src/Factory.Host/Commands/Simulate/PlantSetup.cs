using Factory.Plant.Config;
using Factory.Plant.Model;
using Factory.Simulator;
using Factory.Simulator.Faults;

namespace Factory.Host.Commands.Simulate;

/// <summary>Turns the command line into a plant and simulation options: configuration, scenarios, faults.</summary>
internal static class PlantSetup
{
    public const string SamplePlant = "plant-config/sample-plant.yaml";

    /// <summary>The configuration file: the one given, else the sample plant found from the current folder (or the program's) up.</summary>
    public static string ConfigPath(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SamplePlant);
                if (File.Exists(candidate))
                {
                    return Path.GetRelativePath(Directory.GetCurrentDirectory(), candidate);
                }
            }
        }

        throw new SetupException($"No --config was given and {SamplePlant} was not found from {Directory.GetCurrentDirectory()} up; pass --config <file>.");
    }

    /// <summary>
    /// Loads the plant configuration of a command that needs nothing else from it; when it is not
    /// valid, writes every error to <paramref name="errors"/> (file:line: problem) and returns null.
    /// </summary>
    public static PlantConfig? TryLoadConfig(string? given, TextWriter errors)
    {
        try
        {
            return PlantConfigLoader.Load(ConfigPath(given));
        }
        catch (PlantConfigException e)
        {
            foreach (var error in e.Errors)
            {
                errors.WriteLine(error.ToString());
            }

            return null;
        }
    }

    /// <summary>Loads the plant and reads scenarios and faults against it.</summary>
    /// <exception cref="PlantConfigException">The configuration is not valid.</exception>
    /// <exception cref="ScenarioException">A scenario or fault is not valid (every problem is listed).</exception>
    public static (PlantConfig Plant, SimulationOptions Options, IReadOnlyList<FaultScenario> Scenarios) Load(PlantSettings settings, DateTimeOffset defaultStart, TimeSpan? repairAfter)
    {
        var plant = PlantConfigLoader.Load(ConfigPath(settings.Config));
        var errors = new List<ScenarioError>();
        var scenarios = new List<FaultScenario>();
        foreach (var file in settings.Scenarios)
        {
            try
            {
                scenarios.Add(FaultScenario.Load(file, plant));
            }
            catch (ScenarioException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        var faults = scenarios.SelectMany(s => s.Faults).ToList();
        foreach (var spec in settings.Faults)
        {
            try
            {
                faults.Add(FaultSpec.Parse(spec, plant));
            }
            catch (ScenarioException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }

        var start = settings.Start is { } text && PlantSettings.TryParseStart(text, out var parsed) ? parsed : defaultStart;

        // A scenario may switch random wear off; the command line can only switch it off too.
        var randomFaults = !settings.NoRandomFaults && scenarios.All(s => s.RandomFaults ?? true);
        var options = new SimulationOptions
        {
            Seed = settings.Seed,
            Start = start,
            RandomFaults = randomFaults,
            Faults = faults,
            RepairAfter = repairAfter,
        };
        return (plant, options, scenarios);
    }
}

/// <summary>Something about the command line or its files that stops a simulation from starting; the message says what.</summary>
internal sealed class SetupException(string message) : Exception(message);
