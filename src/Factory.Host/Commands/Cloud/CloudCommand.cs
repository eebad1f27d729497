using System.ComponentModel;
using System.Net;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Cloud;

public sealed class CloudSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Where the cloud keeps its files: the embedded telemetry store, the set-aside log")]
    [DefaultValue("data/cloud")]
    public string Data { get; init; } = "data/cloud";

    [CommandOption("--port <PORT>")]
    [Description("Port of the cloud's HTTP API and portal")]
    [DefaultValue(CloudOptions.DefaultHttpPort)]
    public int Port { get; init; } = CloudOptions.DefaultHttpPort;

    [CommandOption("--address <IP>")]
    [Description("Address the HTTP API listens on; 0.0.0.0 to reach it from other machines")]
    [DefaultValue("127.0.0.1")]
    public string Address { get; init; } = "127.0.0.1";

    [CommandOption("--broker <URI>")]
    [Description("An external MQTT broker, e.g. mqtt://127.0.0.1:1883 (default: run the embedded broker). User and password from FACTORY_MQTT_USER and FACTORY_MQTT_PASSWORD")]
    public string? Broker { get; init; }

    [CommandOption("--mqtt-port <PORT>")]
    [Description("Port of the embedded MQTT broker")]
    [DefaultValue(BrokerAddress.DefaultPort)]
    public int MqttPort { get; init; } = BrokerAddress.DefaultPort;

    [CommandOption("--mqtt-address <IP>")]
    [Description("Address the embedded MQTT broker listens on; 0.0.0.0 for edges on other machines")]
    [DefaultValue("127.0.0.1")]
    public string MqttAddress { get; init; } = "127.0.0.1";

    [CommandOption("--influx <URI>")]
    [Description("InfluxDB's HTTP API (v1), e.g. http://127.0.0.1:8086 (default: the embedded store in --data). User and password from FACTORY_INFLUX_USER and FACTORY_INFLUX_PASSWORD")]
    public string? Influx { get; init; }

    [CommandOption("--influx-database <NAME>")]
    [Description("The InfluxDB database; created if missing")]
    [DefaultValue("factory")]
    public string InfluxDatabase { get; init; } = "factory";

    [CommandOption("--config <FILE>")]
    [Description("The plant configuration: the machine types of its machines (RUL forecasts) and its lines. Without it the portal plans nothing and forecasts no RUL")]
    public string? Config { get; init; }

    [CommandOption("--node <NAME>")]
    [Description("This cloud node's name (its MQTT client is factory-cloud-<name>)")]
    [DefaultValue("cloud-1")]
    public string Node { get; init; } = "cloud-1";

    public override ValidationResult Validate()
    {
        if (Port is < 0 or > 65535 || MqttPort is < 0 or > 65535)
        {
            return ValidationResult.Error($"--port {Port} or --mqtt-port {MqttPort} is not a port (0 to 65535)");
        }

        if (!IPAddress.TryParse(Address, out _) || !IPAddress.TryParse(MqttAddress, out _))
        {
            return ValidationResult.Error($"--address '{Address}' or --mqtt-address '{MqttAddress}' is not an IP address");
        }

        if (Broker is not null && !Factory.Link.BrokerAddress.TryParse(Broker, out _, out var brokerProblem))
        {
            return ValidationResult.Error($"--broker: {brokerProblem}");
        }

        if (Influx is not null)
        {
            if (!Uri.TryCreate(Influx, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ValidationResult.Error($"--influx '{Influx}' is not an http:// or https:// address, e.g. http://127.0.0.1:8086");
            }

            if (InfluxOptions(uri).Problems() is { Count: > 0 } problems)
            {
                return ValidationResult.Error($"--influx: {string.Join("; ", problems)}");
            }
        }

        return ValidationResult.Success();
    }

    private InfluxTelemetryStoreOptions InfluxOptions(Uri uri) => new()
    {
        BaseUri = uri,
        Database = InfluxDatabase,
        User = Environment.GetEnvironmentVariable("FACTORY_INFLUX_USER"),
        Password = Environment.GetEnvironmentVariable("FACTORY_INFLUX_PASSWORD"),
    };

    internal CloudOptions ToOptions(Plant.Model.PlantConfig? plant = null) => new()
    {
        Plant = plant,
        DataDirectory = Data,
        Store = Influx is null
            ? logs => new EmbeddedTelemetryStore(Data, logs.CreateLogger<EmbeddedTelemetryStore>())
            : logs => new InfluxTelemetryStore(InfluxOptions(new Uri(Influx)), logs.CreateLogger<InfluxTelemetryStore>()),
        StoreDescription = Influx is null
            ? $"embedded store {Path.GetFullPath(Path.Combine(Data, EmbeddedTelemetryStore.FileName))}"
            : $"InfluxDB {Influx} database {InfluxDatabase}",
        Broker = Broker is null ? null : BrokerAddress.Parse(Broker),
        BrokerUserName = Environment.GetEnvironmentVariable("FACTORY_MQTT_USER"),
        BrokerPassword = Environment.GetEnvironmentVariable("FACTORY_MQTT_PASSWORD"),
        EmbeddedBrokerAddress = IPAddress.Parse(MqttAddress),
        EmbeddedBrokerPort = MqttPort,
        HttpAddress = Address,
        HttpPort = Port,
        NodeName = Node,
        AddServices = Portal.Hosting.PortalHosting.AddPortal,
        MapEndpoints = Portal.Hosting.PortalHosting.MapPortal,
    };
}

/// <summary>
/// <c>factory cloud</c>: a cloud node until Ctrl+C: the MQTT broker (embedded unless --broker),
/// the ingest of what the edges send into the telemetry store (InfluxDB with --influx, else the
/// embedded store), and the HTTP API.
/// </summary>
public sealed class CloudCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : AsyncCommand<CloudSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CloudSettings settings, CancellationToken cancellationToken)
    {
        Plant.Model.PlantConfig? plant = null;
        if (settings.Config is not null && (plant = Commands.Simulate.PlantSetup.TryLoadConfig(settings.Config, console.Profile.Out.Writer)) is null)
        {
            return 1;
        }

        var options = settings.ToOptions(plant);
        WebApplication node;
        try
        {
            node = CloudNode.Build(options, loggerFactory);
            await node.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Write(e.Message, Color.Red);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        Write($"Cloud node {options.NodeName}");
        Write($"  portal            {CloudNode.ApiUri(node)}");
        if (node.Services.GetRequiredService<Factory.Cloud.Access.FirstRun>().TakePassword() is { } password)
        {
            Write($"  first start: portal user '{Factory.Cloud.Access.UserAccounts.FirstAdmin}', password {password} (shown this once; it is stored only as a hash)", Color.Yellow);
        }

        Write($"  HTTP API          {CloudNode.ApiUri(node)}  (/api/ingest, /api/telemetry/latest, /api/telemetry/sensor, /api/alarms/history, /api/forecasts/rul)");
        Write($"  plant             {(plant is null ? "none (--config): no RUL forecasts, no planning" : plant.SourcePath)}");
        Write($"  MQTT broker       {CloudNode.BrokerOf(node, options)}{(options.Broker is null ? " (embedded)" : "")}");
        Write($"  telemetry store   {options.StoreDescription}");
        Write("Ctrl+C stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: a normal end.
        }

        await node.StopAsync(CancellationToken.None);
        await node.DisposeAsync();
        return 0;
    }

    private void Write(string text, Color? color = null)
    {
        console.Write(new Text(text, color is { } c ? new Style(c) : Style.Plain));
        console.WriteLine();
    }
}
