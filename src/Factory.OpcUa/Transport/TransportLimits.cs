namespace Factory.OpcUa.Transport;

/// <summary>
/// What one side of a UA TCP connection accepts (OPC 10000-6, 7.1.2.3): the largest chunk it
/// receives and sends, the largest message, and the most chunks per message. Zero for the last
/// two means no limit on the wire; this stack always sets one for itself.
/// </summary>
public sealed record TransportLimits
{
    /// <summary>Smallest buffer size the specification allows to be negotiated.</summary>
    public const uint MinBufferSize = 8192;

    public static readonly TransportLimits Default = new();

    public uint ReceiveBufferSize { get; init; } = 65535;
    public uint SendBufferSize { get; init; } = 65535;
    public uint MaxMessageSize { get; init; } = 16 * 1024 * 1024;
    public uint MaxChunkCount { get; init; } = 4096;
}

/// <summary>The sizes both sides agreed on in Hello/Acknowledge.</summary>
/// <param name="ReceiveBufferSize">Largest chunk this side accepts.</param>
/// <param name="SendBufferSize">Largest chunk this side may send.</param>
/// <param name="MaxReceiveMessageSize">Largest message this side accepts (0 = none).</param>
/// <param name="MaxReceiveChunkCount">Most chunks per message this side accepts (0 = none).</param>
/// <param name="MaxSendMessageSize">Largest message the peer accepts (0 = none).</param>
/// <param name="MaxSendChunkCount">Most chunks per message the peer accepts (0 = none).</param>
internal sealed record NegotiatedLimits(
    uint ReceiveBufferSize,
    uint SendBufferSize,
    uint MaxReceiveMessageSize,
    uint MaxReceiveChunkCount,
    uint MaxSendMessageSize,
    uint MaxSendChunkCount);
