// OPC 10000-4, 7 (Common parameter types) and OPC 10000-5 (information model types): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record RequestHeader(
    NodeId AuthenticationToken = default,
    DateTime Timestamp = default,
    uint RequestHandle = 0,
    uint ReturnDiagnostics = 0,
    string? AuditEntryId = null,
    uint TimeoutHint = 0,
    ExtensionObject AdditionalHeader = default)
    : IEncodeable<RequestHeader>
{
    public static NodeId EncodingId => new(391);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteNodeId(AuthenticationToken);
        encoder.WriteDateTime(Timestamp);
        encoder.WriteUInt32(RequestHandle);
        encoder.WriteUInt32(ReturnDiagnostics);
        encoder.WriteString(AuditEntryId);
        encoder.WriteUInt32(TimeoutHint);
        encoder.WriteExtensionObject(AdditionalHeader);
    }

    public static RequestHeader Decode(BinaryDecoder decoder) => new(
        decoder.ReadNodeId(),
        decoder.ReadDateTime(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadString(),
        decoder.ReadUInt32(),
        decoder.ReadExtensionObject());
}

public sealed record ResponseHeader(
    DateTime Timestamp = default,
    uint RequestHandle = 0,
    StatusCode ServiceResult = default,
    DiagnosticInfo? ServiceDiagnostics = null,
    string?[]? StringTable = null,
    ExtensionObject AdditionalHeader = default)
    : IEncodeable<ResponseHeader>
{
    public static NodeId EncodingId => new(394);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteDateTime(Timestamp);
        encoder.WriteUInt32(RequestHandle);
        encoder.WriteStatusCode(ServiceResult);
        encoder.WriteDiagnosticInfo(ServiceDiagnostics);
        encoder.WriteStringArray(StringTable);
        encoder.WriteExtensionObject(AdditionalHeader);
    }

    public static ResponseHeader Decode(BinaryDecoder decoder) => new(
        decoder.ReadDateTime(),
        decoder.ReadUInt32(),
        decoder.ReadStatusCode(),
        decoder.ReadDiagnosticInfo(),
        decoder.ReadStringArray(),
        decoder.ReadExtensionObject());
}

public sealed record ServiceFault(
    ResponseHeader ResponseHeader)
    : IServiceResponse, IEncodeable<ServiceFault>
{
    public static NodeId EncodingId => new(397);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
    }

    public static ServiceFault Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>());
}

public sealed record ApplicationDescription(
    string? ApplicationUri = null,
    string? ProductUri = null,
    LocalizedText? ApplicationName = null,
    ApplicationType ApplicationType = default,
    string? GatewayServerUri = null,
    string? DiscoveryProfileUri = null,
    string?[]? DiscoveryUrls = null)
    : IEncodeable<ApplicationDescription>
{
    public static NodeId EncodingId => new(310);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(ApplicationUri);
        encoder.WriteString(ProductUri);
        encoder.WriteLocalizedText(ApplicationName);
        encoder.WriteEnum(ApplicationType);
        encoder.WriteString(GatewayServerUri);
        encoder.WriteString(DiscoveryProfileUri);
        encoder.WriteStringArray(DiscoveryUrls);
    }

    public static ApplicationDescription Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadLocalizedText(),
        decoder.ReadEnum<ApplicationType>(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadStringArray());
}

