using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

/// <summary>What every <c>factory models</c> command takes: where the cloud node is, and the token of who acts.</summary>
public class RegistrySettings : CommandSettings
{
    /// <summary>The cloud node's default API address.</summary>
    public const string DefaultCloud = "http://127.0.0.1:8400";

    [CommandOption("--cloud <URL>")]
    [Description("The cloud node's HTTP API (default http://127.0.0.1:8400)")]
    [DefaultValue(DefaultCloud)]
    public string Cloud { get; init; } = DefaultCloud;

    [CommandOption("--token-file <PATH>")]
    [Description("A file holding your API token (default: the environment variable FACTORY_API_TOKEN); the audit log names the token's user")]
    public string? TokenFile { get; init; }

    /// <summary>The parsed --cloud address.</summary>
    public Uri CloudUri => new(Cloud.EndsWith('/') ? Cloud : Cloud + "/");

    public override ValidationResult Validate() =>
        Uri.TryCreate(Cloud, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--cloud '{Cloud}' is not an http:// or https:// address, e.g. {DefaultCloud}");
}

/// <summary>A <c>factory models</c> command: a refusal or an unreachable cloud is one red line and exit code 1.</summary>
public abstract class RegistryCommand<TSettings>(IAnsiConsole console) : AsyncCommand<TSettings>
    where TSettings : RegistrySettings
{
    protected IAnsiConsole Console { get; } = console;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new RegistryClient(settings.CloudUri, ApiTokenSource.Read(settings.TokenFile, settings.CloudUri));
            return await RunAsync(client, settings, cancellationToken);
        }
        catch (RegistryCommandException e)
        {
            Console.Write(new Text(e.Message + Environment.NewLine, new Style(Color.Red)));
            return 1;
        }
    }

    protected abstract Task<int> RunAsync(RegistryClient client, TSettings settings, CancellationToken cancellationToken);

    protected static string Stage(Factory.Cloud.Models.ModelStage stage, string? line) =>
        stage == Factory.Cloud.Models.ModelStage.Canary ? $"canary on {line}" : stage.ToString().ToLowerInvariant();
}
