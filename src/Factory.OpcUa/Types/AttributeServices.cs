// OPC 10000-4, 5.10 (Attribute Service Set): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record ReadValueId(
    NodeId NodeId = default,
    uint AttributeId = 0,
    string? IndexRange = null,
    QualifiedName DataEncoding = default)
    : IEncodeable<ReadValueId>
{
    public static NodeId EncodingId => new(628);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(NodeId);
        encoder.WriteUInt32(AttributeId);
        encoder.WriteString(IndexRange);
        encoder.WriteQualifiedName(DataEncoding);
    }

    public static ReadValueId Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadUInt32(),
        decoder.ReadString(),
        decoder.ReadQualifiedName());
}

public sealed record ReadRequest(
    RequestHeader RequestHeader,
    double MaxAge = 0,
    TimestampsToReturn TimestampsToReturn = default,
    ReadValueId[]? NodesToRead = null)
    : IServiceRequest, IEncodeable<ReadRequest>
{
    public static NodeId EncodingId => new(631);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteDouble(MaxAge);
        encoder.WriteEnum(TimestampsToReturn);
        encoder.WriteEncodeableArray(NodesToRead);
    }

    public static ReadRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadDouble(),
        decoder.ReadEnum<TimestampsToReturn>(),
        decoder.ReadEncodeableArray<ReadValueId>());
}

public sealed record ReadResponse(
    ResponseHeader ResponseHeader,
    DataValue[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<ReadResponse>
{
    public static NodeId EncodingId => new(634);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteDataValueArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static ReadResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadDataValueArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record WriteValue(
    NodeId NodeId = default,
    uint AttributeId = 0,
    string? IndexRange = null,
    DataValue Value = default)
    : IEncodeable<WriteValue>
{
    public static NodeId EncodingId => new(670);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(NodeId);
        encoder.WriteUInt32(AttributeId);
        encoder.WriteString(IndexRange);
        encoder.WriteDataValue(Value);
    }

    public static WriteValue Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadUInt32(),
        decoder.ReadString(),
        decoder.ReadDataValue());
}

public sealed record WriteRequest(
    RequestHeader RequestHeader,
    WriteValue[]? NodesToWrite = null)
    : IServiceRequest, IEncodeable<WriteRequest>
{
    public static NodeId EncodingId => new(673);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeableArray(NodesToWrite);
    }

    public static WriteRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeableArray<WriteValue>());
}

public sealed record WriteResponse(
    ResponseHeader ResponseHeader,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<WriteResponse>
{
    public static NodeId EncodingId => new(676);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static WriteResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}