public sealed record EndpointDescription(
    string? EndpointUrl,
    ApplicationDescription Server,
    byte[]? ServerCertificate = null,
    MessageSecurityMode SecurityMode = default,
    string? SecurityPolicyUri = null,
    UserTokenPolicy[]? UserIdentityTokens = null,
    string? TransportProfileUri = null,
    byte SecurityLevel = 0)
    : IEncodeable<EndpointDescription>
{
    public static NodeId EncodingId => new(314);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(EndpointUrl);
        encoder.WriteEncodeable(Server);
        encoder.WriteByteString(ServerCertificate);
        encoder.WriteEnum(SecurityMode);
        encoder.WriteString(SecurityPolicyUri);
        encoder.WriteEncodeableArray(UserIdentityTokens);
        encoder.WriteString(TransportProfileUri);
        encoder.WriteByte(SecurityLevel);
    }

    public static EndpointDescription Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadEncodeable<ApplicationDescription>(),
        decoder.ReadByteString(),
        decoder.ReadEnum<MessageSecurityMode>(),
        decoder.ReadString(),
        decoder.ReadEncodeableArray<UserTokenPolicy>(),
        decoder.ReadString(),
        decoder.ReadByte());
}

public sealed record UserTokenPolicy(
    string? PolicyId = null,
    UserTokenType TokenType = default,
    string? IssuedTokenType = null,
    string? IssuerEndpointUrl = null,
    string? SecurityPolicyUri = null)
    : IEncodeable<UserTokenPolicy>
{
    public static NodeId EncodingId => new(306);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(PolicyId);
        encoder.WriteEnum(TokenType);
        encoder.WriteString(IssuedTokenType);
        encoder.WriteString(IssuerEndpointUrl);
        encoder.WriteString(SecurityPolicyUri);
    }

    public static UserTokenPolicy Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadEnum<UserTokenType>(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadString());
}

public sealed record EUInformation(
    string? NamespaceUri = null,
    int UnitId = 0,
    LocalizedText? DisplayName = null,
    LocalizedText? Description = null)
    : IEncodeable<EUInformation>
{
    public static NodeId EncodingId => new(889);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(NamespaceUri);
        encoder.WriteInt32(UnitId);
        encoder.WriteLocalizedText(DisplayName);
        encoder.WriteLocalizedText(Description);
    }

    public static EUInformation Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadInt32(),
        decoder.ReadLocalizedText(),
        decoder.ReadLocalizedText());
}

public sealed record Range(
    double Low = 0,
    double High = 0)
    : IEncodeable<Range>
{
    public static NodeId EncodingId => new(886);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteDouble(Low);
        encoder.WriteDouble(High);
    }

    public static Range Decode(BinaryDecoder decoder) => new(
        decoder.ReadDouble(),
        decoder.ReadDouble());
}

public sealed record BuildInfo(
    string? ProductUri = null,
    string? ManufacturerName = null,
    string? ProductName = null,
    string? SoftwareVersion = null,
    string? BuildNumber = null,
    DateTime BuildDate = default)
    : IEncodeable<BuildInfo>
{
    public static NodeId EncodingId => new(340);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(ProductUri);
        encoder.WriteString(ManufacturerName);
        encoder.WriteString(ProductName);
        encoder.WriteString(SoftwareVersion);
        encoder.WriteString(BuildNumber);
        encoder.WriteDateTime(BuildDate);
    }

    public static BuildInfo Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadDateTime());
}

public sealed record ServerStatusDataType(
    DateTime StartTime,
    DateTime CurrentTime,
    ServerState State,
    BuildInfo BuildInfo,
    uint SecondsTillShutdown = 0,
    LocalizedText? ShutdownReason = null)
    : IEncodeable<ServerStatusDataType>
{
    public static NodeId EncodingId => new(864);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteDateTime(StartTime);
        encoder.WriteDateTime(CurrentTime);
        encoder.WriteEnum(State);
        encoder.WriteEncodeable(BuildInfo);
        encoder.WriteUInt32(SecondsTillShutdown);
        encoder.WriteLocalizedText(ShutdownReason);
    }

    public static ServerStatusDataType Decode(BinaryDecoder decoder) => new(
        decoder.ReadDateTime(),
        decoder.ReadDateTime(),
        decoder.ReadEnum<ServerState>(),
        decoder.ReadEncodeable<BuildInfo>(),
        decoder.ReadUInt32(),
        decoder.ReadLocalizedText());
}
