using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Server;

/// <summary>Call (OPC 10000-4, 5.11.2): runs the handlers of method nodes.</summary>
public sealed partial class UaServer
{
    private async Task CallAsync(Session session, ServerConnection connection, uint requestId, CallRequest request)
    {
        try
        {
            var calls = Operations(request.MethodsToCall);
            var results = new CallMethodResult[calls.Length];
            for (var i = 0; i < calls.Length; i++)
            {
                results[i] = await CallMethodAsync(calls[i]).ConfigureAwait(false);
            }

            connection.Send(requestId, new CallResponse(ResponseHeader(request.RequestHeader), results, null));
        }
        catch (ServiceResultException e)
        {
            connection.Send(requestId, new ServiceFault(ResponseHeader(request.RequestHeader, e.StatusCode)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError(e, "Call from {Session} failed unexpectedly", session);
            connection.Send(requestId, new ServiceFault(ResponseHeader(request.RequestHeader, StatusCodes.BadInternalError)));
        }
    }

    private async Task<CallMethodResult> CallMethodAsync(CallMethodRequest call)
    {
        if (!AddressSpace.TryGetNode(call.ObjectId, out var target))
        {
            return new CallMethodResult(StatusCodes.BadNodeIdUnknown, null, null, null);
        }

        if (!AddressSpace.TryGet<MethodNode>(call.MethodId, out var method) ||
            !target.References.Any(r => !r.IsInverse && r.TargetId == call.MethodId && AddressSpace.IsSubtypeOf(r.ReferenceTypeId, ReferenceTypeIds.HasComponent)))
        {
            return new CallMethodResult(StatusCodes.BadMethodInvalid, null, null, null);
        }

        if (!method.Executable)
        {
            return new CallMethodResult(StatusCodes.BadNotExecutable, null, null, null);
        }

        try
        {
            var outputs = await method.Handler(call.ObjectId, call.InputArguments ?? [], _stopping.Token).ConfigureAwait(false);
            return new CallMethodResult(StatusCode.Good, null, null, outputs);
        }
        catch (ServiceResultException e)
        {
            return new CallMethodResult(e.StatusCode, null, null, null);
        }
    }
}
