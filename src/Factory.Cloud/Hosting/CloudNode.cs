using System.Net;
using Factory.Cloud.Access;
using Factory.Cloud.Alarms;
using Factory.Cloud.Broker;
using Factory.Cloud.Commands;
using Factory.Cloud.Database;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Ingest;
using Factory.Cloud.Models;
using Factory.Cloud.Planning;
using Factory.Cloud.Storage;
using Factory.Cloud.Training;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Factory.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Hosting;

/// <summary>How to run a cloud node.</summary>
public sealed record CloudOptions
{
    /// <summary>Where the cloud keeps its files: the embedded store, the set-aside log, the SQLite files, package files.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// The database of users, model registry and planning: the nodes of one cluster share a
    /// PostgreSQL database; null keeps them in SQLite files in <see cref="DataDirectory"/>.
    /// </summary>
    public CloudDatabase? Database { get; init; }

    /// <summary>The telemetry store; made once the node's logging exists.</summary>
    public required Func<ILoggerFactory, ITelemetryStore> Store { get; init; }

    /// <summary>Says which store, for people: "InfluxDB http://127.0.0.1:8086 database factory", "embedded store in data/cloud".</summary>
    public required string StoreDescription { get; init; }

    /// <summary>An external MQTT broker; null runs the embedded one.</summary>
    public BrokerAddress? Broker { get; init; }

    public string? BrokerUserName { get; init; }

    public string? BrokerPassword { get; init; }

    /// <summary>For an external <c>mqtts://</c> broker: which certificates are accepted (the system's trust store when null).</summary>
    public BrokerTrust? BrokerTrust { get; init; }

    /// <summary>The embedded broker's TLS certificate with its key: it then speaks MQTT over TLS only.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? EmbeddedBrokerTls { get; init; }

    /// <summary>The embedded broker's users (a Mosquitto password file); without it, anyone who reaches the port may connect.</summary>
    public BrokerPasswordFile? EmbeddedBrokerUsers { get; init; }

    /// <summary>The embedded broker's address and port (1883; 0 picks a free one).</summary>
    public IPAddress EmbeddedBrokerAddress { get; init; } = IPAddress.Loopback;

    public int EmbeddedBrokerPort { get; init; } = BrokerAddress.DefaultPort;

    /// <summary>The address and port of the cloud's HTTP API (8480 is the edges' first, so 8400; 0 picks a free one).</summary>
    public string HttpAddress { get; init; } = "127.0.0.1";

    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>This node's name: its MQTT client id is factory-cloud-{name}.</summary>
    public string NodeName { get; init; } = "cloud-1";

    public IngestOptions Ingest { get; init; } = new();

