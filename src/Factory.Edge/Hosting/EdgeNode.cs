using Akka.Hosting;
using Factory.Edge.Actors;
using Factory.Edge.Alarms;
using Factory.Edge.Link;
using Factory.Edge.Models;
using Factory.Edge.Outbox;
using Factory.Edge.Panel;
using Factory.Plant.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Hosting;

/// <summary>How to run the edge node of one line.</summary>
public sealed record EdgeOptions
{
    public required PlantConfig Plant { get; init; }

    public required string LineId { get; init; }

    /// <summary>The address the line-side panel and its API listen on; loopback unless the panel is to be reached from other machines.</summary>
    public string PanelAddress { get; init; } = "127.0.0.1";

    /// <summary>The panel's port; 0 picks a free one (tests).</summary>
    public int PanelPort { get; init; } = DefaultPanelPort;

    /// <summary>Where the alarm journal is kept.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where model packages are looked for.</summary>
    public required string ModelsDirectory { get; init; }

    public EdgeTuning Tuning { get; init; } = new();

    public AlarmBookOptions Alarms { get; init; } = new();

    /// <summary>How the node reaches the line's OPC UA servers.</summary>
    public OpcUaAccess OpcUa { get; init; } = OpcUaAccess.Anonymous;

    /// <summary>The link to the cloud; null runs the node without one (nothing is kept for the cloud then).</summary>
    public CloudLinkOptions? Cloud { get; init; }

    /// <summary>Disk quota of the outbox that keeps what the cloud has not confirmed yet (<c>outbox-{line}</c> in the data directory).</summary>
    public long OutboxQuotaBytes { get; init; } = 1L << 30;

    /// <summary>The edge's clock (a fake one in tests of time-dependent behaviour such as shelve expiry).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public const int DefaultPanelPort = 8480;

    /// <summary>The default panel port of the n-th line of the plant (0-based): 8481, 8482, ...</summary>
    public static int PanelPortOf(PlantConfig plant, string lineId) =>
        DefaultPanelPort + 1 + plant.Lines.Select((l, i) => (l.Id, i)).First(l => l.Id == lineId).i;
}

