using System.Buffers;
using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Edge.Models;
using Factory.Edge.Outbox;
using Factory.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Link;

/// <summary>What the panel and the metrics show of the link to the cloud.</summary>
/// <param name="Broker">mqtt://host:port.</param>
/// <param name="Connected">Whether the MQTT connection is up.</param>
/// <param name="State">What the link is doing, in words.</param>
/// <param name="Refusal">Why the cloud refuses what this edge sends (protocol version), if it does.</param>
/// <param name="MessagesSent">MQTT messages published since the node started.</param>
/// <param name="RecordsSent">Records in them (a record sent again counts again).</param>
/// <param name="RecordsAcknowledged">Records the cloud confirmed it stored.</param>
/// <param name="LastAcknowledgement">When the cloud last confirmed something.</param>
/// <param name="Resends">How many times records in flight were sent again (reconnect, or no acknowledgement in time).</param>
/// <param name="Outbox">The outbox: backlog size, age, appended and evicted records.</param>
/// <param name="BacklogAgeSeconds">How old the oldest record not yet acknowledged is, by the edge's clock; null when there is none.</param>
public sealed record CloudLinkStatus(
    string Broker,
    bool Connected,
    string State,
    string? Refusal,
    long MessagesSent,
    long RecordsSent,
    long RecordsAcknowledged,
    DateTimeOffset? LastAcknowledgement,
    long Resends,
    OutboxMetrics Outbox,
    double? BacklogAgeSeconds);

/// <summary>
/// Sends the outbox to the cloud: takes records (alarms first), publishes them in batches at QoS
/// 1, and removes them from the outbox only when the cloud says it stored them. A PUBACK only
/// means the broker has the message, and a broker killed before its next save loses it; the
/// cloud's acknowledgement means the records are in the store. Whatever is in flight when the
/// connection comes back, or when no acknowledgement comes in time, is sent again; the cloud
/// keeps one copy.
/// </summary>
public sealed class CloudLink : BackgroundService
{
    private readonly string _line;
    private readonly CloudLinkOptions _options;
    private readonly EdgeOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttLink _link;
    private readonly SemaphoreSlim _acknowledged = new(0);
    private readonly SemaphoreSlim _publishing;
    private long _messagesSent;
    private long _recordsSent;
    private long _recordsAcknowledged;
    private long _resends;
    private DateTimeOffset? _lastAcknowledgement;
    private DateTimeOffset _lastProgress;

    // The oldest record in flight and since when it has been the oldest: with several cloud nodes
    // sharing the ingest, one that dies takes the acknowledgement of what it held with it while the
    // others acknowledge what came after, so progress alone does not reveal the loss.
    private long? _oldestInFlight;
    private DateTimeOffset _oldestInFlightSince;
    private DateTimeOffset _lastOldestCheck;
    private TimeSpan _acknowledgementTimeout;
    private string? _refusal;
    private readonly DeploymentReceiver? _deployments;
    private readonly LineCommandReceiver? _commands;

    /// <param name="deployments">When given, the link also receives the model deployment the cloud's registry announces for the line.</param>
    /// <param name="commands">When given, the link also carries out what the cloud's portal asks of the line, and answers.</param>
    public CloudLink(string line, CloudLinkOptions options, EdgeOutbox outbox, TimeProvider time, ILoggerFactory loggerFactory, DeploymentReceiver? deployments = null, LineCommandReceiver? commands = null)
    {
        _deployments = deployments;
        _commands = commands;
        _line = line;
        _options = options;
        _outbox = outbox;
        _time = time;
        _logger = loggerFactory.CreateLogger<CloudLink>();
        _acknowledgementTimeout = options.AcknowledgementTimeout;
        _publishing = new SemaphoreSlim(options.MaxMessagesInFlight);
        _link = new MqttLink(
            new MqttLinkOptions
            {
                Broker = options.Broker,
                ClientId = $"factory-edge-{line}",
                Subscriptions = [LinkTopics.Acknowledgements(line), LinkTopics.Refusals(line), .. deployments?.Topics ?? [], .. commands is null ? Array.Empty<string>() : [commands.Topic]],
                UserName = options.UserName,
                Password = options.Password,
                Trust = options.Trust,
            },
            _logger);
        _link.MessageReceived = OnMessageAsync;
        _link.Connected = OnConnectedAsync;
    }

