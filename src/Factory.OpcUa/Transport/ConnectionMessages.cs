using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Transport;

/// <summary>The Hello message a client sends first (OPC 10000-6, 7.1.2.3).</summary>
internal sealed record HelloMessage(
    uint ProtocolVersion,
    uint ReceiveBufferSize,
    uint SendBufferSize,
    uint MaxMessageSize,
    uint MaxChunkCount,
    string? EndpointUrl)
{
    /// <summary>The specification caps the EndpointUrl of a Hello at 4096 bytes.</summary>
    public const int MaxEndpointUrlLength = 4096;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(ProtocolVersion);
        encoder.WriteUInt32(ReceiveBufferSize);
        encoder.WriteUInt32(SendBufferSize);
        encoder.WriteUInt32(MaxMessageSize);
        encoder.WriteUInt32(MaxChunkCount);
        encoder.WriteString(EndpointUrl);
    }

    public static HelloMessage Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadString());
}

/// <summary>The server's answer to Hello (OPC 10000-6, 7.1.2.4).</summary>
internal sealed record AcknowledgeMessage(
    uint ProtocolVersion,
    uint ReceiveBufferSize,
    uint SendBufferSize,
    uint MaxMessageSize,
    uint MaxChunkCount)
{
    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(ProtocolVersion);
        encoder.WriteUInt32(ReceiveBufferSize);
        encoder.WriteUInt32(SendBufferSize);
        encoder.WriteUInt32(MaxMessageSize);
        encoder.WriteUInt32(MaxChunkCount);
    }

    public static AcknowledgeMessage Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32());
}

/// <summary>
/// The error that ends a connection (OPC 10000-6, 7.1.2.5), and the body of an abort chunk
/// (6.7.3), which has the same layout.
/// </summary>
internal sealed record ErrorMessage(StatusCode Error, string? Reason)
{
    /// <summary>Reasons longer than this are not sent, as the specification requires.</summary>
    public const int MaxReasonLength = 4096;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(Error);
        var reason = Reason;
        if (reason is not null && System.Text.Encoding.UTF8.GetByteCount(reason) > MaxReasonLength)
        {
            reason = reason[..(MaxReasonLength / 4)];
        }

        encoder.WriteString(reason);
    }

    public static ErrorMessage Decode(BinaryDecoder decoder)
    {
        var error = decoder.ReadStatusCode();
        var reason = decoder.ReadString();
        return new ErrorMessage(error, reason is { Length: > MaxReasonLength } ? null : reason);
    }
}
