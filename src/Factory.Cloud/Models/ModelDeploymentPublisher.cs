using System.Text.Json;
using Factory.Contracts.Models;
using Factory.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Models;

/// <summary>
/// Announces the registry's assignments to the edges over MQTT, retained: first the package bytes
/// of every assigned version, then the fleet deployment, then each canary line's (an empty one
/// for a line whose canary ended). Publishes everything at every connect and after every change,
/// so a broker that lost its retained messages is brought back.
/// </summary>
public sealed class ModelDeploymentPublisher : BackgroundService
{
    private readonly ModelRegistry _registry;
    private readonly MqttLink _link;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>Creates the publisher on its own MQTT connection.</summary>
    public ModelDeploymentPublisher(ModelRegistry registry, MqttLinkOptions link, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _registry = registry;
        _time = time;
        _logger = loggerFactory.CreateLogger<ModelDeploymentPublisher>();
        _link = new MqttLink(link, loggerFactory.CreateLogger<MqttLink>());
        _link.Connected = _ => Signal();
        _registry.AssignmentChanged += _ => Signal();
    }

    /// <summary>How many times everything was published.</summary>
    public int Publications { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var run = _link.RunAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await _link.WhenConnectedAsync(stoppingToken).ConfigureAwait(false);
                    await PublishAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (MqttLinkException e)
                {
                    // Published again at the next connect.
                    _logger.LogWarning("Model deployment not published: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await run.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _link.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _changed.Dispose();
        base.Dispose();
    }

    private Task Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A publication is pending already; it will read the newest state.
        }

        return Task.CompletedTask;
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var assignments = await _registry.AssignmentsAsync(cancellationToken).ConfigureAwait(false);
        var fleet = new List<DeployedModel>();
        var canaries = (await _registry.CanaryLinesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(line => line, _ => new List<DeployedModel>());
        foreach (var a in assignments)
        {
            if (a.FleetVersion is { } fleetVersion)
            {
                fleet.Add(await PublishPackageAsync(a.ModelId, fleetVersion, a.FleetContentHash!, cancellationToken).ConfigureAwait(false));
            }

            if (a.CanaryVersion is { } canaryVersion)
            {
                canaries[a.CanaryLine!].Add(await PublishPackageAsync(a.ModelId, canaryVersion, a.CanaryContentHash!, cancellationToken).ConfigureAwait(false));
            }
        }

        var now = _time.GetUtcNow();
        await _link.PublishAsync(ModelTopics.Fleet, Json(new ModelDeployment(ModelDeployment.CurrentSchemaVersion, fleet, now)), retain: true, cancellationToken).ConfigureAwait(false);
        foreach (var (line, models) in canaries)
        {
            await _link.PublishAsync(ModelTopics.Canary(line), Json(new ModelDeployment(ModelDeployment.CurrentSchemaVersion, models, now)), retain: true, cancellationToken).ConfigureAwait(false);
        }

        Publications++;
        _logger.LogInformation("Model deployment published: fleet {Fleet}; canaries {Canaries}", Describe(fleet), string.Join("; ", canaries.Where(c => c.Value.Count > 0).Select(c => $"{c.Key}: {Describe(c.Value)}")));
    }

    private async Task<DeployedModel> PublishPackageAsync(string modelId, int version, string contentHash, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(await _registry.PackageFileAsync(modelId, version, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await _link.PublishAsync(ModelTopics.Package(modelId, version), bytes, retain: true, cancellationToken).ConfigureAwait(false);
        return new DeployedModel(modelId, version, contentHash, bytes.Length);
    }

    private static byte[] Json(ModelDeployment deployment) => JsonSerializer.SerializeToUtf8Bytes(deployment, ModelDeploymentJsonContext.Default.ModelDeployment);

    private static string Describe(IEnumerable<DeployedModel> models) => string.Join(", ", models.Select(m => $"{m.ModelId} v{m.Version}"));
}
