using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class PromoteModelSettings : RegistrySettings
{
    [CommandArgument(0, "<model>")]
    [Description("The model id")]
    public string ModelId { get; init; } = "";

    [CommandArgument(1, "<version>")]
    [Description("The version to promote")]
    public int Version { get; init; }

    [CommandOption("--canary <LINE>")]
    [Description("Deploy to this one line ahead of the fleet")]
    public string? Canary { get; init; }

    [CommandOption("--fleet")]
    [Description("Deploy to every line (after a canary whose alarm rate is no worse than the fleet's)")]
    public bool Fleet { get; init; }

    [CommandOption("--force")]
    [Description("Promote to the fleet without a canary, or although the canary alarms worse; recorded in the audit log")]
    public bool Force { get; init; }

    public override ValidationResult Validate() =>
        (Canary is not null) != Fleet
            ? base.Validate()
            : ValidationResult.Error("Give either --canary <line> or --fleet.");
}

/// <summary><c>factory models promote</c>: a version to the canary line or to the fleet; prints what the edges now run.</summary>
public sealed class PromoteModelCommand(IAnsiConsole console) : RegistryCommand<PromoteModelSettings>(console)
{
    protected override async Task<int> RunAsync(RegistryClient client, PromoteModelSettings settings, CancellationToken cancellationToken)
    {
        var assignment = await client.PromoteAsync(settings.ModelId, settings.Version, settings.Fleet ? "fleet" : "canary", settings.Canary, settings.Force, cancellationToken);
        Console.WriteLine(RollbackModelCommand.Describe(assignment));
        return 0;
    }
}
