using System.Collections.Concurrent;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Server;

/// <summary>
/// The Subscription and MonitoredItem service sets (OPC 10000-4, 5.12 and 5.13): Publish
/// requests queue per session and are answered by whichever subscription has something to send.
/// </summary>
public sealed partial class UaServer
{
    private readonly ConcurrentDictionary<uint, ServerSubscription> _subscriptions = new();
    private uint _nextSubscriptionId;
    private uint _nextMonitoredItemId;

    public int SubscriptionCount => _subscriptions.Count;

    private CreateSubscriptionResponse CreateSubscription(Session session, CreateSubscriptionRequest request)
    {
        var subscription = new ServerSubscription(this, Interlocked.Increment(ref _nextSubscriptionId), session);
        var (interval, keepAlive, lifetime) = Revise(request.RequestedPublishingInterval, request.RequestedMaxKeepAliveCount, request.RequestedLifetimeCount);
        lock (session.Lock)
        {
            if (session.Subscriptions.Count >= Options.MaxSubscriptionsPerSession)
            {
                throw new ServiceResultException(StatusCodes.BadTooManySubscriptions, $"{session} already has {session.Subscriptions.Count} subscriptions");
            }

            subscription.PublishingEnabled = request.PublishingEnabled;
            session.Subscriptions[subscription.Id] = subscription;
            _subscriptions[subscription.Id] = subscription;
            subscription.Configure(interval, keepAlive, lifetime, request.MaxNotificationsPerPublish, request.Priority);
        }

        return new CreateSubscriptionResponse(ResponseHeader(request.RequestHeader), subscription.Id, interval.TotalMilliseconds, lifetime, keepAlive);
    }

    private ModifySubscriptionResponse ModifySubscription(Session session, ModifySubscriptionRequest request)
    {
        var (interval, keepAlive, lifetime) = Revise(request.RequestedPublishingInterval, request.RequestedMaxKeepAliveCount, request.RequestedLifetimeCount);
        lock (session.Lock)
        {
            var subscription = FindSubscription(session, request.SubscriptionId);
            subscription.Configure(interval, keepAlive, lifetime, request.MaxNotificationsPerPublish, request.Priority);
        }

        return new ModifySubscriptionResponse(ResponseHeader(request.RequestHeader), interval.TotalMilliseconds, lifetime, keepAlive);
    }

