using System.Collections.Concurrent;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Client;

/// <summary>
/// Subscriptions and the Publish pipeline (OPC 10000-4, 5.13): several Publish requests kept
/// outstanding, acknowledgements carried in the next request, and a watchdog that treats a
/// server silent for longer than its keep-alive period as a lost connection.
/// </summary>
public sealed partial class UaClient
{
    private readonly Lock _subscriptionsLock = new();
    private readonly List<UaSubscription> _subscriptions = [];
    private readonly ConcurrentQueue<SubscriptionAcknowledgement> _acknowledgements = new();
    private readonly SemaphoreSlim _subscriptionAdded = new(0);
    private CancellationTokenSource? _publishing;
    private Task[] _publishLoops = [];
    private uint _nextClientHandle;

    internal TimeProvider Time => _time;
    internal DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    private bool HasPublishingSubscriptions
    {
        get
        {
            lock (_subscriptionsLock)
            {
                return _subscriptions.Count > 0;
            }
        }
    }

    /// <summary>Creates a subscription; add monitored items to it, then read its messages.</summary>
    public async Task<UaSubscription> CreateSubscriptionAsync(SubscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var subscription = new UaSubscription(this, options ?? new SubscriptionOptions(), _logger);
        await subscription.CreateAsync(null, cancellationToken).ConfigureAwait(false);
        lock (_subscriptionsLock)
        {
            _subscriptions.Add(subscription);
        }

        StartPublishing();
        _subscriptionAdded.Release();
        return subscription;
    }

    internal uint NextClientHandle() => Interlocked.Increment(ref _nextClientHandle);

