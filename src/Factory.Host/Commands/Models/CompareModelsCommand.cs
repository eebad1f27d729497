using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class CompareModelsSettings : RegistrySettings
{
    [CommandArgument(0, "<model>")]
    [Description("The model id")]
    public string ModelId { get; init; } = "";

    [CommandArgument(1, "<left>")]
    [Description("One version, e.g. 3")]
    public int Left { get; init; }

    [CommandArgument(2, "<right>")]
    [Description("The other version, e.g. 4")]
    public int Right { get; init; }
}

/// <summary><c>factory models compare</c>: the manifest fields and metrics that differ between two versions, with the change.</summary>
public sealed class CompareModelsCommand(IAnsiConsole console) : RegistryCommand<CompareModelsSettings>(console)
{
    protected override async Task<int> RunAsync(RegistryClient client, CompareModelsSettings settings, CancellationToken cancellationToken)
    {
        var comparison = await client.CompareAsync(settings.ModelId, settings.Left, settings.Right, cancellationToken);
        if (comparison.Differences.Count == 0)
        {
            Console.WriteLine($"{settings.ModelId} versions {settings.Left} and {settings.Right} do not differ in manifest or metrics.");
            return 0;
        }

        var table = new Table().Title(Markup.Escape($"{settings.ModelId}: {settings.Left} vs {settings.Right}"))
            .AddColumns("Field", $"v{settings.Left}", $"v{settings.Right}", "Change");
        foreach (var d in comparison.Differences)
        {
            table.AddRow(
                Markup.Escape(d.Field),
                Markup.Escape(d.Left),
                Markup.Escape(d.Right),
                d.Change is { } c ? c.ToString("+0.######;-0.######;0", CultureInfo.InvariantCulture) : "");
        }

        Console.Write(table);
        return 0;
    }
}
