// OPC 10000-4, 5.4 (Discovery Service Set): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record GetEndpointsRequest(
    RequestHeader RequestHeader,
    string? EndpointUrl = null,
    string?[]? LocaleIds = null,
    string?[]? ProfileUris = null)
    : IServiceRequest, IEncodeable<GetEndpointsRequest>
{
    public static NodeId EncodingId => new(428);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteString(EndpointUrl);
        encoder.WriteStringArray(LocaleIds);
        encoder.WriteStringArray(ProfileUris);
    }

    public static GetEndpointsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadString(),
        decoder.ReadStringArray(),
        decoder.ReadStringArray());
}

public sealed record GetEndpointsResponse(
    ResponseHeader ResponseHeader,
    EndpointDescription[]? Endpoints = null)
    : IServiceResponse, IEncodeable<GetEndpointsResponse>
{
    public static NodeId EncodingId => new(431);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Endpoints);
    }

    public static GetEndpointsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<EndpointDescription>());
}

public sealed record FindServersRequest(
    RequestHeader RequestHeader,
    string? EndpointUrl = null,
    string?[]? LocaleIds = null,
    string?[]? ServerUris = null)
    : IServiceRequest, IEncodeable<FindServersRequest>
{
    public static NodeId EncodingId => new(422);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteString(EndpointUrl);
        encoder.WriteStringArray(LocaleIds);
        encoder.WriteStringArray(ServerUris);
    }

    public static FindServersRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadString(),
        decoder.ReadStringArray(),
        decoder.ReadStringArray());
}

public sealed record FindServersResponse(
    ResponseHeader ResponseHeader,
    ApplicationDescription[]? Servers = null)
    : IServiceResponse, IEncodeable<FindServersResponse>
{
    public static NodeId EncodingId => new(425);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Servers);
    }

    public static FindServersResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<ApplicationDescription>());
}
