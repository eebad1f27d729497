using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Server;

/// <summary>Routes each request to its service and turns failures into ServiceFaults (OPC 10000-4, 7.32).</summary>
public sealed partial class UaServer
{
    internal void Dispatch(ServerConnection connection, uint requestId, IServiceRequest request)
    {
        try
        {
            if (connection.DiscoveryOnly && request is not (GetEndpointsRequest or FindServersRequest))
            {
                throw new ServiceResultException(StatusCodes.BadSecurityPolicyRejected, $"this server offers no SecurityPolicy None endpoint; a None channel may only discover its endpoints, not send {request.GetType().Name}");
            }

            switch (request)
            {
                case GetEndpointsRequest r:
                    connection.Send(requestId, GetEndpoints(r));
                    return;
                case FindServersRequest r:
                    connection.Send(requestId, FindServers(r));
                    return;
                case CreateSessionRequest r:
                    connection.Send(requestId, CreateSession(connection, r));
                    return;
                case ActivateSessionRequest r:
                    connection.Send(requestId, ActivateSession(connection, r));
                    return;
            }

            var session = ValidateSession(connection, request.RequestHeader);
            switch (request)
            {
                case PublishRequest r:
                    Publish(session, connection, requestId, r);
                    return;
                case CallRequest r:
                    _ = CallAsync(session, connection, requestId, r);
                    return;
                default:
                    connection.Send(requestId, Handle(session, request));
                    return;
            }
        }
        catch (ServiceResultException e)
        {
            if (e.StatusCode.CodeBits is not (StatusCodes.BadSessionIdInvalid or StatusCodes.BadNoSubscription))
            {
                _logger.LogDebug("{Request} on channel {ChannelId} failed: {Reason}", request.GetType().Name, connection.ChannelId, e.Message);
            }

            connection.Send(requestId, new ServiceFault(ResponseHeader(request.RequestHeader, e.StatusCode)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError(e, "{Request} on channel {ChannelId} failed unexpectedly", request.GetType().Name, connection.ChannelId);
            connection.Send(requestId, new ServiceFault(ResponseHeader(request.RequestHeader, StatusCodes.BadInternalError)));
        }
    }

    private IServiceResponse Handle(Session session, IServiceRequest request) => request switch
    {
        CloseSessionRequest r => CloseSession(session, r),
        CancelRequest r => new CancelResponse(ResponseHeader(r.RequestHeader), 0),
        ReadRequest r => Read(r),
        WriteRequest r => Write(r),
        BrowseRequest r => Browse(session, r),
        BrowseNextRequest r => BrowseNext(session, r),
        TranslateBrowsePathsToNodeIdsRequest r => TranslateBrowsePaths(r),
        RegisterNodesRequest r => new RegisterNodesResponse(ResponseHeader(r.RequestHeader), r.NodesToRegister),
        UnregisterNodesRequest r => new UnregisterNodesResponse(ResponseHeader(r.RequestHeader)),
        CreateSubscriptionRequest r => CreateSubscription(session, r),
        ModifySubscriptionRequest r => ModifySubscription(session, r),
        SetPublishingModeRequest r => SetPublishingMode(session, r),
        DeleteSubscriptionsRequest r => DeleteSubscriptions(session, r),
        TransferSubscriptionsRequest r => TransferSubscriptions(session, r),
        RepublishRequest r => Republish(session, r),
        CreateMonitoredItemsRequest r => CreateMonitoredItems(session, r),
        ModifyMonitoredItemsRequest r => ModifyMonitoredItems(session, r),
        SetMonitoringModeRequest r => SetMonitoringMode(session, r),
        DeleteMonitoredItemsRequest r => DeleteMonitoredItems(session, r),
        _ => throw new ServiceResultException(StatusCodes.BadServiceUnsupported, $"{request.GetType().Name} is not supported by this server"),
    };

    /// <summary>The operations of a request: none is BadNothingToDo, too many BadTooManyOperations (OPC 10000-4, 7.34).</summary>
    private T[] Operations<T>(T[]? operations)
    {
        if (operations is not { Length: > 0 })
        {
            throw new ServiceResultException(StatusCodes.BadNothingToDo, "the request lists no operations");
        }

        if (operations.Length > Options.MaxNodesPerRequest)
        {
            throw new ServiceResultException(StatusCodes.BadTooManyOperations, $"{operations.Length} operations exceed the limit of {Options.MaxNodesPerRequest}");
        }

        return operations;
    }
}