/// <summary>
/// The edge node of a production line, hosted on the .NET Generic Host: the line's actors
/// (Akka.Hosting) and the line-side alarm panel with its JSON API (Kestrel, on its own port).
/// </summary>
public static class EdgeNode
{
    /// <summary>Builds the node; <c>StartAsync</c> / <c>RunAsync</c> on the result runs it.</summary>
    /// <param name="loggerFactory">Where the node logs; the host's default (console) when null.</param>
    /// <exception cref="EdgeStartException">The line is not in the plant, or its data directory cannot hold the alarm journal.</exception>
    public static WebApplication Build(EdgeOptions options, ILoggerFactory? loggerFactory = null)
    {
        var line = options.Plant.Lines.FirstOrDefault(l => l.Id == options.LineId)
            ?? throw new EdgeStartException($"Line '{options.LineId}' is not in {options.Plant.SourcePath}; its lines are {string.Join(", ", options.Plant.Lines.Select(l => l.Id))}.");
        options.Alarms.Validate();
        CheckJournal(options, line);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = $"factory edge {line.Id}" });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(options.PanelAddress), options.PanelPort));
        if (loggerFactory is not null)
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var feed = new AlarmFeed();
        builder.Services.AddSingleton(feed);
        builder.Services.AddSingleton(options.Time);
        var outbox = options.Cloud is null ? null : OpenOutbox(options, line, loggerFactory);
        if (outbox is not null)
        {
            // Disposed by the container after every hosted service stopped: the actors' last records are flushed.
            builder.Services.AddSingleton(outbox);
            builder.Services.AddSingleton(services => new CloudLink(
                line.Id,
                options.Cloud!,
                outbox,
                options.Time,
                services.GetRequiredService<ILoggerFactory>(),
                new DeploymentReceiver(line.Id, options.ModelsDirectory, services.GetRequiredService<ILoggerFactory>().CreateLogger<DeploymentReceiver>()),
                new LineCommandReceiver(
                    line.Id,
                    () => services.GetRequiredService<ActorRegistry>().Get<LineActor>(),
                    options.Time,
                    services.GetRequiredService<ILoggerFactory>().CreateLogger<LineCommandReceiver>())));
        }

        var settings = new LineSettings(options.Plant, line, options.DataDirectory, options.ModelsDirectory, options.Tuning, options.Alarms) { Outbox = outbox, OpcUa = options.OpcUa };
        builder.Services.AddAkka($"factory-edge-{line.Id}", (akka, services) =>
        {
            var logs = services.GetRequiredService<ILoggerFactory>();
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory(logs);
            });
            akka.WithActors((system, registry) =>
                registry.Register<LineActor>(system.ActorOf(LineActor.Props(settings, feed, options.Time, logs), line.Id)));
        });

        // Registered after Akka's, so started after it: the node (and its panel, which Kestrel
        // serves once every hosted service has started) is up only when the journal has been read,
        // and never shows an empty alarm list that is not the truth.
        builder.Services.AddHostedService(_ => new JournalLoadedGate(feed, AlarmActor.JournalFile(line.Id)));
        if (outbox is not null)
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<CloudLink>());
        }

        var app = builder.Build();
        if (outbox is not null)
        {
            // The container does not dispose of an instance it was given: close the outbox (and
            // release its lock) once every hosted service has stopped, so the node can start again.
            app.Lifetime.ApplicationStopped.Register(outbox.Dispose);
        }

        var registry = app.Services.GetRequiredService<ActorRegistry>();
        app.MapAlarmPanel(() => registry.Get<LineActor>());
        app.MapGet("/api/link", (IServiceProvider services) => services.GetService<CloudLink>() is { } link
            ? Results.Ok(link.Status)
            : Results.Ok(new { connected = false, state = "this edge node has no cloud link (start it with --broker)" }));
        return app;
    }

    /// <summary>The panel's address once the node has started, e.g. http://127.0.0.1:8481.</summary>
    public static Uri PanelUri(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>The outbox's folder in an edge node's data directory.</summary>
    public static string OutboxDirectory(string dataDirectory, string line) => Path.Combine(dataDirectory, $"outbox-{line}");

    private static EdgeOutbox OpenOutbox(EdgeOptions options, Line line, ILoggerFactory? loggerFactory)
    {
        var directory = OutboxDirectory(options.DataDirectory, line.Id);
        try
        {
            return EdgeOutbox.Open(
                new OutboxOptions(directory) { QuotaBytes = options.OutboxQuotaBytes },
                options.Time,
                (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<EdgeOutbox>());
        }
        catch (OutboxException e)
        {
            throw new EdgeStartException($"The outbox of line {line.Id} cannot be opened: {e.Message}", e);
        }
    }

    private static void CheckJournal(EdgeOptions options, Line line)
    {
        // Found out now, with a clear message, rather than by an alarm actor failing at its start.
        var path = Path.Combine(options.DataDirectory, AlarmActor.JournalFile(line.Id));
        try
        {
            using var journal = AlarmJournal.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeStartException($"The alarm journal {Path.GetFullPath(path)} of line {line.Id} cannot be opened: {e.Message} (is another edge node of this line running with the same data directory?)", e);
        }
    }
}

/// <summary>The edge node cannot start; the message says why.</summary>
public sealed class EdgeStartException : Exception
{
    public EdgeStartException(string message)
        : base(message)
    {
    }

    public EdgeStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Holds the node's start until the alarm actor has read the journal into the feed.</summary>
internal sealed class JournalLoadedGate(AlarmFeed feed, string journal) : IHostedService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await feed.Loaded.WaitAsync(Limit, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new EdgeStartException($"The alarm journal {journal} was not read within {Limit.TotalSeconds:0} s; the log says why.", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
