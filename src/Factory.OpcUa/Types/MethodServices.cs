// OPC 10000-4, 5.11 (Method Service Set): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record CallMethodRequest(
    NodeId ObjectId = default,
    NodeId MethodId = default,
    Variant[]? InputArguments = null)
    : IEncodeable<CallMethodRequest>
{
    public static NodeId EncodingId => new(706);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(ObjectId);
        encoder.WriteNodeId(MethodId);
        encoder.WriteVariantArray(InputArguments);
    }

    public static CallMethodRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadNodeId(),
        decoder.ReadVariantArray());
}

public sealed record CallMethodResult(
    StatusCode StatusCode = default,
    StatusCode[]? InputArgumentResults = null,
    DiagnosticInfo?[]? InputArgumentDiagnosticInfos = null,
    Variant[]? OutputArguments = null)
    : IEncodeable<CallMethodResult>
{
    public static NodeId EncodingId => new(709);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(StatusCode);
        encoder.WriteStatusCodeArray(InputArgumentResults);
        encoder.WriteDiagnosticInfoArray(InputArgumentDiagnosticInfos);
        encoder.WriteVariantArray(OutputArguments);
    }

    public static CallMethodResult Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray(),
        decoder.ReadVariantArray());
}

public sealed record CallRequest(
    RequestHeader RequestHeader,
    CallMethodRequest[]? MethodsToCall = null)
    : IServiceRequest, IEncodeable<CallRequest>
{
    public static NodeId EncodingId => new(712);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeableArray(MethodsToCall);
    }

    public static CallRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeableArray<CallMethodRequest>());
}

public sealed record CallResponse(
    ResponseHeader ResponseHeader,
    CallMethodResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<CallResponse>
{
    public static NodeId EncodingId => new(715);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static CallResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<CallMethodResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record Argument(
    string? Name = null,
    NodeId DataType = default,
    int ValueRank = 0,
    uint[]? ArrayDimensions = null,
    LocalizedText? Description = null)
    : IEncodeable<Argument>
{
    public static NodeId EncodingId => new(298);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(Name);
        encoder.WriteNodeId(DataType);
        encoder.WriteInt32(ValueRank);
        encoder.WriteUInt32Array(ArrayDimensions);
        encoder.WriteLocalizedText(Description);
    }

    public static Argument Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadNodeId(),
        decoder.ReadInt32(),
        decoder.ReadUInt32Array(),
        decoder.ReadLocalizedText());
}
