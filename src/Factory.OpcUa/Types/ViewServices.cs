// OPC 10000-4, 5.8 (View Service Set): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record ViewDescription(
    NodeId ViewId = default,
    DateTime Timestamp = default,
    uint ViewVersion = 0)
    : IEncodeable<ViewDescription>
{
    public static NodeId EncodingId => new(513);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(ViewId);
        encoder.WriteDateTime(Timestamp);
        encoder.WriteUInt32(ViewVersion);
    }

    public static ViewDescription Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadDateTime(),
        decoder.ReadUInt32());
}

public sealed record BrowseDescription(
    NodeId NodeId = default,
    BrowseDirection BrowseDirection = default,
    NodeId ReferenceTypeId = default,
    bool IncludeSubtypes = false,
    uint NodeClassMask = 0,
    uint ResultMask = 0)
    : IEncodeable<BrowseDescription>
{
    public static NodeId EncodingId => new(516);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(NodeId);
        encoder.WriteEnum(BrowseDirection);
        encoder.WriteNodeId(ReferenceTypeId);
        encoder.WriteBoolean(IncludeSubtypes);
        encoder.WriteUInt32(NodeClassMask);
        encoder.WriteUInt32(ResultMask);
    }

    public static BrowseDescription Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadEnum<BrowseDirection>(),
        decoder.ReadNodeId(),
        decoder.ReadBoolean(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32());
}

public sealed record ReferenceDescription(
    NodeId ReferenceTypeId = default,
    bool IsForward = false,
    ExpandedNodeId NodeId = default,
    QualifiedName BrowseName = default,
    LocalizedText? DisplayName = null,
    NodeClass NodeClass = default,
    ExpandedNodeId TypeDefinition = default)
    : IEncodeable<ReferenceDescription>
{
    public static NodeId EncodingId => new(520);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(ReferenceTypeId);
        encoder.WriteBoolean(IsForward);
        encoder.WriteExpandedNodeId(NodeId);
        encoder.WriteQualifiedName(BrowseName);
        encoder.WriteLocalizedText(DisplayName);
        encoder.WriteEnum(NodeClass);
        encoder.WriteExpandedNodeId(TypeDefinition);
    }

    public static ReferenceDescription Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadBoolean(),
        decoder.ReadExpandedNodeId(),
        decoder.ReadQualifiedName(),
        decoder.ReadLocalizedText(),
        decoder.ReadEnum<NodeClass>(),
        decoder.ReadExpandedNodeId());
}

public sealed record BrowseResult(
    StatusCode StatusCode = default,
    byte[]? ContinuationPoint = null,
    ReferenceDescription[]? References = null)
    : IEncodeable<BrowseResult>
{
    public static NodeId EncodingId => new(524);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(StatusCode);
        encoder.WriteByteString(ContinuationPoint);
        encoder.WriteEncodeableArray(References);
    }

    public static BrowseResult Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadByteString(),
        decoder.ReadEncodeableArray<ReferenceDescription>());
}

public sealed record BrowseRequest(
    RequestHeader RequestHeader,
    ViewDescription View,
    uint RequestedMaxReferencesPerNode = 0,
    BrowseDescription[]? NodesToBrowse = null)
    : IServiceRequest, IEncodeable<BrowseRequest>
{
    public static NodeId EncodingId => new(527);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeable(View);
        encoder.WriteUInt32(RequestedMaxReferencesPerNode);
        encoder.WriteEncodeableArray(NodesToBrowse);
    }

    public static BrowseRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeable<ViewDescription>(),
        decoder.ReadUInt32(),
        decoder.ReadEncodeableArray<BrowseDescription>());
}

public sealed record BrowseResponse(
    ResponseHeader ResponseHeader,
    BrowseResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<BrowseResponse>
{
    public static NodeId EncodingId => new(530);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static BrowseResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<BrowseResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record BrowseNextRequest(
    RequestHeader RequestHeader,
    bool ReleaseContinuationPoints = false,
    byte[]?[]? ContinuationPoints = null)
    : IServiceRequest, IEncodeable<BrowseNextRequest>
{
    public static NodeId EncodingId => new(533);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteBoolean(ReleaseContinuationPoints);
        encoder.WriteByteStringArray(ContinuationPoints);
    }

    public static BrowseNextRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadBoolean(),
        decoder.ReadByteStringArray());
}

