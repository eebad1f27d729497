using Factory.Host.Cli;
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

    [CommandOption("--broker <URI>")]
    [Description("The cloud's MQTT broker, e.g. mqtts://cloud.plant:8883 (TLS) or mqtt://127.0.0.1:1883; without it the node runs alone. User and password from FACTORY_MQTT_USER and FACTORY_MQTT_PASSWORD (or FACTORY_MQTT_PASSWORD_FILE)")]
    public string? Broker { get; init; }

    [CommandOption("--broker-ca <PEM>")]
    [Description("With an mqtts:// broker: the CA certificate its certificate must be issued by (default: the system's trust store)")]
    public string? BrokerCa { get; init; }

    [CommandOption("--opcua-security <POLICY:MODE>")]
    [Description("How the session to the line's OPC UA server is secured: none, or e.g. Basic256Sha256:SignAndEncrypt (also Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss; mode Sign or SignAndEncrypt)")]
    [DefaultValue("none")]
    public string OpcUaSecurity { get; init; } = "none";

    [CommandOption("--opcua-pki <DIR>")]
    [Description("PKI folder of the edge's OPC UA certificate (made at the first run) and of the servers it trusts (default: pki/edge-<line>; 'factory pki trust' moves a refused server's certificate to trusted/)")]
    public string? OpcUaPki { get; init; }

    [CommandOption("--opcua-user <NAME>")]
    [Description("Log in to the OPC UA server as this user, with the password from FACTORY_OPCUA_PASSWORD (or FACTORY_OPCUA_PASSWORD_FILE); default: anonymous")]
    public string? OpcUaUser { get; init; }

    [CommandOption("--outbox-quota-mb <MB>")]
    [Description("Disk space the outbox may use for what the cloud has not confirmed yet (docs/outbox.md says what goes first when it is full)")]
    [DefaultValue(1024L)]
    public long OutboxQuotaMb { get; init; } = 1024;

    [CommandOption("--summary-interval <SECONDS>")]
    [Description("Interval of the sensor summaries and health records sent to the cloud, in seconds of the machines' clock")]
    [DefaultValue(10.0)]
    public double SummaryIntervalSeconds { get; init; } = 10;

    public override ValidationResult Validate()
    {
        Factory.Link.BrokerAddress? broker = null;
        if (Broker is not null && !Factory.Link.BrokerAddress.TryParse(Broker, out broker, out var brokerProblem))
        {
            return ValidationResult.Error($"--broker: {brokerProblem}");
        }

        if (BrokerCa is not null && broker is not { Tls: true })
        {
            return ValidationResult.Error("--broker-ca is for a TLS broker: give --broker mqtts://host:port");
        }

        if (!Factory.Host.Commands.OpcUa.OpcUaSecuritySettings.TryParse(OpcUaSecurity, out var securities, out var securityProblem))
        {
            return ValidationResult.Error($"--opcua-security: {securityProblem}");
        }

        if (securities.Count != 1)
        {
            return ValidationResult.Error("--opcua-security: an edge node connects with one policy and mode, e.g. Basic256Sha256:SignAndEncrypt");
        }

        if (OutboxQuotaMb < 1)
        {
            return ValidationResult.Error("--outbox-quota-mb must be 1 or more");
        }

        if (!(SummaryIntervalSeconds >= 0.1) || SummaryIntervalSeconds > 3600)
        {
            return ValidationResult.Error("--summary-interval must be between 0.1 and 3600 seconds");
        }

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
                Cloud = settings.Broker is null ? null : CloudLinkFor(Factory.Link.BrokerAddress.Parse(settings.Broker), settings.BrokerCa),
                OutboxQuotaBytes = settings.OutboxQuotaMb << 20,
                Tuning = new Factory.Edge.Actors.EdgeTuning { SummaryInterval = TimeSpan.FromSeconds(settings.SummaryIntervalSeconds) },
                OpcUa = OpcUa.OpcUaSecuritySettings.ForEdge(settings.OpcUaSecurity, settings.OpcUaPki ?? $"pki/edge-{settings.Line}", settings.OpcUaUser, settings.Line!),
            };
            node = EdgeNode.Build(options, loggerFactory);
            await node.StartAsync(cancellationToken);
            var line = plant.Line(options.LineId);
            Write($"Edge node {line.EdgeNode} of line {line.Id} ({line.Name}): {line.Machines.Count} machines from {line.OpcUaEndpoint}");
            Write($"  OPC UA               {options.OpcUa}");
            Write($"  alarm panel and API  {EdgeNode.PanelUri(node)}");
            Write($"  alarm journal        {Path.GetFullPath(options.DataDirectory)}");
            Write($"  model packages       {Path.GetFullPath(options.ModelsDirectory)}");
            Write(options.Cloud is { } cloud
                ? $"  cloud link           {cloud.Broker}, outbox {Path.GetFullPath(EdgeNode.OutboxDirectory(options.DataDirectory, line.Id))}"
                : "  cloud link           none (give --broker to send summaries and alarms to the cloud)");
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
        catch (Exception e) when (e is EdgeStartException or SetupException or IOException or UnauthorizedAccessException or Factory.Link.BrokerTrustException or SecretException or Factory.OpcUa.Security.PkiException)
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

    /// <summary>The cloud link of an edge node, with credentials from the environment and, for TLS, the CA it trusts.</summary>
    /// <exception cref="Factory.Link.BrokerTrustException">The CA file cannot be read.</exception>
    /// <exception cref="SecretException">The password file cannot be read.</exception>
    internal static Factory.Edge.Link.CloudLinkOptions CloudLinkFor(Factory.Link.BrokerAddress broker, string? caFile = null) => new()
    {
        Broker = broker,
        UserName = Environment.GetEnvironmentVariable("FACTORY_MQTT_USER"),
        Password = Secrets.FromEnvironment("FACTORY_MQTT_PASSWORD"),
        Trust = caFile is null ? null : Factory.Link.BrokerTrust.FromCaFile(caFile),
    };

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