    public CloudLinkStatus Status
    {
        get
        {
            var metrics = _outbox.Metrics;
            var now = _time.GetUtcNow();
            return new CloudLinkStatus(
                _options.Broker.ToString(),
                _link.IsConnected,
                _link.Status,
                Volatile.Read(ref _refusal),
                Interlocked.Read(ref _messagesSent),
                Interlocked.Read(ref _recordsSent),
                Interlocked.Read(ref _recordsAcknowledged),
                _lastAcknowledgement,
                Interlocked.Read(ref _resends),
                metrics,
                metrics.OldestPendingTime is { } oldest ? Math.Max(0, Math.Round((now - oldest).TotalSeconds, 1)) : null);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = _link.RunAsync(stoppingToken);
        try
        {
            await SendAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not acknowledged stays in the outbox for the next start.
        }

        await connection;
        await _link.DisposeAsync();
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _link.WhenConnectedAsync(cancellationToken);
            var metrics = _outbox.Metrics;
            if (metrics.InFlightRecords > 0 && _time.GetUtcNow() - _lastProgress > _acknowledgementTimeout)
            {
                Resend($"no acknowledgement from the cloud for {_acknowledgementTimeout.TotalSeconds:0} s");
                _acknowledgementTimeout = TimeSpan.FromTicks(Math.Min(_acknowledgementTimeout.Ticks * 2, _options.AcknowledgementTimeoutMaximum.Ticks));
                continue;
            }

            if (metrics.InFlightRecords > 0 && StuckRecord() is { } stuck)
            {
                Resend($"record {stuck} has waited {_acknowledgementTimeout.TotalSeconds:0} s for its acknowledgement while later ones were acknowledged (a cloud node may have died holding it)");
                continue;
            }

            if (metrics.InFlightRecords >= _options.MaxInFlightRecords)
            {
                await _acknowledged.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                // Woken by new records; every second anyway, to notice a missing acknowledgement.
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await _outbox.WaitForPendingAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
            }

            var records = _outbox.Take(_options.MaxRecordsPerMessage, _options.MaxBytesPerMessage);
            if (records.Count == 0)
            {
                continue;
            }

            if (metrics.InFlightRecords == 0)
            {
                _lastProgress = _time.GetUtcNow();
            }

            var payload = RecordBatchWriter.Write(_line, records.Select(r => (r.Sequence, r.Kind, r.Body)));

            // A few messages on the way at once: waiting for each PUBACK before the next left the
            // link idle most of the time (docs/benchmarks.md, link-replay).
            await _publishing.WaitAsync(cancellationToken);
            _ = PublishAsync(payload, records.Count, cancellationToken);
        }
    }

    private async Task PublishAsync(byte[] payload, int records, CancellationToken cancellationToken)
    {
        try
        {
            await _link.PublishAsync(LinkTopics.Records(_line), payload, retain: false, cancellationToken);
            Interlocked.Increment(ref _messagesSent);
            Interlocked.Add(ref _recordsSent, records);
        }
        catch (MqttLinkException e)
        {
            // The connection went; on the next connect everything in flight goes again.
            _logger.LogDebug(e, "Line {Line}: publishing {Records} records failed", _line, records);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the records stay in the outbox.
        }
        finally
        {
            _publishing.Release();
        }
    }

