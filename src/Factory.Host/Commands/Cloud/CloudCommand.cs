using System.ComponentModel;
using System.Net;
using Factory.Cloud.Database;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Host.Cli;
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
    [Description("An external MQTT broker, e.g. mqtts://broker.plant:8883 (TLS) or mqtt://127.0.0.1:1883 (default: run the embedded broker). User and password from FACTORY_MQTT_USER and FACTORY_MQTT_PASSWORD (or FACTORY_MQTT_PASSWORD_FILE)")]
    public string? Broker { get; init; }

    [CommandOption("--ingest-group <NAME>")]
    [Description("With --broker and several cloud nodes: the MQTT shared subscription group the nodes split the edges' records in (each record to one node)")]
    public string? IngestGroup { get; init; }

    [CommandOption("--broker-ca <PEM>")]
    [Description("With an mqtts:// --broker: the CA certificate its certificate must be issued by (default: the system's trust store)")]
    public string? BrokerCa { get; init; }

    [CommandOption("--mqtt-port <PORT>")]
    [Description("Port of the embedded MQTT broker (default 1883, or 8883 with --mqtt-tls-cert)")]
    public int? MqttPort { get; init; }

    [CommandOption("--mqtt-tls-cert <PEM>")]
    [Description("The embedded broker's certificate (PEM, with --mqtt-tls-key): it then speaks MQTT over TLS only")]
    public string? MqttTlsCert { get; init; }

    [CommandOption("--mqtt-tls-key <PEM>")]
    [Description("The private key of --mqtt-tls-cert (PEM)")]
    public string? MqttTlsKey { get; init; }

    [CommandOption("--mqtt-password-file <FILE>")]
    [Description("The embedded broker's users, a Mosquitto password file (mosquitto_passwd): only they may connect")]
    public string? MqttPasswordFile { get; init; }

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

    [CommandOption("--database <CONNECTION>")]
    [Description("A PostgreSQL database the cloud nodes share for users, model registry and planning, e.g. \"Host=10.0.0.7;Database=factory;Username=factory\"; password from FACTORY_DATABASE_PASSWORD. Default: SQLite files in --data, for one node")]
    public string? Database { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The plant configuration: the machine types of its machines (RUL forecasts) and its lines. Without it the portal plans nothing and forecasts no RUL")]
    public string? Config { get; init; }

    [CommandOption("--node <NAME>")]
    [Description("This cloud node's name (its MQTT client is factory-cloud-<name>)")]
    [DefaultValue("cloud-1")]
    public string Node { get; init; } = "cloud-1";

    [CommandOption("--cluster-port <PORT>")]
    [Description("Port of this node in the cloud's Akka.Cluster; 0 picks a free one (a cluster of one, the default)")]
    [DefaultValue(0)]
    public int ClusterPort { get; init; }

    [CommandOption("--cluster-address <HOST>")]
    [Description("Address this node listens on for the other cloud nodes, and by which they reach it")]
    [DefaultValue("127.0.0.1")]
    public string ClusterAddress { get; init; } = "127.0.0.1";

    [CommandOption("--cluster-seed <HOST:PORT>")]
    [Description("A seed node of the cloud's cluster, e.g. 10.0.0.5:4053 (or akka.tcp://factory-cloud@10.0.0.5:4053); may be given more than once. Without it the node is a cluster of one")]
    public string[] ClusterSeeds { get; init; } = [];

    [CommandOption("--cluster-stable-after <SECONDS>")]
    [Description("How long the split-brain resolver waits before it downs unreachable nodes (keep-majority), so that their machines move")]
    [DefaultValue(20.0)]
    public double ClusterStableAfterSeconds { get; init; } = 20;

    public override ValidationResult Validate()
    {
        if (ClusterPort is < 0 or > 65535)
        {
            return ValidationResult.Error($"--cluster-port {ClusterPort} is not a port (0 to 65535)");
        }

        foreach (var seed in ClusterSeeds)
        {
            if (SeedAddress(seed) is null)
            {
                return ValidationResult.Error($"--cluster-seed '{seed}' is not HOST:PORT or akka.tcp://{Factory.Cloud.Fleet.CloudCluster.SystemName}@HOST:PORT");
            }
        }

        if (!(ClusterStableAfterSeconds >= 1) || ClusterStableAfterSeconds > 600)
        {
            return ValidationResult.Error("--cluster-stable-after must be between 1 and 600 seconds");
        }

        if (Port is < 0 or > 65535 || EmbeddedBrokerPort is < 0 or > 65535)
        {
            return ValidationResult.Error($"--port {Port} or --mqtt-port {EmbeddedBrokerPort} is not a port (0 to 65535)");
        }

        if (!IPAddress.TryParse(Address, out _) || !IPAddress.TryParse(MqttAddress, out _))
        {
            return ValidationResult.Error($"--address '{Address}' or --mqtt-address '{MqttAddress}' is not an IP address");
        }

        BrokerAddress? broker = null;
        if (Broker is not null && !Factory.Link.BrokerAddress.TryParse(Broker, out broker, out var brokerProblem))
        {
            return ValidationResult.Error($"--broker: {brokerProblem}");
        }

        if (BrokerCa is not null && broker is not { Tls: true })
        {
            return ValidationResult.Error("--broker-ca is for a TLS broker: give --broker mqtts://host:port");
        }

        if (IngestGroup is not null && Broker is null)
        {
            return ValidationResult.Error("--ingest-group needs --broker: the embedded broker (MQTTnet) has no shared subscriptions; run Mosquitto and give every node --broker");
        }

        if (IngestGroup is { } group && (group.Length == 0 || group.IndexOfAny(['/', '+', '#', '$']) >= 0))
        {
            return ValidationResult.Error($"--ingest-group '{group}' cannot name a shared subscription group: no '/', '+', '#' or '$'");
        }

        if ((MqttTlsCert is null) != (MqttTlsKey is null))
        {
            return ValidationResult.Error("--mqtt-tls-cert and --mqtt-tls-key go together: the embedded broker's certificate and its private key");
        }

        if (Broker is not null && (MqttTlsCert is not null || MqttPasswordFile is not null))
        {
            return ValidationResult.Error("--mqtt-tls-cert and --mqtt-password-file configure the embedded broker; with --broker, configure that broker instead");
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

        if (Database is not null)
        {
            try
            {
                CloudDatabase.PostgreSql(Database);
            }
            catch (CloudDatabaseException e)
            {
                return ValidationResult.Error($"--database: {e.Message}");
            }
        }

        return ValidationResult.Success();
    }

    /// <summary>A seed's Akka address from HOST:PORT or the address itself; null when it is neither.</summary>
    internal static string? SeedAddress(string text)
    {
        var prefix = $"akka.tcp://{Factory.Cloud.Fleet.CloudCluster.SystemName}@";
        var hostPort = text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
        var colon = hostPort.LastIndexOf(':');
        return colon > 0 && int.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 && !hostPort[..colon].Contains('/', StringComparison.Ordinal)
            ? Factory.Cloud.Fleet.CloudCluster.SeedAddress(hostPort[..colon], port)
            : null;
    }

    /// <summary>--mqtt-port, or 1883 (8883 with TLS).</summary>
    private int EmbeddedBrokerPort => MqttPort ?? (MqttTlsCert is null ? BrokerAddress.DefaultPort : BrokerAddress.DefaultTlsPort);

    /// <exception cref="BrokerTrustException">The certificate or its key cannot be read.</exception>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadBrokerCertificate(string certificate, string key)
    {
        try
        {
            return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new BrokerTrustException($"--mqtt-tls-cert {certificate} with --mqtt-tls-key {key}: cannot load the broker's certificate and key: {e.Message}");
        }
    }

    private InfluxTelemetryStoreOptions InfluxOptions(Uri uri) => new()
    {
        BaseUri = uri,
        Database = InfluxDatabase,
        User = Environment.GetEnvironmentVariable("FACTORY_INFLUX_USER"),
        Password = Secrets.FromEnvironment("FACTORY_INFLUX_PASSWORD"),
    };

    internal CloudOptions ToOptions(Plant.Model.PlantConfig? plant = null) => new()
    {
        Plant = plant,
        DataDirectory = Data,
        Database = Database is null ? null : CloudDatabase.PostgreSql(Database, Secrets.FromEnvironment("FACTORY_DATABASE_PASSWORD")),
        Store = Influx is null
            ? logs => new EmbeddedTelemetryStore(Data, logs.CreateLogger<EmbeddedTelemetryStore>())
            : logs => new InfluxTelemetryStore(InfluxOptions(new Uri(Influx)), logs.CreateLogger<InfluxTelemetryStore>()),
        StoreDescription = Influx is null
            ? $"embedded store {Path.GetFullPath(Path.Combine(Data, EmbeddedTelemetryStore.FileName))}"
            : $"InfluxDB {Influx} database {InfluxDatabase}",
        Broker = Broker is null ? null : BrokerAddress.Parse(Broker),
        BrokerUserName = Environment.GetEnvironmentVariable("FACTORY_MQTT_USER"),
        BrokerPassword = Secrets.FromEnvironment("FACTORY_MQTT_PASSWORD"),
        BrokerTrust = BrokerCa is null ? null : BrokerTrust.FromCaFile(BrokerCa),
        EmbeddedBrokerAddress = IPAddress.Parse(MqttAddress),
        EmbeddedBrokerPort = EmbeddedBrokerPort,
        EmbeddedBrokerTls = MqttTlsCert is null ? null : LoadBrokerCertificate(MqttTlsCert, MqttTlsKey!),
        EmbeddedBrokerUsers = MqttPasswordFile is null ? null : Factory.Cloud.Broker.BrokerPasswordFile.Load(MqttPasswordFile),
        Ingest = new Factory.Cloud.Ingest.IngestOptions { SharedGroup = IngestGroup },
        Cluster = new Factory.Cloud.Fleet.CloudCluster
        {
            Host = ClusterAddress,
            Port = ClusterPort,
            Seeds = [.. ClusterSeeds.Select(s => SeedAddress(s)!)],
            StableAfter = TimeSpan.FromSeconds(ClusterStableAfterSeconds),
        },
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

        CloudOptions options;
        WebApplication node;
        try
        {
            options = settings.ToOptions(plant);
            node = CloudNode.Build(options, loggerFactory);
            await node.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or BrokerTrustException or Factory.Cloud.Broker.BrokerPasswordFileException or SecretException or CloudDatabaseException)
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
        Write($"  database          {node.Services.GetRequiredService<CloudDatabase>().Description} (users, model registry, planning)");
        var cluster = Akka.Cluster.Cluster.Get(node.Services.GetRequiredService<Akka.Actor.ActorSystem>());
        Write($"  cluster           {cluster.SelfAddress}{(options.Cluster.Seeds.Count == 0 ? " (a cluster of one)" : $", seeds {string.Join(", ", options.Cluster.Seeds)}")}");
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