public sealed record BrowseNextResponse(
    ResponseHeader ResponseHeader,
    BrowseResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<BrowseNextResponse>
{
    public static NodeId EncodingId => new(536);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static BrowseNextResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<BrowseResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record RelativePathElement(
    NodeId ReferenceTypeId = default,
    bool IsInverse = false,
    bool IncludeSubtypes = false,
    QualifiedName TargetName = default)
    : IEncodeable<RelativePathElement>
{
    public static NodeId EncodingId => new(539);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(ReferenceTypeId);
        encoder.WriteBoolean(IsInverse);
        encoder.WriteBoolean(IncludeSubtypes);
        encoder.WriteQualifiedName(TargetName);
    }

    public static RelativePathElement Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadBoolean(),
        decoder.ReadBoolean(),
        decoder.ReadQualifiedName());
}

public sealed record RelativePath(
    RelativePathElement[]? Elements = null)
    : IEncodeable<RelativePath>
{
    public static NodeId EncodingId => new(542);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeableArray(Elements);
    }

    public static RelativePath Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeableArray<RelativePathElement>());
}

public sealed record BrowsePath(
    NodeId StartingNode,
    RelativePath RelativePath)
    : IEncodeable<BrowsePath>
{
    public static NodeId EncodingId => new(545);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(StartingNode);
        encoder.WriteEncodeable(RelativePath);
    }

    public static BrowsePath Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadEncodeable<RelativePath>());
}

public sealed record BrowsePathTarget(
    ExpandedNodeId TargetId = default,
    uint RemainingPathIndex = 0)
    : IEncodeable<BrowsePathTarget>
{
    public static NodeId EncodingId => new(548);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteExpandedNodeId(TargetId);
        encoder.WriteUInt32(RemainingPathIndex);
    }

    public static BrowsePathTarget Decode(BinaryDecoder decoder) => new(
        decoder.ReadExpandedNodeId(),
        decoder.ReadUInt32());
}

public sealed record BrowsePathResult(
    StatusCode StatusCode = default,
    BrowsePathTarget[]? Targets = null)
    : IEncodeable<BrowsePathResult>
{
    public static NodeId EncodingId => new(551);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(StatusCode);
        encoder.WriteEncodeableArray(Targets);
    }

    public static BrowsePathResult Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadEncodeableArray<BrowsePathTarget>());
}

public sealed record TranslateBrowsePathsToNodeIdsRequest(
    RequestHeader RequestHeader,
    BrowsePath[]? BrowsePaths = null)
    : IServiceRequest, IEncodeable<TranslateBrowsePathsToNodeIdsRequest>
{
    public static NodeId EncodingId => new(554);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeableArray(BrowsePaths);
    }

    public static TranslateBrowsePathsToNodeIdsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeableArray<BrowsePath>());
}

public sealed record TranslateBrowsePathsToNodeIdsResponse(
    ResponseHeader ResponseHeader,
    BrowsePathResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<TranslateBrowsePathsToNodeIdsResponse>
{
    public static NodeId EncodingId => new(557);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static TranslateBrowsePathsToNodeIdsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<BrowsePathResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record RegisterNodesRequest(
    RequestHeader RequestHeader,
    NodeId[]? NodesToRegister = null)
    : IServiceRequest, IEncodeable<RegisterNodesRequest>
{
    public static NodeId EncodingId => new(560);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteNodeIdArray(NodesToRegister);
    }

    public static RegisterNodesRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadNodeIdArray());
}

public sealed record RegisterNodesResponse(
    ResponseHeader ResponseHeader,
    NodeId[]? RegisteredNodeIds = null)
    : IServiceResponse, IEncodeable<RegisterNodesResponse>
{
    public static NodeId EncodingId => new(563);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteNodeIdArray(RegisteredNodeIds);
    }

    public static RegisterNodesResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadNodeIdArray());
}

public sealed record UnregisterNodesRequest(
    RequestHeader RequestHeader,
    NodeId[]? NodesToUnregister = null)
    : IServiceRequest, IEncodeable<UnregisterNodesRequest>
{
    public static NodeId EncodingId => new(566);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteNodeIdArray(NodesToUnregister);
    }

    public static UnregisterNodesRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadNodeIdArray());
}

public sealed record UnregisterNodesResponse(
    ResponseHeader ResponseHeader)
    : IServiceResponse, IEncodeable<UnregisterNodesResponse>
{
    public static NodeId EncodingId => new(569);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
    }

    public static UnregisterNodesResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>());
}
