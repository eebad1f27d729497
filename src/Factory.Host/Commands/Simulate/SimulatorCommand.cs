using Factory.OpcUa;
using Factory.Plant.Config;
using Factory.Simulator;
using Factory.Simulator.Faults;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Simulate;

/// <summary>
/// What the <c>factory simulate</c> verbs share: a bad configuration, scenario, fault or file is
/// reported with every problem and where it is, exit code 1; Ctrl+C is a normal end (0).
/// </summary>
public abstract class SimulatorCommand<TSettings>(IAnsiConsole console) : AsyncCommand<TSettings>
    where TSettings : CommandSettings
{
    protected IAnsiConsole Console { get; } = console;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (PlantConfigException e)
        {
            foreach (var error in e.Errors.Count > 0 ? e.Errors.Select(x => x.ToString()) : [e.Message])
            {
                Line(error, Color.Red);
            }

            return 1;
        }
        catch (ScenarioException e)
        {
            foreach (var error in e.Errors)
            {
                Line(error.ToString(), Color.Red);
            }

            return 1;
        }
        catch (SimulatorConfigurationException e)
        {
            Line("The plant cannot be simulated:", Color.Red);
            foreach (var error in e.Errors)
            {
                Line($"  {error}", Color.Red);
            }

            return 1;
        }
        catch (Exception e) when (e is SetupException or FormatException or IOException or UnauthorizedAccessException or ServiceResultException
            or Factory.Cloud.Broker.BrokerPasswordFileException or Factory.OpcUa.Security.PkiException)
        {
            Line(e.Message, Color.Red);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    protected abstract Task<int> RunAsync(TSettings settings, CancellationToken cancellationToken);

    /// <summary>A line of plain text: names and values from files are never read as markup.</summary>
    protected void Line(string text, Color? color = null)
    {
        Console.Write(new Text(text, color is { } c ? new Style(c) : Style.Plain));
        Console.WriteLine();
    }
}