    private Task OnConnectedAsync(bool sessionPresent)
    {
        // What was in flight may or may not have reached the broker: send it again.
        if (_outbox.Metrics.InFlightRecords > 0)
        {
            Resend("the connection to the broker was re-established");
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The oldest record in flight when it has stayed the oldest for longer than the
    /// acknowledgement timeout; looked at once a second.
    /// </summary>
    private long? StuckRecord()
    {
        var now = _time.GetUtcNow();
        if (now - _lastOldestCheck < TimeSpan.FromSeconds(1))
        {
            return null;
        }

        _lastOldestCheck = now;
        var oldest = _outbox.OldestInFlight;
        if (oldest != _oldestInFlight)
        {
            _oldestInFlight = oldest;
            _oldestInFlightSince = now;
            return null;
        }

        return oldest is not null && now - _oldestInFlightSince > _acknowledgementTimeout ? oldest : null;
    }

    private void Resend(string reason)
    {
        var inFlight = _outbox.Metrics.InFlightRecords;
        _outbox.Requeue();
        _oldestInFlight = null;
        Interlocked.Increment(ref _resends);
        _lastProgress = _time.GetUtcNow();
        _logger.LogInformation("Line {Line}: sending {Records} records again: {Reason}", _line, inFlight, reason);
    }

    private Task OnMessageAsync(MQTTnet.MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload.ToArray();
        try
        {
            if (topic == LinkTopics.Acknowledgements(_line))
            {
                OnAcknowledgement(JsonSerializer.Deserialize(payload, LinkJsonContext.Default.RecordAcknowledgement));
            }
            else if (topic == LinkTopics.Refusals(_line))
            {
                OnRefusal(payload.Length == 0 ? null : JsonSerializer.Deserialize(payload, LinkJsonContext.Default.LinkRefusal));
            }
            else if (_commands is not null && topic == _commands.Topic)
            {
                // Carried out beside the receive loop: a command waits for the actors or the OPC UA server.
                _ = AnswerAsync(_commands, payload);
            }
            else
            {
                _deployments?.Receive(topic, payload);
            }
        }
        catch (JsonException x)
        {
            // Not from our cloud, or broken on the way: nothing here depends on it, the records stay in the outbox.
            _logger.LogWarning("Line {Line}: ignored an unreadable message on {Topic}: {Reason}", _line, topic, x.Message);
        }

        return Task.CompletedTask;
    }

    private async Task AnswerAsync(LineCommandReceiver commands, byte[] payload)
    {
        try
        {
            if (await commands.HandleAsync(payload) is { } result)
            {
                await _link.PublishAsync(LinkTopics.CommandResults(_line), JsonSerializer.SerializeToUtf8Bytes(result, LinkJsonContext.Default.LineCommandResult), retain: false, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is MqttLinkException or OperationCanceledException)
        {
            // The cloud's request times out and says so to its user.
            _logger.LogWarning("Line {Line}: could not answer a command from the cloud: {Reason}", _line, e.Message);
        }
    }

    private void OnAcknowledgement(RecordAcknowledgement? ack)
    {
        if (ack is null || ack.Line != _line || ack.Ranges is null)
        {
            _logger.LogWarning("Line {Line}: ignored an acknowledgement that is not for this line", _line);
            return;
        }

        _outbox.Acknowledge(ack.Ranges);
        var count = ack.Ranges.Sum(r => r.Last - r.First + 1);
        Interlocked.Add(ref _recordsAcknowledged, count);
        _lastAcknowledgement = _time.GetUtcNow();
        _lastProgress = _lastAcknowledgement.Value;
        _acknowledgementTimeout = _options.AcknowledgementTimeout;
        if (ack.SetAside > 0)
        {
            _logger.LogWarning("Line {Line}: the cloud could not read {Count} records and set them aside (see its set-aside log)", _line, ack.SetAside);
        }

        _acknowledged.Release();
    }

    private void OnRefusal(LinkRefusal? refusal)
    {
        var reason = string.IsNullOrEmpty(refusal?.Reason) ? null : refusal.Reason;
        Volatile.Write(ref _refusal, reason);
        if (reason is not null)
        {
            _logger.LogError("Line {Line}: the cloud refuses what this edge sends: {Reason}. Records stay in the outbox.", _line, reason);
        }
    }

    public override void Dispose()
    {
        _acknowledged.Dispose();
        _publishing.Dispose();
        base.Dispose();
    }
}
