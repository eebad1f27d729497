using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace Factory.Link;

/// <summary>
/// One MQTT 5 connection that stays up: it connects, subscribes, and when the broker goes away
/// connects again with backoff, for as long as it runs. MQTTnet 5 has no managed client, so this
/// is that part. Sessions are persistent (CleanStart false from the first connect: Mosquitto
/// keeps a session across its own restart only then) and the subscriptions are made again after
/// every connect, because a broker that lost its state (killed, or embedded and restarted)
/// answers with no session.
/// </summary>
public sealed class MqttLink : IAsyncDisposable
{
    // At MQTTnet's default of 8 KB a subscriber that falls behind stalls at about 100 messages/s.
    private const int SocketBufferSize = 65536;

    private readonly MqttLinkOptions _options;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly Lock _lock = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _status = "not started";
    private int _connects;

    public MqttLink(MqttLinkOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e => MessageReceived is { } handler ? handler(e) : Task.CompletedTask;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>
    /// Called for every message on a subscribed topic, one at a time. Set
    /// <c>AutoAcknowledge = false</c> and call <c>AcknowledgeAsync</c> later to acknowledge a
    /// QoS 1 message only once it is safe.
    /// </summary>
    public Func<MqttApplicationMessageReceivedEventArgs, Task>? MessageReceived { get; set; }

    /// <summary>Called after every successful connect and subscribe, with whether the broker still had the session.</summary>
    public Func<bool, Task>? Connected { get; set; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>What the link is doing, for people: "connected to mqtt://…", "cannot connect: …".</summary>
    public string Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>How many times the link has connected.</summary>
    public int Connects => Volatile.Read(ref _connects);

    public BrokerAddress Broker => _options.Broker;

    /// <summary>Completes when the link is connected (at once if it is).</summary>
    public Task WhenConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _client.IsConnected ? Task.CompletedTask : _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Connects, and connects again whenever the connection is lost, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectMinimum;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(cancellationToken);
                    delay = _options.ReconnectMinimum;
                    failures = 0;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Whatever a broker going away makes the client throw (MQTTnet also throws
                    // InvalidOperationException while its previous connection is still being torn
                    // down) is one more reason to try again later, never to stop.
                    SetStatus($"cannot connect to {_options.Broker}: {e.Message}");

                    // One warning when the broker goes away, then one a minute: an outage of hours must not flood the log.
                    if (failures++ % Math.Max(1, (int)(TimeSpan.FromMinutes(1) / _options.ReconnectMaximum)) == 0)
                    {
                        _logger.LogWarning("MQTT {ClientId}: cannot connect to {Broker}: {Reason} (attempt {Attempt}; retrying every {Delay:0.#} s at most)", _options.ClientId, _options.Broker, e.Message, failures, _options.ReconnectMaximum.TotalSeconds);
                    }

                    await DelayAsync(Jitter(delay), cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaximum.Ticks));
                    continue;
                }
            }

            // Connected: nothing to do until the connection goes.
            Task disconnected;
            lock (_lock)
            {
                if (_disconnected.Task.IsCompleted && _client.IsConnected)
                {
                    _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                disconnected = _disconnected.Task;
            }

            if (_client.IsConnected)
            {
                try
                {
                    await disconnected.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: the loop ends and disconnects.
                }
            }
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or IOException)
            {
                _logger.LogDebug(e, "MQTT {ClientId}: disconnect failed", _options.ClientId);
            }
        }

        SetStatus("stopped");
    }

    /// <summary>Publishes one message at QoS 1 and waits for the broker's PUBACK.</summary>
    /// <exception cref="MqttLinkException">The link is down or the broker refused the message.</exception>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new ReadOnlySequence<byte>(payload))
            .WithQualityOfServiceLevel(MqttLinkOptions.Qos)
            .WithRetainFlag(retain)
            .Build();
        MqttClientPublishResult result;
        try
        {
            result = await _client.PublishAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or IOException or ObjectDisposedException)
        {
            throw new MqttLinkException($"publishing to {topic} on {_options.Broker} failed: {e.Message}", e);
        }

        // NoMatchingSubscribers is a success for QoS 1: the broker took the message.
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new MqttLinkException($"{_options.Broker} refused a message on {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Task.CompletedTask;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        SetStatus($"connecting to {_options.Broker}");
        lock (_lock)
        {
            _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Broker.Host, _options.Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_options.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum(_options.ReceiveMaximum)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.ConnectTimeout);
        if (_options.UserName is { } user)
        {
            builder = builder.WithCredentials(user, _options.Password ?? "");
        }

        var trust = _options.Trust ?? BrokerTrust.SystemStore;
        string? untrusted = null;
        if (_options.Broker.Tls)
        {
            builder = builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost(_options.Broker.Host)
                .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
                .WithCertificateValidationHandler(e =>
                {
                    var accepted = trust.Accepts(e.Certificate, e.SslPolicyErrors, out var refusal);
                    untrusted = refusal;
                    return accepted;
                }));
        }

        var options = builder.Build();
        var tcp = (MqttClientTcpOptions)options.ChannelOptions;
        tcp.BufferSize = SocketBufferSize;
        tcp.NoDelay = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(options, timeout.Token);
        }
        catch (Exception) when (untrusted is { } refusal)
        {
            // The handshake failed on our side: say why, not only that the certificate was rejected.
            throw new MqttLinkException($"the broker's TLS certificate is refused: {refusal}");
        }

        // A wrong password is an answer, not an exception, in MQTTnet 5.
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MqttLinkException($"the broker refused the connection: {result.ResultCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : " (" + result.ReasonString + ")")}");
        }

        if (_options.Subscriptions.Count > 0)
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var topic in _options.Subscriptions)
            {
                subscribe = subscribe.WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttLinkOptions.Qos));
            }

            var subscribed = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
            var refused = subscribed.Items.Where(i => (int)i.ResultCode > 2).ToList();
            if (refused.Count > 0)
            {
                throw new MqttLinkException($"the broker refused the subscription to {string.Join(", ", refused.Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})"))}");
            }
        }

        Interlocked.Increment(ref _connects);
        SetStatus($"connected to {_options.Broker}");
        _logger.LogInformation("MQTT {ClientId}: connected to {Broker} (session {Session})", _options.ClientId, _options.Broker, result.IsSessionPresent ? "resumed" : "new");
        TaskCompletionSource connected;
        lock (_lock)
        {
            connected = _connected;
        }

        connected.TrySetResult();
        if (Connected is { } handler)
        {
            await handler(result.IsSessionPresent);
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        lock (_lock)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _disconnected.TrySetResult();
        }

        if (e.ClientWasConnected)
        {
            SetStatus($"disconnected from {_options.Broker}: {e.Reason}{(e.Exception is { } x ? " (" + x.Message + ")" : "")}");
            _logger.LogWarning("MQTT {ClientId}: lost the connection to {Broker}: {Reason}", _options.ClientId, _options.Broker, e.Exception?.Message ?? e.Reason.ToString());
        }

        return Task.CompletedTask;
    }

    private void SetStatus(string status)
    {
        lock (_lock)
        {
            _status = status;
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (0.4 * Random.Shared.NextDouble()));

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>The MQTT link is down or the broker refused something; the message says which.</summary>
public sealed class MqttLinkException : Exception
{
    public MqttLinkException(string message)
        : base(message)
    {
    }

    public MqttLinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