    internal void Forget(UaSubscription subscription)
    {
        lock (_subscriptionsLock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>
    /// Sends on <paramref name="channel"/> with the session's token, or through the normal path
    /// when it is null. Restoring subscriptions uses the new channel before the client counts
    /// as connected again.
    /// </summary>
    internal async Task<TResponse> SendOnAsync<TResponse>(ClientSecureChannel? channel, IServiceRequest request, CancellationToken cancellationToken)
        where TResponse : IServiceResponse
    {
        if (channel is null)
        {
            return await SendAsync<TResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var header = channel.Header(Interlocked.Increment(ref _nextRequestHandle), _options.RequestTimeout, _authenticationToken);
        return await channel.SendAsync<TResponse>(request.WithRequestHeader(header), _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    private UaSubscription[] SubscriptionsSnapshot()
    {
        lock (_subscriptionsLock)
        {
            return [.. _subscriptions];
        }
    }

    private void StartPublishing()
    {
        lock (_subscriptionsLock)
        {
            if (_publishing is not null || _disposing.IsCancellationRequested)
            {
                return;
            }

            _publishing = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token);
            var token = _publishing.Token;
            _publishLoops =
            [
                .. Enumerable.Range(0, Math.Max(1, _options.PublishRequestCount)).Select(_ => Task.Run(() => PublishLoopAsync(token), CancellationToken.None)),
                Task.Run(() => WatchdogLoopAsync(token), CancellationToken.None),
            ];
        }
    }

    private async Task StopPublishingAsync()
    {
        CancellationTokenSource? publishing;
        Task[] loops;
        lock (_subscriptionsLock)
        {
            publishing = _publishing;
            loops = _publishLoops;
            _publishing = null;
            _publishLoops = [];
        }

        if (publishing is null)
        {
            return;
        }

        await publishing.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        publishing.Dispose();
    }

    private void MarkSubscriptionsDisconnected(DateTime at)
    {
        foreach (var subscription in SubscriptionsSnapshot())
        {
            subscription.Disconnected(at);
        }
    }

    /// <summary>
    /// After reconnecting: with the same session nothing is needed (missing messages are
    /// republished); with a new session, transfer each subscription, and re-create those the
    /// server no longer has (OPC 10000-4, 5.13.7).
    /// </summary>
    private async Task RestoreSubscriptionsAsync(ClientSecureChannel channel, bool sessionKept, CancellationToken cancellationToken)
    {
        var subscriptions = SubscriptionsSnapshot();
        if (sessionKept || subscriptions.Length == 0)
        {
            return;
        }

        // Acknowledgements belong to the old session's sequence numbers.
        _acknowledgements.Clear();
        var lostSince = UtcNow;
        TransferResult[] results;
        try
        {
            var transfer = new TransferSubscriptionsRequest(new RequestHeader(), [.. subscriptions.Select(s => s.Id)], SendInitialValues: true);
            var response = await SendOnAsync<TransferSubscriptionsResponse>(channel, transfer, cancellationToken).ConfigureAwait(false);
            results = response.Results ?? [];
        }
        catch (ServiceResultException e) when (channel.IsOpen)
        {
            _logger.LogInformation("TransferSubscriptions was refused ({Status}); re-creating the subscriptions", e.StatusCode);
            results = [];
        }

        for (var i = 0; i < subscriptions.Length; i++)
        {
            var result = i < results.Length ? results[i] : null;
            if (result is not null && result.StatusCode.IsGood)
            {
                subscriptions[i].Transferred(result.AvailableSequenceNumbers);
                continue;
            }

            var reason = result is null
                ? "the session was lost and the server does not transfer subscriptions; the subscription was re-created"
                : $"the server no longer had the subscription ({result.StatusCode}); it was re-created";
            await subscriptions[i].RecreateAsync(channel, lostSince, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var subscriptions = SubscriptionsSnapshot();
            try
            {
                if (subscriptions.Length == 0)
                {
                    await _subscriptionAdded.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (subscriptions.Any(s => s.Backlog > _options.MaxSubscriptionBacklog))
                {
                    // Back-pressure: the server queues (and eventually drops the oldest) while the reader catches up.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await PublishOnceAsync(subscriptions, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ServiceResultException e) when (e.StatusCode.CodeBits == StatusCodes.BadTooManyPublishRequests)
            {
                _logger.LogDebug("The server queues fewer Publish requests than configured; one fewer is kept outstanding");
                return;
            }
            catch (ServiceResultException e)
            {
                if (e.StatusCode.CodeBits is not (StatusCodes.BadNoSubscription or StatusCodes.BadTimeout))
                {
                    _logger.LogDebug("Publish failed: {Reason}", e.Message);
                }

                await PauseAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The pipeline must outlive any single bad response; the next Publish goes out regardless.
                _logger.LogError(e, "Handling a Publish response failed");
                await PauseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PublishOnceAsync(UaSubscription[] subscriptions, CancellationToken cancellationToken)
    {
        var acknowledgements = new List<SubscriptionAcknowledgement>();
        while (acknowledgements.Count < 256 && _acknowledgements.TryDequeue(out var ack))
        {
            acknowledgements.Add(ack);
        }

        // Long enough for the slowest subscription's keep-alive to come back.
        var timeout = subscriptions.Max(s => s.KeepAlivePeriod) * 2 + _options.RequestTimeout;
        PublishResponse response;
        try
        {
            response = await SendAsync<PublishResponse>(new PublishRequest(new RequestHeader(), [.. acknowledgements]), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var ack in acknowledgements)
            {
                _acknowledgements.Enqueue(ack);
            }

            throw;
        }

        _logger.LogTrace("Publish response: subscription {SubscriptionId}, message {SequenceNumber} with {Count} notification data, available [{Available}]",
            response.SubscriptionId, response.NotificationMessage.SequenceNumber, response.NotificationMessage.NotificationData?.Length ?? 0, string.Join(",", response.AvailableSequenceNumbers ?? []));
        var subscription = subscriptions.FirstOrDefault(s => s.Id == response.SubscriptionId)
            ?? SubscriptionsSnapshot().FirstOrDefault(s => s.Id == response.SubscriptionId);
        var message = response.NotificationMessage;
        if (message.NotificationData is { Length: > 0 })
        {
            _acknowledgements.Enqueue(new SubscriptionAcknowledgement(response.SubscriptionId, message.SequenceNumber));
        }

        subscription?.OnNotificationMessage(message, response.ResponseHeader.Timestamp);
    }

    private async Task WatchdogLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (State != SessionState.Connected)
            {
                continue;
            }

            var now = UtcNow;
            foreach (var subscription in SubscriptionsSnapshot())
            {
                // The server must send at least a keep-alive every keep-alive period; allow one
                // more period and a second for a slow network before calling the link dead.
                var silence = now - subscription.LastHeardFrom;
                if (subscription.KeepAlivePeriod > TimeSpan.Zero && silence > subscription.KeepAlivePeriod * 2 + TimeSpan.FromSeconds(1))
                {
                    _logger.LogInformation("Subscription {SubscriptionId} heard nothing for {Silence} s; the connection is considered lost", subscription.Id, silence.TotalSeconds);
                    _channel?.Abort(StatusCodes.BadTimeout, "no publish response within the keep-alive period");
                    break;
                }
            }
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
