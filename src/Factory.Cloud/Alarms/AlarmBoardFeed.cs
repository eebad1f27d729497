using System.Text.Json;
using System.Threading.Channels;
using Factory.Cloud.Ingest;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Alarms;

/// <summary>
/// Keeps the alarm boards of cloud nodes that share the ingest (<see cref="IngestOptions.SharedGroup"/>)
/// in step: each node publishes the alarm events it stored on <see cref="Topic"/>, and every node
/// applies what any node stored, so every node's portal lists every line's alarms live. Events
/// arriving twice, or a node's own, change nothing (the board keeps the newest by sequence).
/// </summary>
public sealed class AlarmBoardFeed : BackgroundService
{
    /// <summary>Cloud to cloud, QoS 1: <see cref="AlarmEvent"/>[] a node has just stored.</summary>
    public const string Topic = LinkTopics.Root + "/v1/cloud/stored-alarms";

    private readonly MqttLinkOptions _options;
    private readonly AlarmBoard _board;
    private readonly ILogger _logger;
    private readonly Channel<AlarmEvent[]> _stored = Channel.CreateUnbounded<AlarmEvent[]>(new UnboundedChannelOptions { SingleReader = true });

    public AlarmBoardFeed(MqttLinkOptions options, AlarmBoard board, IngestPipeline pipeline, ILogger<AlarmBoardFeed> logger)
    {
        _options = options with { Subscriptions = [Topic] };
        _board = board;
        _logger = logger;
        pipeline.Stored += batch =>
        {
            if (batch.Alarms.Count > 0)
            {
                _stored.Writer.TryWrite([.. batch.Alarms]);
            }
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var link = new MqttLink(_options, _logger);
        link.MessageReceived = e =>
        {
            try
            {
                _board.Apply(JsonSerializer.Deserialize(e.ApplicationMessage.Payload.FirstSpan, LinkJsonContext.Default.AlarmEventArray) ?? []);
            }
            catch (JsonException x)
            {
                _logger.LogWarning("Alarm board feed: a message on {Topic} is not a list of alarm events, ignored: {Reason}", Topic, x.Message);
            }

            return Task.CompletedTask;
        };
        var run = link.RunAsync(stoppingToken);
        try
        {
            await foreach (var events in _stored.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await link.PublishAsync(Topic, JsonSerializer.SerializeToUtf8Bytes(events, LinkJsonContext.Default.AlarmEventArray), retain: false, stoppingToken);
                }
                catch (MqttLinkException x)
                {
                    // The events are in the store: other nodes' boards read them at their next start.
                    _logger.LogWarning("Alarm board feed: {Count} stored alarm events not passed to the other nodes: {Reason}", events.Length, x.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await run;
    }
}
