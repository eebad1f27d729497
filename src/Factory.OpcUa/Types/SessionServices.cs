// OPC 10000-4, 5.6 (Session Service Set) and 7.41 (UserIdentityToken): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record CreateSessionRequest(
    RequestHeader RequestHeader,
    ApplicationDescription ClientDescription,
    string? ServerUri = null,
    string? EndpointUrl = null,
    string? SessionName = null,
    byte[]? ClientNonce = null,
    byte[]? ClientCertificate = null,
    double RequestedSessionTimeout = 0,
    uint MaxResponseMessageSize = 0)
    : IServiceRequest, IEncodeable<CreateSessionRequest>
{
    public static NodeId EncodingId => new(461);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeable(ClientDescription);
        encoder.WriteString(ServerUri);
        encoder.WriteString(EndpointUrl);
        encoder.WriteString(SessionName);
        encoder.WriteByteString(ClientNonce);
        encoder.WriteByteString(ClientCertificate);
        encoder.WriteDouble(RequestedSessionTimeout);
        encoder.WriteUInt32(MaxResponseMessageSize);
    }

    public static CreateSessionRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeable<ApplicationDescription>(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadByteString(),
        decoder.ReadByteString(),
        decoder.ReadDouble(),
        decoder.ReadUInt32());
}

public sealed record CreateSessionResponse(
    ResponseHeader ResponseHeader,
    NodeId SessionId,
    NodeId AuthenticationToken,
    double RevisedSessionTimeout,
    byte[]? ServerNonce,
    byte[]? ServerCertificate,
    EndpointDescription[]? ServerEndpoints,
    SignedSoftwareCertificate[]? ServerSoftwareCertificates,
    SignatureData ServerSignature,
    uint MaxRequestMessageSize = 0)
    : IServiceResponse, IEncodeable<CreateSessionResponse>
{
    public static NodeId EncodingId => new(464);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteNodeId(SessionId);
        encoder.WriteNodeId(AuthenticationToken);
        encoder.WriteDouble(RevisedSessionTimeout);
        encoder.WriteByteString(ServerNonce);
        encoder.WriteByteString(ServerCertificate);
        encoder.WriteEncodeableArray(ServerEndpoints);
        encoder.WriteEncodeableArray(ServerSoftwareCertificates);
        encoder.WriteEncodeable(ServerSignature);
        encoder.WriteUInt32(MaxRequestMessageSize);
    }

    public static CreateSessionResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadNodeId(),
        decoder.ReadNodeId(),
        decoder.ReadDouble(),
        decoder.ReadByteString(),
        decoder.ReadByteString(),
        decoder.ReadEncodeableArray<EndpointDescription>(),
        decoder.ReadEncodeableArray<SignedSoftwareCertificate>(),
        decoder.ReadEncodeable<SignatureData>(),
        decoder.ReadUInt32());
}

public sealed record ActivateSessionRequest(
    RequestHeader RequestHeader,
    SignatureData ClientSignature,
    SignedSoftwareCertificate[]? ClientSoftwareCertificates,
    string?[]? LocaleIds,
    ExtensionObject UserIdentityToken,
    SignatureData UserTokenSignature)
    : IServiceRequest, IEncodeable<ActivateSessionRequest>
{
    public static NodeId EncodingId => new(467);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeable(ClientSignature);
        encoder.WriteEncodeableArray(ClientSoftwareCertificates);
        encoder.WriteStringArray(LocaleIds);
        encoder.WriteExtensionObject(UserIdentityToken);
        encoder.WriteEncodeable(UserTokenSignature);
    }

    public static ActivateSessionRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeable<SignatureData>(),
        decoder.ReadEncodeableArray<SignedSoftwareCertificate>(),
        decoder.ReadStringArray(),
        decoder.ReadExtensionObject(),
        decoder.ReadEncodeable<SignatureData>());
}

