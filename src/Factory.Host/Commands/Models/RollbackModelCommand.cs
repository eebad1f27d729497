using System.ComponentModel;
using Factory.Cloud.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class RollbackModelSettings : RegistrySettings
{
    [CommandArgument(0, "<model>")]
    [Description("The model id")]
    public string ModelId { get; init; } = "";

    [CommandOption("--canary")]
    [Description("Roll back only the canary: its line returns to the fleet version")]
    public bool Canary { get; init; }
}

/// <summary><c>factory models rollback</c>: the fleet back to the version it ran before (or the canary line back to the fleet's), in one command.</summary>
public sealed class RollbackModelCommand(IAnsiConsole console) : RegistryCommand<RollbackModelSettings>(console)
{
    /// <summary>What the edges run now, in one line.</summary>
    public static string Describe(ModelAssignment a) =>
        $"{a.ModelId}: fleet runs {(a.FleetVersion is { } f ? $"version {f}" : "no version")}"
        + (a.CanaryVersion is { } c ? $", line {a.CanaryLine} runs canary version {c}" : ", no canary");

    protected override async Task<int> RunAsync(RegistryClient client, RollbackModelSettings settings, CancellationToken cancellationToken)
    {
        var assignment = await client.RollbackAsync(settings.ModelId, settings.Canary, cancellationToken);
        Console.WriteLine(Describe(assignment));
        return 0;
    }
}
