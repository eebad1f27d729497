using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Factory.OpcUa;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Transport;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.OpcUa;

/// <summary>What every <c>factory opcua</c> verb takes: the server, JSON output, a time limit.</summary>
public class OpcUaSettings : CommandSettings
{
    [CommandArgument(0, "<endpoint-url>")]
    [Description("The server, e.g. opc.tcp://127.0.0.1:4840")]
    public string EndpointUrl { get; init; } = "";

    [CommandOption("--json")]
    [Description("Print JSON instead of tables, for scripts")]
    public bool Json { get; init; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the server to connect and answer")]
    [DefaultValue(10.0)]
    public double TimeoutSeconds { get; init; } = 10;

    [CommandOption("--security <POLICY:MODE>")]
    [Description("Secure the channel: none, or e.g. Basic256Sha256:SignAndEncrypt (also Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss; mode Sign or SignAndEncrypt)")]
    [DefaultValue("none")]
    public string Security { get; init; } = "none";

    [CommandOption("--pki <DIR>")]
    [Description("PKI folder of this tool's certificate (made at the first run) and of the servers it trusts; a refused server's certificate lands in rejected/ ('factory pki trust')")]
    [DefaultValue("pki/factory-opcua")]
    public string Pki { get; init; } = "pki/factory-opcua";

    [CommandOption("--user <NAME>")]
    [Description("Log in as this user, with the password from FACTORY_OPCUA_PASSWORD (or FACTORY_OPCUA_PASSWORD_FILE); default: anonymous")]
    public string? User { get; init; }

    public override ValidationResult Validate()
    {
        if (!OpcUaSecuritySettings.TryParse(Security, out var securities, out var problem) || securities.Count != 1)
        {
            return ValidationResult.Error($"--security: {(problem.Length > 0 ? problem : "give one policy and mode, e.g. Basic256Sha256:SignAndEncrypt")}");
        }

        try
        {
            EndpointAddress.Parse(EndpointUrl);
        }
        catch (ServiceResultException e)
        {
            return ValidationResult.Error(e.Message);
        }

        return TimeoutSeconds > 0 ? ValidationResult.Success() : ValidationResult.Error("--timeout must be more than 0 seconds");
    }

    /// <summary>Parses node ids given on the command line, naming the first that is wrong.</summary>
    internal static NodeId[] ParseNodeIds(IEnumerable<string> texts) =>
        [.. texts.Select(text => NodeId.TryParse(text, out var id, out var error) ? id : throw new CommandArgumentException($"'{text}' is not a node id: {error}. Examples: i=85, ns=2;s=Line1.Pump1.Speed"))];
}

/// <summary>A command-line argument that is wrong; its message is shown as is.</summary>
public sealed class CommandArgumentException(string message) : Exception(message);

/// <summary>Connects, runs the verb, and turns OPC UA failures into a clear message and exit code 1.</summary>
public abstract class OpcUaCommand<TSettings>(IAnsiConsole console, ILoggerFactory loggerFactory) : AsyncCommand<TSettings>
    where TSettings : OpcUaSettings
{
    protected IAnsiConsole Console { get; } = console;
    protected ILoggerFactory LoggerFactory { get; } = loggerFactory;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandArgumentException e)
        {
            Line(e.Message, Color.Red);
            return 1;
        }
        catch (Exception e) when (e is FormatException or Cli.SecretException or Simulate.SetupException or Factory.OpcUa.Security.PkiException)
        {
            Line(e.Message, Color.Red);
            return 1;
        }
        catch (ServiceResultException e)
        {
            Line($"{settings.EndpointUrl}: {e.Message}", Color.Red);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    protected abstract Task<int> RunAsync(TSettings settings, CancellationToken cancellationToken);

    protected static ClientOptions ClientOptions(TSettings settings)
    {
        var access = OpcUaSecuritySettings.ForClient(settings.Security, settings.Pki, settings.User, "urn:factory:opcua-tool", "factory opcua");
        return new()
        {
            EndpointUrl = settings.EndpointUrl,
            ApplicationName = "factory opcua",
            ApplicationUri = access.ApplicationUri,
            Security = access.Security,
            Identity = access.Identity,
            ConnectTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            RequestTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        };
    }

    protected Task<UaClient> ConnectAsync(TSettings settings, CancellationToken cancellationToken) =>
        UaClient.ConnectAsync(ClientOptions(settings), LoggerFactory, cancellationToken: cancellationToken);

    /// <summary>
    /// Writes a line of plain text. Server data (names, values, URIs) is never parsed as markup:
    /// "[1, 2]" or "urn:factory:x" must print as they are.
    /// </summary>
    protected void Line(string text, Color? color = null)
    {
        Console.Write(new Text(text, color is { } c ? new Style(c) : Style.Plain));
        Console.WriteLine();
    }

    /// <summary>Writes one JSON document (or line) built by <paramref name="write"/>, unstyled.</summary>
    protected void WriteJson(Action<Utf8JsonWriter> write, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        Console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        Console.Profile.Out.Writer.Flush();
    }
}
