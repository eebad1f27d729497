using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server;

/// <summary>
/// A subscription (OPC 10000-4, 5.13.1): every publishing interval it sends what its monitored
/// items queued, or a keep-alive after KeepAliveCount empty intervals, using one of its session's
/// queued Publish requests. Sent messages stay available for Republish until acknowledged. When
/// no Publish request comes for LifetimeCount intervals, it expires. Guarded by its session's lock.
/// </summary>
internal sealed class ServerSubscription : IDisposable
{
    private readonly UaServer _server;
    private readonly SortedDictionary<uint, NotificationMessage> _retransmission = [];
    private ITimer? _timer;
    private uint _nextSequenceNumber = 1;
    private uint _keepAliveCounter;
    private uint _lifetimeCounter;
    private bool _late;
    private bool _firstMessageSent;
    private volatile bool _dataQueued;
    private StatusCode? _pendingStatusChange;

    public ServerSubscription(UaServer server, uint id, Session session)
    {
        _server = server;
        Id = id;
        Session = session;
    }

    public uint Id { get; }

    /// <summary>The session that owns it; changes with TransferSubscriptions, null once orphaned.</summary>
    public Session? Session { get; set; }

    public TimeSpan PublishingInterval { get; private set; }
    public uint KeepAliveCount { get; private set; }
    public uint LifetimeCount { get; private set; }
    public uint MaxNotificationsPerPublish { get; private set; }
    public bool PublishingEnabled { get; set; } = true;
    public byte Priority { get; private set; }
    public Dictionary<uint, ServerMonitoredItem> Items { get; } = [];
    public bool Expired { get; private set; }

    /// <summary>Sets the revised parameters (CreateSubscription, ModifySubscription) and restarts the cycle.</summary>
    public void Configure(TimeSpan publishingInterval, uint keepAliveCount, uint lifetimeCount, uint maxNotificationsPerPublish, byte priority)
    {
        PublishingInterval = publishingInterval;
        KeepAliveCount = keepAliveCount;
        LifetimeCount = lifetimeCount;
        MaxNotificationsPerPublish = maxNotificationsPerPublish;
        Priority = priority;
        _timer?.Dispose();
        _timer = _server.Time.CreateTimer(_ => _server.OnPublishingTimer(this), null, publishingInterval, publishingInterval);
    }

    public uint[] AvailableSequenceNumbers => [.. _retransmission.Keys];

    public void OnNotificationQueued() => _dataQueued = true;

    /// <summary>Removes an acknowledged message from the retransmission queue.</summary>
    public StatusCode Acknowledge(uint sequenceNumber) =>
        _retransmission.Remove(sequenceNumber) ? StatusCode.Good : StatusCodes.BadSequenceNumberUnknown;

    public NotificationMessage? Republish(uint sequenceNumber) => _retransmission.GetValueOrDefault(sequenceNumber);

    /// <summary>Sends initial values again (after TransferSubscriptions with SendInitialValues).</summary>
    public void QueueCurrentValues()
    {
        foreach (var item in Items.Values)
        {
            item.QueueCurrentValue();
        }

        _dataQueued = true;
    }

    /// <summary>A StatusChangeNotification to send with the next message (e.g. GoodSubscriptionTransferred).</summary>
    public void QueueStatusChange(StatusCode status)
    {
        _pendingStatusChange = status;
        _dataQueued = true;
    }

    /// <summary>
    /// One publishing cycle, under the session lock. Returns the message to send with one of the
    /// session's Publish requests, or null when there is nothing to send or no request to send it with.
    /// </summary>
    public PublishDecision Tick(bool publishRequestAvailable, DateTime now)
    {
        foreach (var item in Items.Values)
        {
            if (item.SamplingInterval > 0 && item.FlushSample(now))
            {
                _dataQueued = true;
            }
        }

        var hasData = PublishingEnabled && (_dataQueued || _pendingStatusChange is not null);
        if (!publishRequestAvailable)
        {
            if (++_lifetimeCounter >= LifetimeCount)
            {
                Expired = true;
                return PublishDecision.Expire;
            }

            if (hasData || !_firstMessageSent || ++_keepAliveCounter >= KeepAliveCount)
            {
                _late = true;
            }

            return PublishDecision.Nothing;
        }

        if (hasData || _late || !_firstMessageSent || ++_keepAliveCounter >= KeepAliveCount)
        {
            return PublishDecision.Send;
        }

        return PublishDecision.Nothing;
    }

    /// <summary>True when a Publish request that just arrived should be answered by this subscription at once.</summary>
    public bool IsLate => _late;

    /// <summary>
    /// Builds the next NotificationMessage (data and status changes, or a keep-alive) and keeps
    /// data messages for Republish. <paramref name="moreNotifications"/> is set when items still
    /// hold values beyond MaxNotificationsPerPublish.
    /// </summary>
    public NotificationMessage BuildMessage(DateTime now, out bool moreNotifications)
    {
        _late = false;
        _lifetimeCounter = 0;
        _keepAliveCounter = 0;
        _firstMessageSent = true;
        moreNotifications = false;

        var data = new List<ExtensionObject>(2);
        if (PublishingEnabled)
        {
            var max = MaxNotificationsPerPublish == 0 ? int.MaxValue : (int)MaxNotificationsPerPublish;
            var notifications = new List<MonitoredItemNotification>();
            _dataQueued = false;
            foreach (var item in Items.Values)
            {
                item.Drain(notifications, max - notifications.Count);
                if (notifications.Count >= max)
                {
                    moreNotifications = Items.Values.Any(i => i.HasNotifications);
                    _dataQueued = moreNotifications;
                    break;
                }
            }

            if (notifications.Count > 0)
            {
                data.Add(new ExtensionObject(new DataChangeNotification([.. notifications], null)));
            }
        }

        if (_pendingStatusChange is { } status)
        {
            data.Add(new ExtensionObject(new StatusChangeNotification(status, null)));
            _pendingStatusChange = null;
        }

        if (data.Count == 0)
        {
            // A keep-alive carries the sequence number the next data message will have.
            return new NotificationMessage(_nextSequenceNumber, now, []);
        }

        var message = new NotificationMessage(_nextSequenceNumber, now, [.. data]);
        _nextSequenceNumber = _nextSequenceNumber == uint.MaxValue ? 1 : _nextSequenceNumber + 1;
        _retransmission[message.SequenceNumber] = message;
        while (_retransmission.Count > _server.Options.MaxRetransmissionQueueSize)
        {
            _retransmission.Remove(_retransmission.Keys.First());
        }

        return message;
    }

    /// <summary>The Publish request that arrived resets the lifetime count (OPC 10000-4, 5.13.1.1).</summary>
    public void PublishRequestReceived() => _lifetimeCounter = 0;

    public void Dispose()
    {
        _timer?.Dispose();
        foreach (var item in Items.Values)
        {
            item.Variable.RemoveObserver(item);
        }

        Items.Clear();
    }
}

internal enum PublishDecision
{
    Nothing,
    Send,
    Expire,
}
