using System.Security.Cryptography;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server;

/// <summary>Browse, BrowseNext and TranslateBrowsePathsToNodeIds (OPC 10000-4, 5.8).</summary>
public sealed partial class UaServer
{
    private BrowseResponse Browse(Session session, BrowseRequest request)
    {
        if (!request.View.ViewId.IsNull)
        {
            throw new ServiceResultException(StatusCodes.BadViewIdUnknown, $"this server has no view {request.View.ViewId}");
        }

        var nodes = Operations(request.NodesToBrowse);
        var max = request.RequestedMaxReferencesPerNode == 0
            ? (uint)Options.MaxReferencesPerBrowse
            : Math.Min(request.RequestedMaxReferencesPerNode, (uint)Options.MaxReferencesPerBrowse);
        var results = new BrowseResult[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var status = CollectReferences(nodes[i], out var references);
            results[i] = status.IsBad ? new BrowseResult(status, null, []) : Page(session, references, max);
        }

        return new BrowseResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private BrowseNextResponse BrowseNext(Session session, BrowseNextRequest request)
    {
        var points = Operations(request.ContinuationPoints);
        var results = new BrowseResult[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            BrowseContinuation? continuation;
            lock (session.Lock)
            {
                var key = points[i] is { } bytes ? Convert.ToBase64String(bytes) : "";
                session.ContinuationPoints.Remove(key, out continuation);
            }

            if (continuation is null)
            {
                results[i] = new BrowseResult(StatusCodes.BadContinuationPointInvalid, null, null);
            }
            else
            {
                results[i] = request.ReleaseContinuationPoints
                    ? new BrowseResult(StatusCode.Good, null, null)
                    : Page(session, continuation.Remaining, continuation.MaxReferences);
            }
        }

        return new BrowseNextResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    /// <summary>The first <paramref name="max"/> references, and a continuation point for the rest.</summary>
    private BrowseResult Page(Session session, ReferenceDescription[] references, uint max)
    {
        if (references.Length <= max)
        {
            return new BrowseResult(StatusCode.Good, null, references);
        }

        var id = RandomNumberGenerator.GetBytes(16);
        lock (session.Lock)
        {
            if (session.ContinuationPoints.Count >= Options.MaxBrowseContinuationPoints)
            {
                return new BrowseResult(StatusCodes.BadNoContinuationPoints, null, null);
            }

            session.ContinuationPoints[Convert.ToBase64String(id)] =
                new BrowseContinuation(id, references[(int)max..], max, Time.GetUtcNow().UtcDateTime);
        }

        return new BrowseResult(StatusCode.Good, id, references[..(int)max]);
    }

    private StatusCode CollectReferences(BrowseDescription description, out ReferenceDescription[] result)
    {
        result = [];
        if (!AddressSpace.TryGetNode(description.NodeId, out var node))
        {
            return StatusCodes.BadNodeIdUnknown;
        }

        if (description.BrowseDirection is < BrowseDirection.Forward or > BrowseDirection.Both)
        {
            return StatusCodes.BadBrowseDirectionInvalid;
        }

        var filterByType = !description.ReferenceTypeId.IsNull;
        if (filterByType && !AddressSpace.TryGet<ReferenceTypeNode>(description.ReferenceTypeId, out _))
        {
            return StatusCodes.BadReferenceTypeIdInvalid;
        }

        var mask = (BrowseResultMask)description.ResultMask;
        var references = new List<ReferenceDescription>();
        foreach (var reference in node.References)
        {
            if ((description.BrowseDirection == BrowseDirection.Forward && reference.IsInverse) ||
                (description.BrowseDirection == BrowseDirection.Inverse && !reference.IsInverse))
            {
                continue;
            }

            if (filterByType && reference.ReferenceTypeId != description.ReferenceTypeId &&
                !(description.IncludeSubtypes && AddressSpace.IsSubtypeOf(reference.ReferenceTypeId, description.ReferenceTypeId)))
            {
                continue;
            }

            AddressSpace.TryGetNode(reference.TargetId, out var target);
            if (description.NodeClassMask != 0 && target is not null && ((uint)target.NodeClass & description.NodeClassMask) == 0)
            {
                continue;
            }

            references.Add(Describe(reference, target, mask));
        }

        result = [.. references];
        return StatusCode.Good;
    }

    private static ReferenceDescription Describe(NodeReference reference, Node? target, BrowseResultMask mask) => new(
        mask.HasFlag(BrowseResultMask.ReferenceTypeId) ? reference.ReferenceTypeId : NodeId.Null,
        !reference.IsInverse,
        reference.TargetId,
        mask.HasFlag(BrowseResultMask.BrowseName) && target is not null ? target.BrowseName : QualifiedName.Null,
        mask.HasFlag(BrowseResultMask.DisplayName) && target is not null ? target.DisplayName : LocalizedText.Null,
        mask.HasFlag(BrowseResultMask.NodeClass) && target is not null ? target.NodeClass : NodeClass.Unspecified,
        mask.HasFlag(BrowseResultMask.TypeDefinition) && target is ObjectNode or VariableNode ? target!.TypeDefinition : NodeId.Null);

    private TranslateBrowsePathsToNodeIdsResponse TranslateBrowsePaths(TranslateBrowsePathsToNodeIdsRequest request)
    {
        var paths = Operations(request.BrowsePaths);
        var results = new BrowsePathResult[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            results[i] = Translate(paths[i]);
        }

        return new TranslateBrowsePathsToNodeIdsResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private BrowsePathResult Translate(BrowsePath path)
    {
        if (!AddressSpace.TryGetNode(path.StartingNode, out _))
        {
            return new BrowsePathResult(StatusCodes.BadNodeIdUnknown, null);
        }

        var elements = path.RelativePath.Elements ?? [];
        if (elements.Length == 0)
        {
            return new BrowsePathResult(StatusCodes.BadNothingToDo, null);
        }

        if (elements.Any(e => e.TargetName.IsNull))
        {
            return new BrowsePathResult(StatusCodes.BadBrowseNameInvalid, null);
        }

        var current = new List<NodeId> { path.StartingNode };
        foreach (var element in elements)
        {
            var next = new List<NodeId>();
            foreach (var nodeId in current)
            {
                if (!AddressSpace.TryGetNode(nodeId, out var node))
                {
                    continue;
                }

                foreach (var reference in node.References)
                {
                    if (reference.IsInverse != element.IsInverse ||
                        !(element.ReferenceTypeId.IsNull || reference.ReferenceTypeId == element.ReferenceTypeId ||
                          (element.IncludeSubtypes && AddressSpace.IsSubtypeOf(reference.ReferenceTypeId, element.ReferenceTypeId))))
                    {
                        continue;
                    }

                    if (AddressSpace.TryGetNode(reference.TargetId, out var target) && target.BrowseName == element.TargetName && !next.Contains(target.NodeId))
                    {
                        next.Add(target.NodeId);
                    }
                }
            }

            if (next.Count == 0)
            {
                return new BrowsePathResult(StatusCodes.BadNoMatch, null);
            }

            current = next;
        }

        return new BrowsePathResult(StatusCode.Good, [.. current.Select(id => new BrowsePathTarget(id, uint.MaxValue))]);
    }
}