    /// <summary>The node's place in the cloud's Akka.Cluster; a cluster of one by default.</summary>
    public Fleet.CloudCluster Cluster { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How much worse than the fleet a canary line may alarm before fleet promotion is refused.</summary>
    public CanaryTolerance CanaryTolerance { get; init; } = new();

    /// <summary>
    /// The plant the node serves: the machine types of its machines (for RUL forecasts) and its
    /// lines; null when started without one (forecasts then say so).
    /// </summary>
    public Factory.Plant.Model.PlantConfig? Plant { get; init; }

    /// <summary>Adds the services of what the node also serves (the portal), before the node is built.</summary>
    public Action<WebApplicationBuilder>? AddServices { get; init; }

    /// <summary>Maps the endpoints of what the node also serves (the portal), after the node's API.</summary>
    public Action<WebApplication>? MapEndpoints { get; init; }

    public const int DefaultHttpPort = 8400;
}

/// <summary>
/// A cloud node on the .NET Generic Host: the embedded MQTT broker (unless an external one is
/// given), the ingest from the edges into the telemetry store, and the HTTP API with the
/// queries the portal needs.
/// </summary>
public static class CloudNode
{
    public static WebApplication Build(CloudOptions options, ILoggerFactory? loggerFactory = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "factory cloud" });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.HttpAddress), options.HttpPort));
        if (loggerFactory is not null)
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton(services => options.Store(services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(new SetAsideLog(Path.Combine(options.DataDirectory, SetAsideLog.FileName)));

        // The embedded broker starts before the ingest connects to it (hosted services start in order).
        if (options.Broker is null)
        {
            builder.Services.AddSingleton(services => new EmbeddedBroker(
                new EmbeddedBrokerOptions(options.EmbeddedBrokerAddress, options.EmbeddedBrokerPort) { TlsCertificate = options.EmbeddedBrokerTls, Users = options.EmbeddedBrokerUsers },
                services.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedBroker>()));
            builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedBroker>());
        }

        // The cluster (and the machines' entities) starts before the ingest, so that no stored batch misses its entity.
        AddCluster(builder, options);

        builder.Services.AddSingleton(services => new IngestService(
            LinkOptions(options, services, ""),
            services.GetRequiredService<ITelemetryStore>(),
            services.GetRequiredService<SetAsideLog>(),
            options.Ingest,
            options.Time,
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestService>());

        builder.Services.AddSingleton(services =>
        {
            var board = new AlarmBoard(services.GetRequiredService<ITelemetryStore>(), options.Time, services.GetRequiredService<ILoggerFactory>().CreateLogger<AlarmBoard>());
            services.GetRequiredService<IngestService>().Pipeline.Stored += batch => board.Apply(batch.Alarms);
            return board;
        });
        builder.Services.AddHostedService(services => services.GetRequiredService<AlarmBoard>());
        if (options.Ingest.SharedGroup is not null)
        {
            // Nodes sharing the ingest each store part of the alarms: they pass them to each other's boards.
            builder.Services.AddHostedService(services => new AlarmBoardFeed(
                LinkOptions(options, services, "-board"),
                services.GetRequiredService<AlarmBoard>(),
                services.GetRequiredService<IngestService>().Pipeline,
                services.GetRequiredService<ILoggerFactory>().CreateLogger<AlarmBoardFeed>()));
        }

        builder.Services.AddSingleton(services => new LineCommandSender(
            LinkOptions(options, services, "-commands"),
            options.Time,
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<LineCommandSender>());

        var database = options.Database ?? CloudDatabase.Sqlite(options.DataDirectory);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(services => ModelRegistry.Open(
            database,
            options.DataDirectory,
            new StoredAlarmRates(services.GetRequiredService<ITelemetryStore>()),
            options.Time,
            options.CanaryTolerance));
        builder.Services.AddHostedService(services => new ModelDeploymentPublisher(
            services.GetRequiredService<ModelRegistry>(),
            LinkOptions(options, services, "-models"),
            options.Time,
            services.GetRequiredService<ILoggerFactory>()));

        builder.Services.AddSingleton(services => new RulForecaster(
            services.GetRequiredService<ModelRegistry>(),
            services.GetRequiredService<ITelemetryStore>(),
            options.Plant,
            options.Time,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<RulForecaster>()));

        builder.Services.AddSingleton(services => new MaintenancePlanner(
            database,
            options.Plant,
            services.GetRequiredService<RulForecaster>(),
            services.GetRequiredService<LineCommandSender>(),
            options.Time));

        builder.Services.AddSingleton(services => new RulTrainingJobs(
            services.GetRequiredService<ModelRegistry>(),
            services.GetRequiredService<ITelemetryStore>(),
            options.Plant,
            options.DataDirectory,
            options.Time,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<RulTrainingJobs>()));

        // The users (of the portal and the API) and the API's tokens; the first start makes the first admin.
        builder.Services.AddSingleton(services => new UserAccounts(database, options.Time));
        SignInKeys.Add(builder.Services, database);
        builder.Services.AddSingleton(services => new FirstRun(services.GetRequiredService<UserAccounts>().EnsureFirstAdmin()));
        builder.Services.AddSingleton(services => new ApiTokens(services.GetRequiredService<UserAccounts>(), options.Time));
        builder.Services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiUserPolicy, policy => policy.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName).RequireAuthenticatedUser());

        options.AddServices?.Invoke(builder);
        var app = builder.Build();
        _ = app.Services.GetRequiredService<FirstRun>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));

        // Every /api endpoint needs a user's token; what changes the fleet's models needs a role as well.
        var api = app.MapGroup("").RequireAuthorization(ApiUserPolicy);
        api.MapCloudApi(options);
        api.MapModelsApi();
        options.MapEndpoints?.Invoke(app);
        return app;
    }

    /// <summary>
    /// The node's actor system as a member of the cloud's Akka.Cluster (remoting on
    /// <see cref="CloudOptions.Cluster"/>, keep-majority split-brain resolver), and the shard
    /// region of the machines' entities, which the ingest tells what it stored.
    /// </summary>
    private static void AddCluster(WebApplicationBuilder builder, CloudOptions options)
    {
        var cluster = options.Cluster;
        builder.Services.AddAkka(Fleet.CloudCluster.SystemName, (akka, services) =>
        {
            var logs = services.GetRequiredService<ILoggerFactory>();
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory(logs);
            });
            akka.AddHocon(
                $$"""
                akka.cluster.split-brain-resolver.stable-after = {{cluster.StableAfter.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}s
                akka.remote.dot-netty.tcp.maximum-frame-size = 4MB
                """,
                Akka.Hosting.HoconAddMode.Prepend);
            akka.WithCustomSerializer("factory-fleet", [typeof(Fleet.IFleetMessage)], system => new Fleet.FleetSerializer(system));
            akka.WithRemoting(new Akka.Remote.Hosting.RemoteOptions { HostName = cluster.Host, Port = cluster.Port, PublicHostName = cluster.PublicHost });
            akka.WithClustering(new Akka.Cluster.Hosting.ClusterOptions
            {
                SeedNodes = [.. cluster.Seeds],
                SplitBrainResolver = new Akka.Cluster.Hosting.SBR.KeepMajorityOption(),
            });
            var entityLogger = logs.CreateLogger<Fleet.MachineEntity>();
            akka.WithShardRegion<Fleet.MachineEntity>(
                "machine",
                entityId => Fleet.MachineEntity.Props(entityId, services.GetRequiredService<ITelemetryStore>(), services.GetRequiredService<RulForecaster>(), options.Time, entityLogger),
                new Fleet.MachineMessageExtractor(),
                new Akka.Cluster.Hosting.ShardOptions { StateStoreMode = Akka.Cluster.Sharding.StateStoreMode.DData, RememberEntities = false });
            akka.AddStartup((system, registry) =>
            {
                if (cluster.Seeds.Count == 0)
                {
                    var self = Akka.Cluster.Cluster.Get(system);
                    self.Join(self.SelfAddress);
                }

                var states = services.GetRequiredService<Fleet.MachineStates>();
                services.GetRequiredService<IngestService>().Pipeline.Stored += states.Observe;
            });
        });
        builder.Services.AddSingleton(services => new Fleet.MachineStates(
            services.GetRequiredService<Akka.Hosting.ActorRegistry>().Get<Fleet.MachineEntity>(),
            cluster.AskTimeout));
    }

    /// <summary>The policy of every <c>/api</c> endpoint: a request with a user's API token (<see cref="ApiTokens"/>).</summary>
    public const string ApiUserPolicy = "api-user";

    /// <summary>An MQTT connection of the node to its broker; each of the node's connections has its own client id, factory-cloud-{name}{suffix}.</summary>
    /// <remarks>To its embedded broker, the node connects as the broker's own node user, trusting exactly the broker's certificate.</remarks>
    private static MqttLinkOptions LinkOptions(CloudOptions options, IServiceProvider services, string suffix)
    {
        var clientId = $"factory-cloud-{options.NodeName}{suffix}";
        if (options.Broker is { } external)
        {
            return new MqttLinkOptions { Broker = external, ClientId = clientId, UserName = options.BrokerUserName, Password = options.BrokerPassword, Trust = options.BrokerTrust };
        }

        var embedded = services.GetRequiredService<EmbeddedBroker>();
        return new MqttLinkOptions { Broker = embedded.Address, ClientId = clientId, UserName = EmbeddedBroker.NodeUser, Password = embedded.NodePassword, Trust = embedded.Trust };
    }

    /// <summary>The API's address once the node has started, e.g. http://127.0.0.1:8400.</summary>
    public static Uri ApiUri(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>The broker the node's ingest listens to (the embedded one's actual port once started).</summary>
    public static BrokerAddress BrokerOf(WebApplication app, CloudOptions options) =>
        options.Broker ?? app.Services.GetRequiredService<EmbeddedBroker>().Address;
}
