namespace Factory.OpcUa.Transport;

/// <summary>
/// The three-letter message types of the UA TCP header (OPC 10000-6, 7.1.2.2 and 6.7.2.2), read
/// as a little-endian 24-bit number, and the chunk type byte that follows them.
/// </summary>
internal static class TcpMessageType
{
    public const uint Hello = 'H' | ('E' << 8) | ('L' << 16);
    public const uint Acknowledge = 'A' | ('C' << 8) | ('K' << 16);
    public const uint Error = 'E' | ('R' << 8) | ('R' << 16);
    public const uint ReverseHello = 'R' | ('H' << 8) | ('E' << 16);
    public const uint OpenSecureChannel = 'O' | ('P' << 8) | ('N' << 16);
    public const uint Message = 'M' | ('S' << 8) | ('G' << 16);
    public const uint CloseSecureChannel = 'C' | ('L' << 8) | ('O' << 16);

    public const byte ChunkFinal = (byte)'F';
    public const byte ChunkIntermediate = (byte)'C';
    public const byte ChunkAbort = (byte)'A';

    /// <summary>Message type (3 bytes), chunk type (1 byte), message size (UInt32).</summary>
    public const int HeaderSize = 8;

    public static string Name(uint type) =>
        type is Hello or Acknowledge or Error or ReverseHello or OpenSecureChannel or Message or CloseSecureChannel
            ? new string([(char)(type & 0xFF), (char)((type >> 8) & 0xFF), (char)((type >> 16) & 0xFF)])
            : $"0x{type:X6}";
}
