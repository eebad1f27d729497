// OPC 10000-4, 5.5 (SecureChannel Service Set): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record ChannelSecurityToken(
    uint ChannelId = 0,
    uint TokenId = 0,
    DateTime CreatedAt = default,
    uint RevisedLifetime = 0)
    : IEncodeable<ChannelSecurityToken>
{
    public static NodeId EncodingId => new(443);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(ChannelId);
        encoder.WriteUInt32(TokenId);
        encoder.WriteDateTime(CreatedAt);
        encoder.WriteUInt32(RevisedLifetime);
    }

    public static ChannelSecurityToken Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadDateTime(),
        decoder.ReadUInt32());
}

public sealed record OpenSecureChannelRequest(
    RequestHeader RequestHeader,
    uint ClientProtocolVersion = 0,
    SecurityTokenRequestType RequestType = default,
    MessageSecurityMode SecurityMode = default,
    byte[]? ClientNonce = null,
    uint RequestedLifetime = 0)
    : IServiceRequest, IEncodeable<OpenSecureChannelRequest>
{
    public static NodeId EncodingId => new(446);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(ClientProtocolVersion);
        encoder.WriteEnum(RequestType);
        encoder.WriteEnum(SecurityMode);
        encoder.WriteByteString(ClientNonce);
        encoder.WriteUInt32(RequestedLifetime);
    }

    public static OpenSecureChannelRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadEnum<SecurityTokenRequestType>(),
        decoder.ReadEnum<MessageSecurityMode>(),
        decoder.ReadByteString(),
        decoder.ReadUInt32());
}

public sealed record OpenSecureChannelResponse(
    ResponseHeader ResponseHeader,
    uint ServerProtocolVersion,
    ChannelSecurityToken SecurityToken,
    byte[]? ServerNonce = null)
    : IServiceResponse, IEncodeable<OpenSecureChannelResponse>
{
    public static NodeId EncodingId => new(449);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteUInt32(ServerProtocolVersion);
        encoder.WriteEncodeable(SecurityToken);
        encoder.WriteByteString(ServerNonce);
    }

    public static OpenSecureChannelResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadEncodeable<ChannelSecurityToken>(),
        decoder.ReadByteString());
}

public sealed record CloseSecureChannelRequest(
    RequestHeader RequestHeader)
    : IServiceRequest, IEncodeable<CloseSecureChannelRequest>
{
    public static NodeId EncodingId => new(452);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
    }

    public static CloseSecureChannelRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>());
}

public sealed record CloseSecureChannelResponse(
    ResponseHeader ResponseHeader)
    : IServiceResponse, IEncodeable<CloseSecureChannelResponse>
{
    public static NodeId EncodingId => new(455);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
    }

    public static CloseSecureChannelResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>());
}
