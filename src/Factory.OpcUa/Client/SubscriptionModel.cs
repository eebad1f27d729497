using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Client;

/// <summary>What a client asks of a subscription (OPC 10000-4, 5.13.2); the server may revise it.</summary>
public sealed record SubscriptionOptions
{
    public TimeSpan PublishingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Publishing intervals without notifications after which the server sends a keep-alive.</summary>
    public uint KeepAliveCount { get; init; } = 10;

    /// <summary>Publishing intervals without a Publish request after which the server deletes the subscription; at least 3 × KeepAliveCount.</summary>
    public uint LifetimeCount { get; init; } = 60;

    /// <summary>Most notifications in one NotificationMessage; 0 for no limit.</summary>
    public uint MaxNotificationsPerPublish { get; init; }

    public byte Priority { get; init; }
}

/// <summary>What to monitor, and how (OPC 10000-4, 5.12.2).</summary>
/// <param name="NodeId">The node whose attribute is monitored.</param>
/// <param name="SamplingInterval">
/// Milliseconds between samples: 0 reports every change as it happens, -1 samples at the publishing interval.
/// </param>
/// <param name="QueueSize">Values the server queues between publishes; 1 keeps only the latest.</param>
/// <param name="DiscardOldest">When the queue is full, drop the oldest value (else the newest).</param>
/// <param name="Filter">A data change filter (trigger and deadband), or null for the server's default.</param>
public sealed record MonitoredItemRequest(
    NodeId NodeId,
    double SamplingInterval = 0,
    uint QueueSize = 1,
    bool DiscardOldest = true,
    DataChangeFilter? Filter = null,
    uint AttributeId = AttributeIds.Value,
    MonitoringMode MonitoringMode = MonitoringMode.Reporting);

/// <summary>
/// A monitored item of a subscription. Its client handle stays the same for the life of the
/// item, even when the subscription is re-created on a new session and the server's id changes.
/// </summary>
public sealed class MonitoredItem
{
    internal MonitoredItem(uint clientHandle, MonitoredItemRequest request)
    {
        ClientHandle = clientHandle;
        Request = request;
    }

    public uint ClientHandle { get; }
    public MonitoredItemRequest Request { get; }
    public NodeId NodeId => Request.NodeId;

    /// <summary>The server's id for the item (changes if the subscription is re-created).</summary>
    public uint ServerId { get; internal set; }

    /// <summary>The result of creating the item on the server; a Bad status means it is not monitored.</summary>
    public StatusCode Status { get; internal set; }

    public double RevisedSamplingInterval { get; internal set; }
    public uint RevisedQueueSize { get; internal set; }

    public override string ToString() => $"{NodeId} (handle {ClientHandle}, {Status})";
}

/// <summary>One change of a monitored value.</summary>
public readonly record struct DataChange(MonitoredItem Item, DataValue Value);

/// <summary>What a subscription delivers, in order.</summary>
public abstract record SubscriptionMessage;

/// <summary>The data changes of one NotificationMessage, in the order the server queued them.</summary>
public sealed record DataChangeMessage(uint SequenceNumber, DateTime PublishTime, IReadOnlyList<DataChange> Changes) : SubscriptionMessage;

/// <summary>
/// Values that changed between <paramref name="From"/> and <paramref name="To"/> (server time)
/// may be missing: the connection or the server was lost and what it queued could not be
/// recovered. Values outside the interval are complete.
/// </summary>
public sealed record DataGap(DateTime From, DateTime To, string Reason) : SubscriptionMessage;

/// <summary>The server changed the subscription's status (OPC 10000-4, 7.20.4), e.g. BadTimeout when it expired.</summary>
public sealed record SubscriptionStatusChange(StatusCode Status) : SubscriptionMessage;
