using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Client;

/// <summary>The Attribute, View and Method services (OPC 10000-4, 5.8, 5.10, 5.11).</summary>
public sealed partial class UaClient
{
    /// <summary>Reads attributes of nodes; one DataValue per item, in order, each with its own status.</summary>
    public async Task<DataValue[]> ReadAsync(IReadOnlyList<ReadValueId> nodesToRead, TimestampsToReturn timestamps = TimestampsToReturn.Both, CancellationToken cancellationToken = default)
    {
        var request = new ReadRequest(new RequestHeader(), 0, timestamps, [.. nodesToRead]);
        var response = await SendAsync<ReadResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CheckResults(response.Results, nodesToRead.Count, "Read");
    }

    /// <summary>Reads the Value attribute of one node.</summary>
    public async Task<DataValue> ReadValueAsync(NodeId nodeId, CancellationToken cancellationToken = default) =>
        (await ReadAsync([new ReadValueId(nodeId, AttributeIds.Value)], TimestampsToReturn.Both, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Writes attributes of nodes; one status per item, in order.</summary>
    public async Task<StatusCode[]> WriteAsync(IReadOnlyList<WriteValue> nodesToWrite, CancellationToken cancellationToken = default)
    {
        var request = new WriteRequest(new RequestHeader(), [.. nodesToWrite]);
        var response = await SendAsync<WriteResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CheckResults(response.Results, nodesToWrite.Count, "Write");
    }

    /// <summary>Writes the Value attribute of one node; the value's type must be what the node holds.</summary>
    public async Task<StatusCode> WriteValueAsync(NodeId nodeId, Variant value, CancellationToken cancellationToken = default) =>
        (await WriteAsync([new WriteValue(nodeId, AttributeIds.Value, null, new DataValue(value))], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>One Browse call: the first references of each node and a continuation point where more remain.</summary>
    public async Task<BrowseResult[]> BrowseAsync(IReadOnlyList<BrowseDescription> nodesToBrowse, uint requestedMaxReferencesPerNode = 0, CancellationToken cancellationToken = default)
    {
        var request = new BrowseRequest(new RequestHeader(), new ViewDescription(default, default, 0), requestedMaxReferencesPerNode, [.. nodesToBrowse]);
        var response = await SendAsync<BrowseResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CheckResults(response.Results, nodesToBrowse.Count, "Browse");
    }

    /// <summary>Continues (or, with <paramref name="release"/>, abandons) browses left unfinished.</summary>
    public async Task<BrowseResult[]> BrowseNextAsync(IReadOnlyList<byte[]> continuationPoints, bool release = false, CancellationToken cancellationToken = default)
    {
        var request = new BrowseNextRequest(new RequestHeader(), release, [.. continuationPoints]);
        var response = await SendAsync<BrowseNextResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CheckResults(response.Results, continuationPoints.Count, "BrowseNext");
    }

    /// <summary>
    /// All references of one node in one direction, following continuation points with
    /// BrowseNext until the server has no more.
    /// </summary>
    /// <exception cref="ServiceResultException">The node cannot be browsed; the status says why.</exception>
    public async Task<IReadOnlyList<ReferenceDescription>> BrowseAllAsync(
        NodeId nodeId,
        BrowseDirection direction = BrowseDirection.Forward,
        NodeId? referenceTypeId = null,
        bool includeSubtypes = true,
        uint maxReferencesPerCall = 1000,
        CancellationToken cancellationToken = default)
    {
        var description = new BrowseDescription(nodeId, direction, referenceTypeId ?? ReferenceTypeIds.HierarchicalReferences, includeSubtypes, 0, (uint)BrowseResultMask.All);
        var result = (await BrowseAsync([description], maxReferencesPerCall, cancellationToken).ConfigureAwait(false))[0];
        var references = new List<ReferenceDescription>();
        while (true)
        {
            if (result.StatusCode.IsBad)
            {
                throw new ServiceResultException(result.StatusCode, $"browsing {nodeId} failed");
            }

            references.AddRange(result.References ?? []);
            if (result.ContinuationPoint is not { Length: > 0 } continuation)
            {
                return references;
            }

            result = (await BrowseNextAsync([continuation], false, cancellationToken).ConfigureAwait(false))[0];
        }
    }

    /// <summary>Resolves browse paths to node ids (TranslateBrowsePathsToNodeIds).</summary>
    public async Task<BrowsePathResult[]> TranslateBrowsePathsAsync(IReadOnlyList<BrowsePath> browsePaths, CancellationToken cancellationToken = default)
    {
        var request = new TranslateBrowsePathsToNodeIdsRequest(new RequestHeader(), [.. browsePaths]);
        var response = await SendAsync<TranslateBrowsePathsToNodeIdsResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CheckResults(response.Results, browsePaths.Count, "TranslateBrowsePathsToNodeIds");
    }

    /// <summary>The node reached from <paramref name="start"/> by following hierarchical references with these browse names.</summary>
    /// <exception cref="ServiceResultException">The path leads nowhere (BadNoMatch) or is ambiguous.</exception>
    public async Task<NodeId> ResolvePathAsync(NodeId start, IReadOnlyList<QualifiedName> path, CancellationToken cancellationToken = default)
    {
        var elements = path.Select(name => new RelativePathElement(ReferenceTypeIds.HierarchicalReferences, false, true, name)).ToArray();
        var result = (await TranslateBrowsePathsAsync([new BrowsePath(start, new RelativePath(elements))], cancellationToken).ConfigureAwait(false))[0];
        var described = $"{start}/{string.Join("/", path)}";
        if (result.StatusCode.IsBad)
        {
            throw new ServiceResultException(result.StatusCode, $"the path {described} cannot be resolved");
        }

        var targets = result.Targets ?? [];
        if (targets.Length != 1 || !targets[0].TargetId.IsLocal)
        {
            throw new ServiceResultException(StatusCodes.BadNoMatch, $"the path {described} leads to {targets.Length} nodes, not one");
        }

        return targets[0].TargetId.NodeId;
    }

    /// <summary>Calls a method of an object (OPC 10000-4, 5.11.2).</summary>
    public async Task<CallMethodResult> CallAsync(NodeId objectId, NodeId methodId, IReadOnlyList<Variant> inputArguments, CancellationToken cancellationToken = default)
    {
        var request = new CallRequest(new RequestHeader(), [new CallMethodRequest(objectId, methodId, [.. inputArguments])]);
        var response = await SendAsync<CallResponse>(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CheckResults(response.Results, 1, "Call")[0];
    }

    private static T[] CheckResults<T>(T[]? results, int expected, string service)
    {
        if (results is null || results.Length != expected)
        {
            throw new ServiceResultException(StatusCodes.BadUnknownResponse, $"{service} asked about {expected} items and got {results?.Length ?? 0} results");
        }

        return results;
    }
}