public sealed record ActivateSessionResponse(
    ResponseHeader ResponseHeader,
    byte[]? ServerNonce = null,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<ActivateSessionResponse>
{
    public static NodeId EncodingId => new(470);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteByteString(ServerNonce);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static ActivateSessionResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadByteString(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record CloseSessionRequest(
    RequestHeader RequestHeader,
    bool DeleteSubscriptions = false)
    : IServiceRequest, IEncodeable<CloseSessionRequest>
{
    public static NodeId EncodingId => new(473);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteBoolean(DeleteSubscriptions);
    }

    public static CloseSessionRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadBoolean());
}

public sealed record CloseSessionResponse(
    ResponseHeader ResponseHeader)
    : IServiceResponse, IEncodeable<CloseSessionResponse>
{
    public static NodeId EncodingId => new(476);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
    }

    public static CloseSessionResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>());
}

public sealed record CancelRequest(
    RequestHeader RequestHeader,
    uint RequestHandle = 0)
    : IServiceRequest, IEncodeable<CancelRequest>
{
    public static NodeId EncodingId => new(479);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(RequestHandle);
    }

    public static CancelRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32());
}

public sealed record CancelResponse(
    ResponseHeader ResponseHeader,
    uint CancelCount = 0)
    : IServiceResponse, IEncodeable<CancelResponse>
{
    public static NodeId EncodingId => new(482);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteUInt32(CancelCount);
    }

    public static CancelResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadUInt32());
}

public sealed record AnonymousIdentityToken(
    string? PolicyId = null)
    : IUserIdentityToken, IEncodeable<AnonymousIdentityToken>
{
    public static NodeId EncodingId => new(321);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(PolicyId);
    }

    public static AnonymousIdentityToken Decode(BinaryDecoder decoder) => new(
        decoder.ReadString());
}

public sealed record UserNameIdentityToken(
    string? PolicyId = null,
    string? UserName = null,
    byte[]? Password = null,
    string? EncryptionAlgorithm = null)
    : IUserIdentityToken, IEncodeable<UserNameIdentityToken>
{
    public static NodeId EncodingId => new(324);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(PolicyId);
        encoder.WriteString(UserName);
        encoder.WriteByteString(Password);
        encoder.WriteString(EncryptionAlgorithm);
    }

    public static UserNameIdentityToken Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadString(),
        decoder.ReadByteString(),
        decoder.ReadString());
}

public sealed record X509IdentityToken(
    string? PolicyId = null,
    byte[]? CertificateData = null)
    : IUserIdentityToken, IEncodeable<X509IdentityToken>
{
    public static NodeId EncodingId => new(327);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(PolicyId);
        encoder.WriteByteString(CertificateData);
    }

    public static X509IdentityToken Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadByteString());
}

public sealed record IssuedIdentityToken(
    string? PolicyId = null,
    byte[]? TokenData = null,
    string? EncryptionAlgorithm = null)
    : IUserIdentityToken, IEncodeable<IssuedIdentityToken>
{
    public static NodeId EncodingId => new(940);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(PolicyId);
        encoder.WriteByteString(TokenData);
        encoder.WriteString(EncryptionAlgorithm);
    }

    public static IssuedIdentityToken Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadByteString(),
        decoder.ReadString());
}

public sealed record SignatureData(
    string? Algorithm = null,
    byte[]? Signature = null)
    : IEncodeable<SignatureData>
{
    public static NodeId EncodingId => new(458);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(Algorithm);
        encoder.WriteByteString(Signature);
    }

    public static SignatureData Decode(BinaryDecoder decoder) => new(
        decoder.ReadString(),
        decoder.ReadByteString());
}

public sealed record SignedSoftwareCertificate(
    byte[]? CertificateData = null,
    byte[]? Signature = null)
    : IEncodeable<SignedSoftwareCertificate>
{
    public static NodeId EncodingId => new(346);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteByteString(CertificateData);
        encoder.WriteByteString(Signature);
    }

    public static SignedSoftwareCertificate Decode(BinaryDecoder decoder) => new(
        decoder.ReadByteString(),
        decoder.ReadByteString());
}
