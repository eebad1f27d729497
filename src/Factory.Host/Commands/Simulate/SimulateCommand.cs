using System.Globalization;
using Factory.Plant.Model;
using Factory.Simulator;
using Factory.Simulator.Faults;
using Factory.Simulator.Serving;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Factory.Host.Commands.Simulate;

/// <summary>
/// <c>factory simulate</c>: serves the plant's lines over OPC UA, one endpoint per line, until
/// Ctrl+C; prints each line's endpoint, the plant's events as they happen and a status line per
/// line every few seconds.
/// </summary>
public sealed class SimulateCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : SimulatorCommand<SimulateSettings>(console)
{
    protected override Task<int> RunAsync(SimulateSettings settings, CancellationToken cancellationToken)
    {
        TimeSpan? repairAfter = settings.RepairAfter is { } text ? SimulationDuration.Parse(text) : null;
        var (plant, options, scenarios) = PlantSetup.Load(settings, DateTimeOffset.UtcNow, repairAfter);
        var security = OpcUa.OpcUaSecuritySettings.ForSimulator(settings.OpcUaSecurity, settings.OpcUaPki, settings.OpcUaUsers, settings.OpcUaNoAnonymous);
        return ServeAsync(Console, loggerFactory, plant, options, scenarios, settings.Acceleration, TimeSpan.FromSeconds(settings.StatusIntervalSeconds), settings.DurationSeconds, hint: false, cancellationToken, security: security);
    }

    /// <summary>Serves a plant until cancelled (or for <paramref name="durationSeconds"/>); shared with <c>factory demo</c>.</summary>
    internal static async Task<int> ServeAsync(
        IAnsiConsole console,
        ILoggerFactory loggerFactory,
        PlantConfig plant,
        SimulationOptions options,
        IReadOnlyList<FaultScenario> scenarios,
        double acceleration,
        TimeSpan statusInterval,
        double? durationSeconds,
        bool hint,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task<IAsyncDisposable>>? alongside = null,
        LineSecurity? security = null)
    {
        void Line(string text, Color? color = null)
        {
            console.Write(new Text(text, color is { } c ? new Style(c) : Style.Plain));
            console.WriteLine();
        }

        var simulation = new PlantSimulation(plant, options);
        await using var served = new SimulatedPlant(simulation, acceleration, loggerFactory, security: security);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await served.StartAsync(stop.Token);
        Line($"Simulating {plant.Site.Name} ({plant.SourcePath}) from {options.Start.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} at {acceleration.ToString("0.###", CultureInfo.InvariantCulture)}x real time, seed {options.Seed}{(options.RandomFaults ? "" : ", random faults off")}.");
        foreach (var line in served.Lines)
        {
            Line($"  {line.Line.Line.Id,-10} {line.EndpointUrl,-28} {line.Line.Machines.Count} machines, {line.SensorCount} sensors  ({line.Line.Line.Name})");
            if (line.Server.Options.Security is { Certificate: { } certificate } secured)
            {
                Line($"             offers {string.Join(", ", secured.Endpoints)}; users: {string.Join(" and ", new[] { secured.AllowAnonymous ? "anonymous" : null, secured.Users is null ? null : "password file" }.OfType<string>())}; certificate {certificate.Thumbprint[..16]}");
            }
        }

        foreach (var scenario in scenarios)
        {
            Line($"Scenario {scenario.Path}: {scenario.Description}");
        }

        foreach (var fault in options.Faults)
        {
            Line($"  fault {fault}  (onset {(options.Start + fault.StartAfter).UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})");
        }

        if (served.Lines.All(l => l.Status.Running == 0))
        {
            var production = PlantSimulation.NextProductionTime(plant, options.Start);
            Line($"No line is in a shift at the start, so the machines are idle or stopped; --start {production.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} starts when all lines produce.", Color.Yellow);
        }

        // What runs beside the plant (the demo's edge nodes) starts once the endpoints serve, and stops before them.
        IAsyncDisposable? companions = null;
        try
        {
            companions = alongside is null ? null : await alongside(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await served.StopAsync();
            return 0;
        }

        // --duration counts from when everything serves.
        if (durationSeconds is { } seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        if (hint && served.Lines.Count > 0)
        {
            Line($"Look at it: factory opcua browse {served.Lines[0].EndpointUrl} --depth 4", Color.Green);
        }

        Line("Ctrl+C stops the simulator.");
        var lastStatus = DateTimeOffset.UtcNow;
        var lastCounts = served.Lines.ToDictionary(l => l, l => l.Status.ValuesPublished);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, statusInterval.TotalSeconds)), stop.Token);
                foreach (var e in served.TakeEvents())
                {
                    Line(e.ToString(), e.Kind == SimulationEventKind.Failure ? Color.Red : Color.Yellow);
                }

                var now = DateTimeOffset.UtcNow;
                if (now - lastStatus >= statusInterval)
                {
                    var elapsed = (now - lastStatus).TotalSeconds;
                    lastStatus = now;
                    foreach (var line in served.Lines)
                    {
                        var status = line.Status;
                        var rate = (status.ValuesPublished - lastCounts[line]) / elapsed;
                        lastCounts[line] = status.ValuesPublished;
                        Line($"{now:HH:mm:ss} {status.LineId,-10} sim {status.SimulatedTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}  running {status.Running}  idle {status.Idle}  stopped {status.Stopped}  failed {status.Failed}  maintenance {status.Maintenance}  {rate.ToString("N0", CultureInfo.InvariantCulture)} values/s");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or --duration: a normal end.
        }

        if (companions is not null)
        {
            await companions.DisposeAsync();
        }

        await served.StopAsync();
        Line("Simulator stopped.");
        return 0;
    }
}
