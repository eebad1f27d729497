using System.Threading.Channels;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Client;

/// <summary>
/// A subscription on the server (OPC 10000-4, 5.13) and its monitored items, consumed as an
/// ordered stream of <see cref="SubscriptionMessage"/>s. Notification messages are delivered in
/// sequence-number order: one that arrives early waits for the ones before it, which are asked
/// for again with Republish when they do not come; what cannot be recovered is reported as a
/// <see cref="DataGap"/> naming the interval affected.
/// </summary>
public sealed class UaSubscription : IAsyncDisposable
{
    private readonly UaClient _client;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, MonitoredItem> _itemsByHandle = [];
    private readonly SortedDictionary<uint, NotificationMessage> _early = [];
    private readonly HashSet<uint> _lost = [];
    private readonly Channel<SubscriptionMessage> _output = Channel.CreateUnbounded<SubscriptionMessage>(new UnboundedChannelOptions { SingleReader = false });
    private uint _lastSequenceNumber;
    private DateTime _lastPublishTime;
    private DateTime? _gapFrom;
    private string? _gapReason;
    private bool _republishScheduled;
    private bool _deleted;

    internal UaSubscription(UaClient client, SubscriptionOptions options, ILogger logger)
    {
        _client = client;
        Options = options;
        _logger = logger;
    }

    public SubscriptionOptions Options { get; private set; }

    /// <summary>The server's id (changes if the subscription is re-created after the server lost it).</summary>
    public uint Id { get; private set; }

    public TimeSpan RevisedPublishingInterval { get; private set; }
    public uint RevisedKeepAliveCount { get; private set; }
    public uint RevisedLifetimeCount { get; private set; }