    private SetPublishingModeResponse SetPublishingMode(Session session, SetPublishingModeRequest request)
    {
        var ids = Operations(request.SubscriptionIds);
        var results = new StatusCode[ids.Length];
        lock (session.Lock)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (session.Subscriptions.TryGetValue(ids[i], out var subscription))
                {
                    subscription.PublishingEnabled = request.PublishingEnabled;
                }
                else
                {
                    results[i] = StatusCodes.BadSubscriptionIdInvalid;
                }
            }
        }

        return new SetPublishingModeResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private DeleteSubscriptionsResponse DeleteSubscriptions(Session session, DeleteSubscriptionsRequest request)
    {
        var ids = Operations(request.SubscriptionIds);
        var results = new StatusCode[ids.Length];
        lock (session.Lock)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (session.Subscriptions.Remove(ids[i], out var subscription))
                {
                    DeleteSubscription(subscription);
                }
                else
                {
                    results[i] = StatusCodes.BadSubscriptionIdInvalid;
                }
            }

            if (session.Subscriptions.Count == 0)
            {
                // Nothing will ever answer the queued Publish requests now (OPC 10000-4, 5.13.5).
                RemovePublishRequests(session, _ => true, StatusCodes.BadNoSubscription);
            }
        }

        return new DeleteSubscriptionsResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private TransferSubscriptionsResponse TransferSubscriptions(Session session, TransferSubscriptionsRequest request)
    {
        var ids = Operations(request.SubscriptionIds);
        var results = new TransferResult[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!_subscriptions.TryGetValue(ids[i], out var subscription) || subscription.Expired)
            {
                results[i] = new TransferResult(StatusCodes.BadSubscriptionIdInvalid, null);
                continue;
            }

            var previous = subscription.Session;
            if (previous is not null && !ReferenceEquals(previous, session))
            {
                lock (previous.Lock)
                {
                    previous.Subscriptions.Remove(subscription.Id);
                    SendStatusChange(previous, subscription.Id, StatusCodes.GoodSubscriptionTransferred);
                }
            }

            lock (session.Lock)
            {
                subscription.Session = session;
                session.Subscriptions[subscription.Id] = subscription;
                if (request.SendInitialValues)
                {
                    subscription.QueueCurrentValues();
                }

                results[i] = new TransferResult(StatusCode.Good, subscription.AvailableSequenceNumbers);
            }

            _logger.LogInformation("Subscription {SubscriptionId} transferred to {Session}", subscription.Id, session);
        }

        return new TransferSubscriptionsResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private RepublishResponse Republish(Session session, RepublishRequest request)
    {
        lock (session.Lock)
        {
            var subscription = FindSubscription(session, request.SubscriptionId);
            var message = subscription.Republish(request.RetransmitSequenceNumber)
                ?? throw new ServiceResultException(StatusCodes.BadMessageNotAvailable, $"message {request.RetransmitSequenceNumber} of subscription {request.SubscriptionId} is no longer held");
            return new RepublishResponse(ResponseHeader(request.RequestHeader), message);
        }
    }

    private CreateMonitoredItemsResponse CreateMonitoredItems(Session session, CreateMonitoredItemsRequest request)
    {
        var items = Operations(request.ItemsToCreate);
        if (request.TimestampsToReturn is < TimestampsToReturn.Source or > TimestampsToReturn.Neither)
        {
            throw new ServiceResultException(StatusCodes.BadTimestampsToReturnInvalid, $"TimestampsToReturn {(int)request.TimestampsToReturn} is not defined");
        }

        var results = new MonitoredItemCreateResult[items.Length];
        lock (session.Lock)
        {
            var subscription = FindSubscription(session, request.SubscriptionId);
            for (var i = 0; i < items.Length; i++)
            {
                results[i] = CreateMonitoredItem(subscription, items[i], request.TimestampsToReturn);
            }
        }

        return new CreateMonitoredItemsResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private MonitoredItemCreateResult CreateMonitoredItem(ServerSubscription subscription, MonitoredItemCreateRequest item, TimestampsToReturn timestamps)
    {
        if (subscription.Items.Count >= Options.MaxMonitoredItemsPerSubscription)
        {
            return Failed(StatusCodes.BadTooManyMonitoredItems);
        }

        if (!AddressSpace.TryGetNode(item.ItemToMonitor.NodeId, out var node))
        {
            return Failed(StatusCodes.BadNodeIdUnknown);
        }

        if (item.ItemToMonitor.AttributeId != AttributeIds.Value || node is not VariableNode variable)
        {
            // Only value changes are monitored; other attributes do not change while the server runs.
            return Failed(StatusCodes.BadAttributeIdInvalid);
        }

        if ((variable.AccessLevel & AccessLevels.CurrentRead) == 0)
        {
            return Failed(StatusCodes.BadNotReadable);
        }

        if (item.ItemToMonitor.IndexRange is not null)
        {
            return Failed(StatusCodes.BadIndexRangeInvalid);
        }

        if (item.MonitoringMode is < MonitoringMode.Disabled or > MonitoringMode.Reporting)
        {
            return Failed(StatusCodes.BadMonitoringModeInvalid);
        }

        var parameters = item.RequestedParameters;
        var filterStatus = ReviseFilter(variable, parameters.Filter, out var filter, out var deadband);
        if (filterStatus.IsBad)
        {
            return Failed(filterStatus.Code);
        }

        var samplingInterval = ReviseSamplingInterval(parameters.SamplingInterval, subscription, variable);
        var queueSize = Math.Clamp(parameters.QueueSize, 1, Options.MaxQueueSize);
        var monitored = new ServerMonitoredItem(
            Interlocked.Increment(ref _nextMonitoredItemId), subscription, variable, parameters.ClientHandle, item.MonitoringMode,
            samplingInterval, queueSize, parameters.DiscardOldest, filter, deadband, timestamps, Time);
        subscription.Items[monitored.Id] = monitored;
        variable.AddObserver(monitored);
        if (item.MonitoringMode != MonitoringMode.Disabled)
        {
            // The first notification of a new item is its current value (OPC 10000-4, 5.12.1.4).
            monitored.QueueCurrentValue();
            subscription.OnNotificationQueued();
        }

        return new MonitoredItemCreateResult(StatusCode.Good, monitored.Id, samplingInterval, queueSize, ExtensionObject.Null);
    }

    private ModifyMonitoredItemsResponse ModifyMonitoredItems(Session session, ModifyMonitoredItemsRequest request)
    {
        var items = Operations(request.ItemsToModify);
        var results = new MonitoredItemModifyResult[items.Length];
        lock (session.Lock)
        {
            var subscription = FindSubscription(session, request.SubscriptionId);
            for (var i = 0; i < items.Length; i++)
            {
                if (!subscription.Items.TryGetValue(items[i].MonitoredItemId, out var monitored))
                {
                    results[i] = new MonitoredItemModifyResult(StatusCodes.BadMonitoredItemIdInvalid, 0, 0, ExtensionObject.Null);
                    continue;
                }

                var parameters = items[i].RequestedParameters;
                var filterStatus = ReviseFilter(monitored.Variable, parameters.Filter, out var filter, out var deadband);
                if (filterStatus.IsBad)
                {
                    results[i] = new MonitoredItemModifyResult(filterStatus, 0, 0, ExtensionObject.Null);
                    continue;
                }

                var samplingInterval = ReviseSamplingInterval(parameters.SamplingInterval, subscription, monitored.Variable);
                var queueSize = Math.Clamp(parameters.QueueSize, 1, Options.MaxQueueSize);
                monitored.Modify(parameters.ClientHandle, samplingInterval, queueSize, parameters.DiscardOldest, filter, deadband);
                results[i] = new MonitoredItemModifyResult(StatusCode.Good, samplingInterval, queueSize, ExtensionObject.Null);
            }
        }

        return new ModifyMonitoredItemsResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private SetMonitoringModeResponse SetMonitoringMode(Session session, SetMonitoringModeRequest request)
    {
        var ids = Operations(request.MonitoredItemIds);
        if (request.MonitoringMode is < MonitoringMode.Disabled or > MonitoringMode.Reporting)
        {
            throw new ServiceResultException(StatusCodes.BadMonitoringModeInvalid, $"monitoring mode {(int)request.MonitoringMode} is not defined");
        }

        var results = new StatusCode[ids.Length];
        lock (session.Lock)
        {
            var subscription = FindSubscription(session, request.SubscriptionId);
            for (var i = 0; i < ids.Length; i++)
            {
                if (subscription.Items.TryGetValue(ids[i], out var monitored))
                {
                    monitored.SetMode(request.MonitoringMode);
                    subscription.OnNotificationQueued();
                }
                else
                {
                    results[i] = StatusCodes.BadMonitoredItemIdInvalid;
                }
            }
        }

        return new SetMonitoringModeResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private DeleteMonitoredItemsResponse DeleteMonitoredItems(Session session, DeleteMonitoredItemsRequest request)
    {
        var ids = Operations(request.MonitoredItemIds);
        var results = new StatusCode[ids.Length];
        lock (session.Lock)
        {
            var subscription = FindSubscription(session, request.SubscriptionId);
            for (var i = 0; i < ids.Length; i++)
            {
                if (subscription.Items.Remove(ids[i], out var monitored))
                {
                    monitored.Variable.RemoveObserver(monitored);
                }
                else
                {
                    results[i] = StatusCodes.BadMonitoredItemIdInvalid;
                }
            }
        }

        return new DeleteMonitoredItemsResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    /// <summary>Queues a Publish request, applies its acknowledgements, and answers at once if a subscription is waiting.</summary>
    private void Publish(Session session, ServerConnection connection, uint requestId, PublishRequest request)
    {
        lock (session.Lock)
        {
            if (session.Subscriptions.Count == 0)
            {
                throw new ServiceResultException(StatusCodes.BadNoSubscription, $"{session} has no subscription");
            }

            var acknowledgements = request.SubscriptionAcknowledgements ?? [];
            var results = new StatusCode[acknowledgements.Length];
            for (var i = 0; i < acknowledgements.Length; i++)
            {
                results[i] = session.Subscriptions.TryGetValue(acknowledgements[i].SubscriptionId, out var acknowledged)
                    ? acknowledged.Acknowledge(acknowledgements[i].SequenceNumber)
                    : StatusCodes.BadSubscriptionIdInvalid;
            }

            var now = Time.GetUtcNow().UtcDateTime;
            var timeout = request.RequestHeader.TimeoutHint == 0 ? session.Timeout : TimeSpan.FromMilliseconds(request.RequestHeader.TimeoutHint);
            session.PublishRequests.AddLast(new QueuedPublishRequest(connection, requestId, request, results, now + timeout));
            if (session.PublishRequests.Count > Options.MaxPublishRequestsPerSession)
            {
                var oldest = session.PublishRequests.First!.Value;
                session.PublishRequests.RemoveFirst();
                oldest.Connection.Send(oldest.RequestId, new ServiceFault(ResponseHeader(oldest.Request.RequestHeader, StatusCodes.BadTooManyPublishRequests)));
            }

            foreach (var subscription in session.Subscriptions.Values)
            {
                subscription.PublishRequestReceived();
            }

            foreach (var late in session.Subscriptions.Values.Where(s => s.IsLate).OrderByDescending(s => s.Priority).ToArray())
            {
                if (!SendNotifications(session, late, now))
                {
                    break;
                }
            }
        }
    }

    /// <summary>A publishing interval of <paramref name="subscription"/> has passed.</summary>
    internal void OnPublishingTimer(ServerSubscription subscription)
    {
        var session = subscription.Session;
        var now = Time.GetUtcNow().UtcDateTime;
        try
        {
            if (session is null)
            {
                // Orphaned after CloseSession without deletion: only its lifetime runs.
                if (subscription.Tick(false, now) == PublishDecision.Expire)
                {
                    _subscriptions.TryRemove(subscription.Id, out _);
                    subscription.Dispose();
                }

                return;
            }

            lock (session.Lock)
            {
                if (!ReferenceEquals(subscription.Session, session) || session.Closed)
                {
                    return;
                }

                switch (subscription.Tick(HasUsablePublishRequest(session, now), now))
                {
                    case PublishDecision.Send:
                        SendNotifications(session, subscription, now);
                        break;
                    case PublishDecision.Expire:
                        _logger.LogInformation("Subscription {SubscriptionId} of {Session} expired: no Publish request for {Count} publishing intervals",
                            subscription.Id, session, subscription.LifetimeCount);
                        session.Subscriptions.Remove(subscription.Id);
                        DeleteSubscription(subscription);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback must not bring the server down.
            _logger.LogError(e, "Publishing subscription {SubscriptionId} failed", subscription.Id);
        }
    }

    /// <summary>Sends messages while the subscription has notifications and the session has Publish requests. Under the session lock.</summary>
    /// <returns>False when the session ran out of Publish requests.</returns>
    private bool SendNotifications(Session session, ServerSubscription subscription, DateTime now)
    {
        while (true)
        {
            if (!TryTakePublishRequest(session, now, out var queued))
            {
                return false;
            }

            var message = subscription.BuildMessage(now, out var more);
            queued.Connection.Send(queued.RequestId, new PublishResponse(
                ResponseHeader(queued.Request.RequestHeader),
                subscription.Id,
                subscription.AvailableSequenceNumbers,
                more,
                message,
                queued.AcknowledgementResults,
                null));
            if (!more)
            {
                return true;
            }
        }
    }

    private void SendStatusChange(Session session, uint subscriptionId, StatusCode status)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        if (TryTakePublishRequest(session, now, out var queued))
        {
            var message = new NotificationMessage(0, now, [new ExtensionObject(new StatusChangeNotification(status, null))]);
            queued.Connection.Send(queued.RequestId, new PublishResponse(ResponseHeader(queued.Request.RequestHeader), subscriptionId, [], false, message, queued.AcknowledgementResults, null));
        }
    }

    private static bool HasUsablePublishRequest(Session session, DateTime now)
    {
        foreach (var queued in session.PublishRequests)
        {
            if (queued.Connection.IsOpen && queued.Deadline > now)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryTakePublishRequest(Session session, DateTime now, out QueuedPublishRequest queued)
    {
        while (session.PublishRequests.First is { } first)
        {
            session.PublishRequests.RemoveFirst();
            queued = first.Value;
            if (!queued.Connection.IsOpen)
            {
                continue;
            }

            if (queued.Deadline <= now)
            {
                queued.Connection.Send(queued.RequestId, new ServiceFault(ResponseHeader(queued.Request.RequestHeader, StatusCodes.BadTimeout)));
                continue;
            }

            return true;
        }

        queued = null!;
        return false;
    }

    /// <summary>Answers Publish requests whose timeout passed with BadTimeout.</summary>
    private void ExpirePublishRequests(DateTime now)
    {
        foreach (var session in _sessions.Values)
        {
            lock (session.Lock)
            {
                RemovePublishRequests(session, r => r.Deadline <= now, StatusCodes.BadTimeout);
            }
        }
    }

    private void DropPublishRequests(ServerConnection connection)
    {
        foreach (var session in _sessions.Values)
        {
            lock (session.Lock)
            {
                RemovePublishRequests(session, r => ReferenceEquals(r.Connection, connection));
            }
        }
    }

    /// <summary>Removes queued Publish requests; answers them with <paramref name="answer"/> if given. Under the session lock.</summary>
    private void RemovePublishRequests(Session session, Func<QueuedPublishRequest, bool> which, StatusCode? answer = null)
    {
        var node = session.PublishRequests.First;
        while (node is not null)
        {
            var next = node.Next;
            if (which(node.Value))
            {
                session.PublishRequests.Remove(node);
                if (answer is { } status)
                {
                    node.Value.Connection.Send(node.Value.RequestId, new ServiceFault(ResponseHeader(node.Value.Request.RequestHeader, status)));
                }
            }

            node = next;
        }
    }

    private void DeleteSubscription(ServerSubscription subscription)
    {
        _subscriptions.TryRemove(subscription.Id, out _);
        subscription.Dispose();
    }

    private static ServerSubscription FindSubscription(Session session, uint id) =>
        session.Subscriptions.TryGetValue(id, out var subscription)
            ? subscription
            : throw new ServiceResultException(StatusCodes.BadSubscriptionIdInvalid, $"{session} has no subscription {id}");

    private (TimeSpan Interval, uint KeepAlive, uint Lifetime) Revise(double publishingInterval, uint keepAliveCount, uint lifetimeCount)
    {
        var interval = double.IsNaN(publishingInterval) || publishingInterval <= 0
            ? Options.MinPublishingInterval
            : TimeSpan.FromMilliseconds(Math.Clamp(publishingInterval, Options.MinPublishingInterval.TotalMilliseconds, Options.MaxPublishingInterval.TotalMilliseconds));
        var keepAlive = Math.Clamp(keepAliveCount, 1, Options.MaxKeepAliveCount);

        // The lifetime must cover at least three keep-alive periods (OPC 10000-4, 5.13.2.2).
        var lifetime = Math.Max(lifetimeCount, keepAlive * 3);
        return (interval, keepAlive, lifetime);
    }

    private double ReviseSamplingInterval(double requested, ServerSubscription subscription, VariableNode variable)
    {
        var interval = double.IsNaN(requested) || requested < 0 ? subscription.PublishingInterval.TotalMilliseconds : requested;
        return Math.Max(interval, Math.Max(Options.MinSamplingInterval.TotalMilliseconds, variable.MinimumSamplingInterval));
    }

    /// <summary>Checks a DataChangeFilter; a percent deadband becomes absolute through the variable's EURange (OPC 10000-4, 7.22.2).</summary>
    private StatusCode ReviseFilter(VariableNode variable, ExtensionObject filterObject, out DataChangeFilter filter, out double? absoluteDeadband)
    {
        filter = new DataChangeFilter(DataChangeTrigger.StatusValue, (uint)DeadbandType.None, 0);
        absoluteDeadband = null;
        if (filterObject.IsNull)
        {
            return StatusCode.Good;
        }

        if (filterObject.Body is not DataChangeFilter requested)
        {
            return StatusCodes.BadMonitoredItemFilterUnsupported;
        }

        if (requested.Trigger is < DataChangeTrigger.Status or > DataChangeTrigger.StatusValueTimestamp)
        {
            return StatusCodes.BadMonitoredItemFilterInvalid;
        }

        filter = requested;
        switch ((DeadbandType)requested.DeadbandType)
        {
            case DeadbandType.None:
                return StatusCode.Good;
            case DeadbandType.Absolute:
                if (requested.DeadbandValue < 0 || !IsNumeric(variable))
                {
                    return StatusCodes.BadDeadbandFilterInvalid;
                }

                absoluteDeadband = requested.DeadbandValue;
                return StatusCode.Good;
            case DeadbandType.Percent:
                if (requested.DeadbandValue is < 0 or > 100 || !IsNumeric(variable) || EngineeringRange(variable) is not { } range)
                {
                    return StatusCodes.BadDeadbandFilterInvalid;
                }

                absoluteDeadband = requested.DeadbandValue / 100 * (range.High - range.Low);
                return StatusCode.Good;
            default:
                return StatusCodes.BadDeadbandFilterInvalid;
        }
    }

    private bool IsNumeric(VariableNode variable) =>
        AddressSpace.IsSubtypeOf(variable.DataType, DataTypeIds.Number) || variable.Value.Value.TryGetDouble(out _);

    private Types.Range? EngineeringRange(VariableNode variable)
    {
        foreach (var reference in variable.References)
        {
            if (!reference.IsInverse && reference.ReferenceTypeId == ReferenceTypeIds.HasProperty &&
                AddressSpace.TryGet<VariableNode>(reference.TargetId, out var property) &&
                property.BrowseName == new QualifiedName("EURange") &&
                property.Value.Value.Value is ExtensionObject { Body: Types.Range range })
            {
                return range;
            }
        }

        return null;
    }

    private static MonitoredItemCreateResult Failed(uint status) => new(status, 0, 0, 0, ExtensionObject.Null);
}
