namespace Factory.OpcUa.Encoding;

/// <summary>
/// Bounds a decoder enforces before it allocates, so that a hostile length prefix costs
/// nothing: a length beyond these limits, or beyond the bytes actually left in the message,
/// fails decoding at once (OPC 10000-6, 5.2.2.4 and 5.2.5).
/// </summary>
public sealed record EncodingLimits
{
    public static readonly EncodingLimits Default = new();

    /// <summary>Longest String in bytes.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Longest ByteString in bytes.</summary>
    public int MaxByteStringLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most elements in one array.</summary>
    public int MaxArrayLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// Deepest nesting of Variants, DataValues, ExtensionObjects and DiagnosticInfos. The
    /// specification asks decoders to support at least 4 levels of DiagnosticInfo (5.2.2.12).
    /// </summary>
    public int MaxNestingDepth { get; init; } = 32;
}
