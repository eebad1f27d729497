using System.Globalization;
using Spectre.Console;

namespace Factory.Host.Commands.Models;

/// <summary><c>factory models list</c>: one row per model with its latest, fleet and canary versions.</summary>
public sealed class ListModelsCommand(IAnsiConsole console) : RegistryCommand<RegistrySettings>(console)
{
    protected override async Task<int> RunAsync(RegistryClient client, RegistrySettings settings, CancellationToken cancellationToken)
    {
        var models = await client.ListAsync(cancellationToken);
        if (models.Count == 0)
        {
            Console.WriteLine($"No models registered at {settings.CloudUri}.");
            return 0;
        }

        var table = new Table().AddColumns("Model", "Machine type", "Versions", "Latest", "Fleet", "Canary");
        foreach (var m in models)
        {
            table.AddRow(
                Markup.Escape(m.ModelId),
                Markup.Escape(m.MachineType),
                m.VersionCount.ToString(CultureInfo.InvariantCulture),
                m.LatestVersion.ToString(CultureInfo.InvariantCulture),
                m.FleetVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                m.CanaryVersion is { } v ? Markup.Escape($"{v} on {m.CanaryLine}") : "-");
        }

        Console.Write(table);
        return 0;
    }
}