    public IReadOnlyCollection<MonitoredItem> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _itemsByHandle.Values];
            }
        }
    }

    /// <summary>The messages of this subscription, for one reader.</summary>
    public ChannelReader<SubscriptionMessage> Messages => _output.Reader;

    /// <summary>Notification messages delivered but not yet read.</summary>
    public int Backlog => _output.Reader.Count;

    /// <summary>When the last message or keep-alive arrived (client clock); how silence is detected.</summary>
    internal DateTime LastHeardFrom { get; private set; }

    /// <summary>The longest the server may stay silent: keep-alive count × publishing interval.</summary>
    internal TimeSpan KeepAlivePeriod => RevisedPublishingInterval * Math.Max(1, RevisedKeepAliveCount);

    /// <summary>The messages of this subscription as an async stream, for one reader.</summary>
    public IAsyncEnumerable<SubscriptionMessage> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _output.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Creates monitored items; each gets a status, and only those with a Good one are monitored.</summary>
    public async Task<IReadOnlyList<MonitoredItem>> AddItemsAsync(IEnumerable<MonitoredItemRequest> requests, CancellationToken cancellationToken = default)
    {
        var items = requests.Select(r => new MonitoredItem(_client.NextClientHandle(), r)).ToArray();
        if (items.Length == 0)
        {
            return items;
        }

        lock (_lock)
        {
            foreach (var item in items)
            {
                _itemsByHandle[item.ClientHandle] = item;
            }
        }

        try
        {
            await CreateItemsAsync(items, null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
            {
                foreach (var item in items)
                {
                    _itemsByHandle.Remove(item.ClientHandle);
                }
            }

            throw;
        }

        return items;
    }

    /// <summary>Stops monitoring items and forgets them.</summary>
    public async Task RemoveItemsAsync(IEnumerable<MonitoredItem> items, CancellationToken cancellationToken = default)
    {
        var list = items.ToArray();
        var request = new DeleteMonitoredItemsRequest(new RequestHeader(), Id, [.. list.Where(i => i.Status.IsGood).Select(i => i.ServerId)]);
        lock (_lock)
        {
            foreach (var item in list)
            {
                _itemsByHandle.Remove(item.ClientHandle);
            }
        }

        if (request.MonitoredItemIds is { Length: > 0 })
        {
            await _client.SendAsync<DeleteMonitoredItemsResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Changes publishing interval, keep-alive and lifetime (ModifySubscription).</summary>
    public async Task ModifyAsync(SubscriptionOptions options, CancellationToken cancellationToken = default)
    {
        var request = new ModifySubscriptionRequest(new RequestHeader(), Id, options.PublishingInterval.TotalMilliseconds,
            options.LifetimeCount, options.KeepAliveCount, options.MaxNotificationsPerPublish, options.Priority);
        var response = await _client.SendAsync<ModifySubscriptionResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        Options = options;
        RevisedPublishingInterval = TimeSpan.FromMilliseconds(response.RevisedPublishingInterval);
        RevisedKeepAliveCount = response.RevisedMaxKeepAliveCount;
        RevisedLifetimeCount = response.RevisedLifetimeCount;
    }

    /// <summary>Deletes the subscription on the server and ends its stream.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_deleted)
            {
                return;
            }

            _deleted = true;
        }

        _client.Forget(this);
        try
        {
            if (_client.State == SessionState.Connected)
            {
                await _client.SendAsync<DeleteSubscriptionsResponse>(new DeleteSubscriptionsRequest(new RequestHeader(), [Id])).ConfigureAwait(false);
            }
        }
        catch (ServiceResultException e)
        {
            _logger.LogDebug("Deleting subscription {SubscriptionId} failed: {Reason}", Id, e.Message);
        }

        Complete(null);
    }

    internal void Complete(Exception? error) => _output.Writer.TryComplete(error);

    /// <summary>Creates the subscription on the server (first time, or again after the server lost it).</summary>
    internal async Task CreateAsync(ClientSecureChannel? channel, CancellationToken cancellationToken)
    {
        var options = Options;
        var request = new CreateSubscriptionRequest(new RequestHeader(), options.PublishingInterval.TotalMilliseconds,
            options.LifetimeCount, options.KeepAliveCount, options.MaxNotificationsPerPublish, true, options.Priority);
        var response = await _client.SendOnAsync<CreateSubscriptionResponse>(channel, request, cancellationToken).ConfigureAwait(false);
        Id = response.SubscriptionId;
        RevisedPublishingInterval = TimeSpan.FromMilliseconds(response.RevisedPublishingInterval);
        RevisedKeepAliveCount = response.RevisedMaxKeepAliveCount;
        RevisedLifetimeCount = response.RevisedLifetimeCount;
        LastHeardFrom = _client.UtcNow;
    }

    /// <summary>
    /// After a new session had to be created and the subscription could not be transferred:
    /// create it again with all its items and report the interval that may have lost data.
    /// </summary>
    internal async Task RecreateAsync(ClientSecureChannel channel, DateTime lostSince, string reason, CancellationToken cancellationToken)
    {
        MonitoredItem[] items;
        lock (_lock)
        {
            items = [.. _itemsByHandle.Values];
            _early.Clear();
            _lost.Clear();
            _lastSequenceNumber = 0;
            _gapFrom ??= _lastPublishTime != default ? _lastPublishTime : lostSince;
            _gapReason = reason;
        }

        await CreateAsync(channel, cancellationToken).ConfigureAwait(false);
        if (items.Length > 0)
        {
            await CreateItemsAsync(items, channel, cancellationToken).ConfigureAwait(false);
        }

        _logger.LogInformation("Subscription re-created as {SubscriptionId} with {Count} items", Id, items.Length);
    }

    /// <summary>After TransferSubscriptions moved it to a new session: recover what the server still holds.</summary>
    internal void Transferred(uint[]? availableSequenceNumbers)
    {
        LastHeardFrom = _client.UtcNow;
        lock (_lock)
        {
            var missing = (availableSequenceNumbers ?? []).Where(n => n > _lastSequenceNumber && !_early.ContainsKey(n)).ToArray();
            if (missing.Length > 0)
            {
                ScheduleRepublish(missing);
            }
        }
    }

    internal void Disconnected(DateTime at)
    {
        lock (_lock)
        {
            if (_lastPublishTime == default)
            {
                _lastPublishTime = at;
            }
        }
    }

    /// <summary>A Publish or Republish response for this subscription.</summary>
    /// <param name="responseTime">The server's timestamp of the response, used when the message has no publish time.</param>
    internal void OnNotificationMessage(NotificationMessage message, DateTime responseTime)
    {
        LastHeardFrom = _client.UtcNow;
        if (message.PublishTime == default)
        {
            // Some servers (node-opcua 2.182) leave PublishTime empty; the response time is the next best thing.
            message = message with { PublishTime = responseTime == default ? _client.UtcNow : responseTime };
        }

        lock (_lock)
        {
            if (_deleted)
            {
                return;
            }

            // Sequence numbers start at 1 on a new subscription (OPC 10000-4, 7.21), so even the
            // first message can be recognised as early when responses are handled out of order.
            var sequenceNumber = message.SequenceNumber;
            if (message.NotificationData is not { Length: > 0 })
            {
                // A keep-alive carries the number the next message will have (OPC 10000-4, 5.13.1.1).
                if (sequenceNumber > _lastSequenceNumber + 1)
                {
                    ScheduleRepublish(MissingBefore(sequenceNumber));
                }

                return;
            }

            if (sequenceNumber <= _lastSequenceNumber)
            {
                return;
            }

            if (sequenceNumber == _lastSequenceNumber + 1)
            {
                Deliver(message);
                DeliverInOrder();
                return;
            }

            _early[sequenceNumber] = message;
            _logger.LogTrace("Subscription {SubscriptionId}: message {SequenceNumber} arrived before {Expected}; held back", Id, sequenceNumber, _lastSequenceNumber + 1);
            ScheduleRepublish(MissingBefore(sequenceNumber));
        }
    }

    private uint[] MissingBefore(uint sequenceNumber)
    {
        var missing = new List<uint>();
        for (var n = _lastSequenceNumber + 1; n < sequenceNumber && missing.Count < 1000; n++)
        {
            if (!_early.ContainsKey(n) && !_lost.Contains(n))
            {
                missing.Add(n);
            }
        }

        return [.. missing];
    }

    private void ScheduleRepublish(uint[] missing)
    {
        if (missing.Length == 0 || _republishScheduled)
        {
            return;
        }

        _republishScheduled = true;
        _ = RepublishGuardedAsync();
    }

    private async Task RepublishGuardedAsync()
    {
        try
        {
            await RepublishAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing may escape a fire-and-forget task; the next gap schedules another attempt.
            _logger.LogError(e, "Republishing for subscription {SubscriptionId} failed", Id);
            lock (_lock)
            {
                _republishScheduled = false;
            }
        }
    }

    private async Task RepublishAsync()
    {
        // Responses to several outstanding Publish requests can be handled out of order; give
        // the one that seems missing a moment to arrive before asking the server again.
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(RevisedPublishingInterval.TotalMilliseconds, 50, 500)), _client.Time).ConfigureAwait(false);
        uint[] missing;
        lock (_lock)
        {
            _republishScheduled = false;
            var upTo = _early.Count > 0 ? _early.Keys.Max() : _lastSequenceNumber;
            missing = MissingBefore(upTo);
        }

        _logger.LogDebug("Subscription {SubscriptionId}: asking the server again for messages [{Missing}]", Id, string.Join(",", missing));
        foreach (var sequenceNumber in missing)
        {
            try
            {
                var response = await _client.SendAsync<RepublishResponse>(new RepublishRequest(new RequestHeader(), Id, sequenceNumber)).ConfigureAwait(false);
                OnNotificationMessage(response.NotificationMessage, response.ResponseHeader.Timestamp);
            }
            catch (ServiceResultException e) when (e.StatusCode.CodeBits is StatusCodes.BadMessageNotAvailable or StatusCodes.BadSubscriptionIdInvalid or StatusCodes.BadSequenceNumberUnknown)
            {
                _logger.LogInformation("Notification {SequenceNumber} of subscription {SubscriptionId} is lost: {Status}", sequenceNumber, Id, e.StatusCode);
                lock (_lock)
                {
                    _lost.Add(sequenceNumber);
                    _gapReason = $"notification message {sequenceNumber} was no longer available on the server ({e.StatusCode})";
                    DeliverInOrder();
                }
            }
            catch (ServiceResultException e)
            {
                // The connection failed meanwhile; reconnecting will ask again.
                _logger.LogDebug("Republish of {SequenceNumber} failed: {Reason}", sequenceNumber, e.Message);
                return;
            }
        }
    }

    private void DeliverInOrder()
    {
        while (true)
        {
            var next = _lastSequenceNumber + 1;
            if (_early.Remove(next, out var message))
            {
                Deliver(message);
            }
            else if (_lost.Remove(next))
            {
                _gapFrom ??= _lastPublishTime;
                _lastSequenceNumber = next;
            }
            else
            {
                return;
            }
        }
    }

    private void Deliver(NotificationMessage message)
    {
        if (_gapFrom is { } from)
        {
            _output.Writer.TryWrite(new DataGap(from, message.PublishTime, _gapReason ?? "the connection was lost"));
            _gapFrom = null;
            _gapReason = null;
        }

        _lastSequenceNumber = message.SequenceNumber;
        _lastPublishTime = message.PublishTime;
        foreach (var data in message.NotificationData ?? [])
        {
            switch (data.Body)
            {
                case DataChangeNotification dataChange:
                    var items = dataChange.MonitoredItems ?? [];
                    var changes = new List<DataChange>(items.Length);
                    foreach (var notification in items)
                    {
                        if (_itemsByHandle.TryGetValue(notification.ClientHandle, out var item))
                        {
                            changes.Add(new DataChange(item, notification.Value));
                        }
                    }

                    _output.Writer.TryWrite(new DataChangeMessage(message.SequenceNumber, message.PublishTime, changes));
                    break;
                case StatusChangeNotification statusChange:
                    _output.Writer.TryWrite(new SubscriptionStatusChange(statusChange.Status));
                    break;
            }
        }
    }

    private async Task CreateItemsAsync(MonitoredItem[] items, ClientSecureChannel? channel, CancellationToken cancellationToken)
    {
        var requests = items.Select(i => new MonitoredItemCreateRequest(
            new ReadValueId(i.NodeId, i.Request.AttributeId),
            i.Request.MonitoringMode,
            new MonitoringParameters(
                i.ClientHandle,
                i.Request.SamplingInterval,
                i.Request.Filter is { } filter ? new ExtensionObject(filter) : ExtensionObject.Null,
                i.Request.QueueSize,
                i.Request.DiscardOldest))).ToArray();
        var request = new CreateMonitoredItemsRequest(new RequestHeader(), Id, TimestampsToReturn.Both, requests);
        var response = await _client.SendOnAsync<CreateMonitoredItemsResponse>(channel, request, cancellationToken).ConfigureAwait(false);
        var results = response.Results ?? [];
        if (results.Length != items.Length)
        {
            throw new ServiceResultException(StatusCodes.BadUnknownResponse, $"CreateMonitoredItems asked for {items.Length} items and got {results.Length} results");
        }

        for (var i = 0; i < items.Length; i++)
        {
            items[i].Status = results[i].StatusCode;
            items[i].ServerId = results[i].MonitoredItemId;
            items[i].RevisedSamplingInterval = results[i].RevisedSamplingInterval;
            items[i].RevisedQueueSize = results[i].RevisedQueueSize;
        }
    }
}
