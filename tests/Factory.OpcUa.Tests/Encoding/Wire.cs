using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>Small helpers to write a value to bytes and read it back, as the tests of OPC 10000-6, 5.2 need.</summary>
internal static class Wire
{
    /// <summary>Bytes from hex text; spaces are ignored so vectors can be grouped by field.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static byte[] Encode(Action<BinaryEncoder> write)
    {
        using var encoder = new BinaryEncoder(64);
        write(encoder);
        return encoder.ToArray();
    }

    /// <summary>Reads one value and checks that it used every byte: a decoder that stops short has misread a field.</summary>
    public static T Decode<T>(byte[] bytes, Func<BinaryDecoder, T> read, EncodeableTypes? types = null, EncodingLimits? limits = null)
    {
        var decoder = new BinaryDecoder(bytes, types, limits);
        var value = read(decoder);
        decoder.Remaining.Should().Be(0, "the value should use exactly the bytes it was encoded in");
        return value;
    }

    /// <summary>The failure of reading <paramref name="bytes"/>; the test fails if reading succeeds or throws anything else.</summary>
    public static DecodingException DecodeFailure<T>(byte[] bytes, Func<BinaryDecoder, T> read, EncodeableTypes? types = null, EncodingLimits? limits = null)
    {
        var decoder = new BinaryDecoder(bytes, types, limits);
        try
        {
            var value = read(decoder);
            throw new Xunit.Sdk.XunitException($"Decoding {ToHex(bytes)} should fail but gave {value}.");
        }
        catch (DecodingException e)
        {
            return e;
        }
    }
}
