using System.Buffers;
using Factory.Cloud.Storage;
using Factory.Contracts.Link;
using Factory.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Ingest;

/// <summary>
/// The cloud's MQTT side: subscribes to the records of every line (in every protocol version, to
/// refuse the unknown ones clearly), alone or shared with other nodes
/// (<see cref="IngestOptions.SharedGroup"/>), and hands each message to the
/// <see cref="IngestPipeline"/>, which acknowledges it only once it is stored.
/// </summary>
public sealed class IngestService : BackgroundService
{
    private readonly MqttLinkOptions _linkOptions;
    private readonly ILogger _logger;
    private MqttLink? _link;

    public IngestService(MqttLinkOptions linkOptions, ITelemetryStore store, SetAsideLog setAside, IngestOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _linkOptions = linkOptions with { Subscriptions = [RecordsSubscription(options)] };
        _logger = loggerFactory.CreateLogger<IngestService>();
        Pipeline = new IngestPipeline(store, setAside, PublishAsync, options, time, loggerFactory.CreateLogger<IngestPipeline>());
    }

    public IngestPipeline Pipeline { get; }

    /// <summary>The topic filter of the edges' records: every line's, shared with the group's other nodes when there is a group.</summary>
    public static string RecordsSubscription(IngestOptions options) =>
        options.SharedGroup is { } group ? $"$share/{group}/{LinkTopics.AllRecords}" : LinkTopics.AllRecords;

    /// <summary>The MQTT connection's state, for the status API.</summary>
    public string LinkStatus => _link?.Status ?? "not started";

    public bool Connected => _link?.IsConnected ?? false;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var link = new MqttLink(_linkOptions, _logger);
        _link = link;
        link.MessageReceived = async e =>
        {
            // Acknowledged to the broker by the pipeline, after the store has the records.
            e.AutoAcknowledge = false;
            var payload = e.ApplicationMessage.Payload.ToArray();
            await Pipeline.AcceptAsync(new IngestMessage(e.ApplicationMessage.Topic, payload, e.AcknowledgeAsync), stoppingToken);
        };

        var store = Pipeline.RunAsync(stoppingToken);
        await link.RunAsync(stoppingToken);
        await store;
    }

    private Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken) =>
        _link is { } link ? link.PublishAsync(topic, payload, retain, cancellationToken) : throw new MqttLinkException("the cloud's MQTT link has not started");
}
