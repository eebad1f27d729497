using System.ComponentModel;
using Factory.Edge.Hosting;
using Factory.Host.Commands.Simulate;
using Factory.Plant.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Edge;

public sealed class EdgeSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("The plant configuration (default: plant-config/sample-plant.yaml, looked for from the current folder up)")]
    public string? Config { get; init; }

    [CommandOption("--line <LINE>")]
    [Description("The production line this edge node serves (its id in the plant configuration)")]
    public string? Line { get; init; }

    [CommandOption("--panel-port <PORT>")]
    [Description("Port of the line-side alarm panel and its JSON API (default: 8481 for the plant's first line, 8482 for the second, ...)")]
    public int? PanelPort { get; init; }

    [CommandOption("--panel-address <IP>")]
    [Description("Address the panel listens on; 0.0.0.0 to reach it from other machines")]
    [DefaultValue("127.0.0.1")]
    public string PanelAddress { get; init; } = "127.0.0.1";

    [CommandOption("--data <DIR>")]
    [Description("Where the alarm journal is kept")]
    [DefaultValue("data/edge")]
    public string Data { get; init; } = "data/edge";

    [CommandOption("--models <DIR>")]
    [Description("Where model packages (*.fmpkg) are looked for (default: models/, looked for from the current folder up)")]
    public string? Models { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Line))
        {
            return ValidationResult.Error("--line is required: the id of the production line this edge node serves, e.g. --line line-1");
        }

        if (PanelPort is < 0 or > 65535)
        {
            return ValidationResult.Error($"--panel-port {PanelPort} is not a port (0 to 65535)");
        }

        return System.Net.IPAddress.TryParse(PanelAddress, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--panel-address '{PanelAddress}' is not an IP address");
    }
}

/// <summary>
/// <c>factory edge</c>: the edge node of one production line, until Ctrl+C: reads the line's
/// OPC UA endpoint, scores its machines, raises alarms and serves the line-side panel.
/// </summary>
public sealed class EdgeCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : AsyncCommand<EdgeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EdgeSettings settings, CancellationToken cancellationToken)
    {
        WebApplication node;
        try
        {
            var plant = PlantConfigLoader.Load(PlantSetup.ConfigPath(settings.Config));
            var options = new EdgeOptions
            {
                Plant = plant,
                LineId = settings.Line!,
                PanelAddress = settings.PanelAddress,
                PanelPort = settings.PanelPort ?? (plant.Lines.Any(l => l.Id == settings.Line) ? EdgeOptions.PanelPortOf(plant, settings.Line!) : 0),
                DataDirectory = settings.Data,
                ModelsDirectory = settings.Models ?? ModelsDirectory(),
            };
            node = EdgeNode.Build(options, loggerFactory);
            await node.StartAsync(cancellationToken);
            var line = plant.Line(options.LineId);
            Write($"Edge node {line.EdgeNode} of line {line.Id} ({line.Name}): {line.Machines.Count} machines from {line.OpcUaEndpoint}");
            Write($"  alarm panel and API  {EdgeNode.PanelUri(node)}");
            Write($"  alarm journal        {Path.GetFullPath(options.DataDirectory)}");
            Write($"  model packages       {Path.GetFullPath(options.ModelsDirectory)}");
            Write("Ctrl+C stops it.");
        }
        catch (PlantConfigException e)
        {
            foreach (var error in e.Errors.Count > 0 ? e.Errors.Select(x => x.ToString()) : [e.Message])
            {
                Write(error, Color.Red);
            }

            return 1;
        }
        catch (Exception e) when (e is EdgeStartException or SetupException or IOException or UnauthorizedAccessException)
        {
            Write(e.Message, Color.Red);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: a normal end.
        }

        await node.StopAsync(CancellationToken.None);
        await node.DisposeAsync();
        return 0;
    }

    /// <summary>models/ of the repository (found from the current folder up), else models/ here.</summary>
    internal static string ModelsDirectory() =>
        RepositoryFolder() is { } repository
            ? Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(repository, "models"))
            : "models";

    /// <summary>The repository root (the folder with Factory.sln and models/) from the current folder up, if there is one.</summary>
    internal static string? RepositoryFolder()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "models")) && File.Exists(Path.Combine(dir.FullName, "Factory.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private void Write(string text, Color? color = null)
    {
        console.Write(new Text(text, color is { } c ? new Style(c) : Style.Plain));
        console.WriteLine();
    }
}
