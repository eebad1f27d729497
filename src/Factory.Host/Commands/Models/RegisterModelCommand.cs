using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class RegisterModelSettings : RegistrySettings
{
    [CommandArgument(0, "<package>")]
    [Description("A trained model package, e.g. artifacts/cnc-spindle-anomaly-4.fmpkg")]
    public string Package { get; init; } = "";
}

/// <summary><c>factory models register</c>: uploads a package; the cloud checks it and keeps it as a candidate.</summary>
public sealed class RegisterModelCommand(IAnsiConsole console) : RegistryCommand<RegisterModelSettings>(console)
{
    protected override async Task<int> RunAsync(RegistryClient client, RegisterModelSettings settings, CancellationToken cancellationToken)
    {
        var v = await client.RegisterAsync(settings.Package, cancellationToken);
        Console.WriteLine($"{v.ModelId} version {v.Version} ({v.MachineType}, {v.DetectorKind}) registered: {v.Stage.ToString().ToLowerInvariant()}, content hash {v.ContentHash}.");
        return 0;
    }
}
