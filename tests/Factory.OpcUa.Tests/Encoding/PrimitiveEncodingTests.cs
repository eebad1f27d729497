using Factory.OpcUa.Encoding;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// Byte layouts of the fixed-size and string-like built-in types, against the examples of
/// OPC 10000-6: 5.2.2.1 Boolean, 5.2.2.2 integers, 5.2.2.3 floating point, 5.2.2.4 String,
/// 5.2.2.5 DateTime, 5.2.2.6 Guid, 5.2.2.7 ByteString, 5.2.2.8 XmlElement, 5.2.2.11 StatusCode,
/// 5.2.2.13 QualifiedName and 5.2.2.14 LocalizedText.
/// </summary>
public sealed class PrimitiveEncodingTests
{
    // 5.2.2.1: encoders write 1 for true; decoders take any non-zero byte as true.
    [Fact]
    public void Boolean_is_one_byte_with_true_written_as_one()
    {
        Encode(e => e.WriteBoolean(true)).Should().Equal(0x01);
        Encode(e => e.WriteBoolean(false)).Should().Equal(0x00);
    }

    [Theory]
    [InlineData((byte)0x01)]
    [InlineData((byte)0x02)]
    [InlineData((byte)0xFF)]
    public void Boolean_reads_any_non_zero_byte_as_true(byte wire) =>
        Decode([wire], d => d.ReadBoolean()).Should().BeTrue();

    // 5.2.2.2, Figure 2: 1 000 000 000 (0x3B9ACA00) is written least significant byte first.
    [Fact]
    public void Int32_is_little_endian_as_in_the_specification_example() =>
        Encode(e => e.WriteInt32(1_000_000_000)).Should().Equal(Hex("00 CA 9A 3B"));

    [Fact]
    public void Every_integer_width_is_little_endian_twos_complement()
    {
        Encode(e => e.WriteSByte(-2)).Should().Equal(Hex("FE"));
        Encode(e => e.WriteByte(0xAB)).Should().Equal(Hex("AB"));
        Encode(e => e.WriteInt16(-2)).Should().Equal(Hex("FE FF"));
        Encode(e => e.WriteUInt16(0x1234)).Should().Equal(Hex("34 12"));
        Encode(e => e.WriteInt32(-2)).Should().Equal(Hex("FE FF FF FF"));
        Encode(e => e.WriteUInt32(0x12345678)).Should().Equal(Hex("78 56 34 12"));
        Encode(e => e.WriteInt64(-2)).Should().Equal(Hex("FE FF FF FF FF FF FF FF"));
        Encode(e => e.WriteUInt64(0x0102030405060708)).Should().Equal(Hex("08 07 06 05 04 03 02 01"));

        Decode(Hex("FE"), d => d.ReadSByte()).Should().Be(-2);
        Decode(Hex("FE FF"), d => d.ReadInt16()).Should().Be(-2);
        Decode(Hex("34 12"), d => d.ReadUInt16()).Should().Be(0x1234);
        Decode(Hex("78 56 34 12"), d => d.ReadUInt32()).Should().Be(0x12345678u);
        Decode(Hex("FE FF FF FF FF FF FF FF"), d => d.ReadInt64()).Should().Be(-2);
        Decode(Hex("08 07 06 05 04 03 02 01"), d => d.ReadUInt64()).Should().Be(0x0102030405060708ul);
    }

    // 5.2.2.3, Figure 3: -6.5 as a Float is 0xC0D00000, least significant byte first.
    [Fact]
    public void Float_is_little_endian_ieee754_as_in_the_specification_example()
    {
        Encode(e => e.WriteFloat(-6.5f)).Should().Equal(Hex("00 00 D0 C0"));
        Decode(Hex("00 00 D0 C0"), d => d.ReadFloat()).Should().Be(-6.5f);
    }

    [Fact]
    public void Double_is_little_endian_ieee754()
    {
        Encode(e => e.WriteDouble(-6.5)).Should().Equal(Hex("00 00 00 00 00 00 1A C0"));
        Decode(Hex("00 00 00 00 00 00 1A C0"), d => d.ReadDouble()).Should().Be(-6.5);
    }

    // 5.2.2.3: infinities and NaN are valid values; the bits of a NaN survive so a value read
    // from a device is passed on unchanged.
    [Fact]
    public void Float_and_double_keep_infinities_negative_zero_and_nan_payloads_bit_for_bit()
    {
        foreach (var bits in new uint[] { 0x7F800000, 0xFF800000, 0x80000000, 0x7FC00001, 0xFFBFFFFF })
        {
            var wire = Encode(e => e.WriteFloat(BitConverter.UInt32BitsToSingle(bits)));
            BitConverter.SingleToUInt32Bits(Decode(wire, d => d.ReadFloat())).Should().Be(bits);
        }

        foreach (var bits in new ulong[] { 0x7FF0000000000000, 0x8000000000000000, 0x7FF8000000000001, 0xFFF4000000000000 })
        {
            var wire = Encode(e => e.WriteDouble(BitConverter.UInt64BitsToDouble(bits)));
            BitConverter.DoubleToUInt64Bits(Decode(wire, d => d.ReadDouble())).Should().Be(bits);
        }
    }

    // 5.2.2.4, Figure 4: "水Boy" is 6 UTF-8 bytes after an Int32 length of 6.
    [Fact]
    public void String_is_its_utf8_byte_length_then_the_bytes_as_in_the_specification_example()
    {
        var wire = Hex("06 00 00 00 E6 B0 B4 42 6F 79");
        Encode(e => e.WriteString("水Boy")).Should().Equal(wire);
        Decode(wire, d => d.ReadString()).Should().Be("水Boy");
    }

    [Fact]
    public void String_length_counts_bytes_not_characters_for_characters_outside_the_bmp()
    {
        // U+1F600 is one code point, two UTF-16 chars and four UTF-8 bytes.
        var wire = Hex("04 00 00 00 F0 9F 98 80");
        Encode(e => e.WriteString("\U0001F600")).Should().Equal(wire);
        Decode(wire, d => d.ReadString()).Should().Be("\U0001F600");
    }

    // 5.2.2.4: length -1 is a null String, distinct from the empty String.
    [Fact]
    public void Null_string_is_length_minus_one_and_empty_string_is_length_zero()
    {
        Encode(e => e.WriteString(null)).Should().Equal(Hex("FF FF FF FF"));
        Encode(e => e.WriteString("")).Should().Equal(Hex("00 00 00 00"));
        Decode(Hex("FF FF FF FF"), d => d.ReadString()).Should().BeNull();
        Decode(Hex("00 00 00 00"), d => d.ReadString()).Should().BeEmpty();
    }

    [Fact]
    public void Any_negative_string_length_reads_as_null()
    {
        Decode(Hex("FE FF FF FF"), d => d.ReadString()).Should().BeNull();
        Decode(Hex("00 00 00 80"), d => d.ReadString()).Should().BeNull();
    }

    // 5.2.2.4: strings are UTF-8 without a terminator, so an embedded U+0000 is data.
    [Fact]
    public void String_keeps_an_embedded_nul_character()
    {
        var wire = Hex("03 00 00 00 61 00 62");
        Decode(wire, d => d.ReadString()).Should().Be("a\0b");
        Encode(e => e.WriteString("a\0b")).Should().Equal(wire);
    }

    [Fact]
    public void String_with_a_lone_surrogate_is_written_as_the_replacement_character()
    {
        // UTF-8 cannot carry an unpaired surrogate; the encoder substitutes U+FFFD (EF BF BD)
        // rather than emit bytes that a strict peer would reject.
        Encode(e => e.WriteString("a\uD800")).Should().Equal(Hex("04 00 00 00 61 EF BF BD"));
    }

    // 5.2.2.5: 100 ns ticks since 1601-01-01T00:00:00Z as an Int64.
    [Fact]
    public void DateTime_is_ticks_since_1601_little_endian()
    {
        var y2k = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var wire = Hex("00 40 6D 25 EB 53 BF 01"); // 125 911 584 000 000 000
        Encode(e => e.WriteDateTime(y2k)).Should().Equal(wire);
        Decode(wire, d => d.ReadDateTime()).Should().Be(y2k);
        Decode(wire, d => d.ReadDateTime()).Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public void DateTime_one_tick_after_the_epoch_is_one()
    {
        var epoch = new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Encode(e => e.WriteDateTime(epoch.AddTicks(1))).Should().Equal(Hex("01 00 00 00 00 00 00 00"));
        Decode(Hex("01 00 00 00 00 00 00 00"), d => d.ReadDateTime()).Should().Be(epoch.AddTicks(1));
    }

    // 5.2.2.5: a time at or before 1601-01-01 (including DateTime.MinValue) is written as 0.
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1000, 6, 15)]
    [InlineData(1600, 12, 31)]
    [InlineData(1601, 1, 1)]
    public void DateTime_at_or_before_1601_is_written_as_zero(int year, int month, int day) =>
        Encode(e => e.WriteDateTime(new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc))).Should().Equal(new byte[8]);

    // 5.2.2.5: a time at or after 9999-12-31T23:59:59Z (including DateTime.MaxValue) is Int64.MaxValue.
    [Fact]
    public void DateTime_at_or_after_the_last_second_of_9999_is_written_as_int64_max()
    {
        var max = Hex("FF FF FF FF FF FF FF 7F");
        Encode(e => e.WriteDateTime(DateTime.MaxValue)).Should().Equal(max);
        Encode(e => e.WriteDateTime(new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc))).Should().Equal(max);
        Encode(e => e.WriteDateTime(new DateTime(9999, 12, 31, 23, 59, 58, DateTimeKind.Utc)))
            .Should().NotEqual(max, "the second before is still an ordinary time");
    }

    // 5.2.2.5: decoders map 0 (and anything earlier) to the earliest time and Int64.MaxValue (and
    // anything past the platform's range) to the latest time.
    [Fact]
    public void DateTime_zero_or_negative_reads_as_min_value_and_int64_max_reads_as_max_value()
    {
        Decode(new byte[8], d => d.ReadDateTime()).Should().Be(DateTime.MinValue);
        Decode(Hex("FF FF FF FF FF FF FF FF"), d => d.ReadDateTime()).Should().Be(DateTime.MinValue);
        Decode(Hex("FF FF FF FF FF FF FF 7F"), d => d.ReadDateTime()).Should().Be(DateTime.MaxValue);

        var pastMax = DateTime.MaxValue.Ticks - new DateTime(1601, 1, 1).Ticks + 1;
        Decode(Encode(e => e.WriteInt64(pastMax)), d => d.ReadDateTime()).Should().Be(DateTime.MaxValue);
    }

    [Fact]
    public void DateTime_in_local_time_is_written_as_the_same_instant_in_utc()
    {
        var utc = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        Encode(e => e.WriteDateTime(utc.ToLocalTime())).Should().Equal(Encode(e => e.WriteDateTime(utc)));
    }

    // 5.2.2.6, Figure 5: Data1 (UInt32), Data2 and Data3 (UInt16) little endian, then Data4 as is.
    [Fact]
    public void Guid_is_written_data1_data2_data3_little_endian_then_data4_as_in_the_specification_example()
    {
        var guid = Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63");
        var wire = Hex("91 2B 96 72  75 FA  E6 4A  8D 28 B4 04 DC 7D AF 63");
        Encode(e => e.WriteGuid(guid)).Should().Equal(wire);
        Decode(wire, d => d.ReadGuid()).Should().Be(guid);
    }

    // 5.2.2.7: a ByteString is encoded like a String: Int32 length (-1 for null) then the bytes.
    [Fact]
    public void ByteString_is_its_length_then_the_bytes_with_null_and_empty_distinct()
    {
        Encode(e => e.WriteByteString(new byte[] { 1, 2, 3 })).Should().Equal(Hex("03 00 00 00 01 02 03"));
        Encode(e => e.WriteByteString((byte[]?)null)).Should().Equal(Hex("FF FF FF FF"));
        Encode(e => e.WriteByteString(Array.Empty<byte>())).Should().Equal(Hex("00 00 00 00"));

        Decode(Hex("03 00 00 00 01 02 03"), d => d.ReadByteString()).Should().Equal(1, 2, 3);
        Decode(Hex("FF FF FF FF"), d => d.ReadByteString()).Should().BeNull();
        Decode(Hex("00 00 00 00"), d => d.ReadByteString()).Should().BeEmpty();
    }

    // 5.2.2.8: an XmlElement is its XML text encoded as a String.
    [Fact]
    public void XmlElement_is_its_text_as_a_utf8_string()
    {
        var wire = Hex("0A 00 00 00 3C 61 3E 31 C2 B0 3C 2F 61 3E"); // "<a>1°</a>"
        Encode(e => e.WriteXmlElement(new XmlElement("<a>1°</a>"))).Should().Equal(wire);
        Decode(wire, d => d.ReadXmlElement()).Should().Be(new XmlElement("<a>1°</a>"));
        Decode(Hex("FF FF FF FF"), d => d.ReadXmlElement()).IsNull.Should().BeTrue();
    }

    // 5.2.2.11: a StatusCode is its UInt32 value.
    [Fact]
    public void StatusCode_is_its_uint32_code()
    {
        Encode(e => e.WriteStatusCode(StatusCodes.BadDecodingError)).Should().Equal(Hex("00 00 07 80"));
        Decode(Hex("00 00 07 80"), d => d.ReadStatusCode()).Should().Be(new StatusCode(StatusCodes.BadDecodingError));
    }

    // 5.2.2.13: NamespaceIndex (UInt16) then Name (String).
    [Fact]
    public void QualifiedName_is_namespace_index_then_name()
    {
        var wire = Hex("02 00  04 00 00 00 50 75 6D 70");
        Encode(e => e.WriteQualifiedName(new QualifiedName("Pump", 2))).Should().Equal(wire);
        Decode(wire, d => d.ReadQualifiedName()).Should().Be(new QualifiedName("Pump", 2));
        Decode(Hex("00 00 FF FF FF FF"), d => d.ReadQualifiedName()).Should().Be(new QualifiedName(null));
    }

    // 5.2.2.14: mask 0x01 Locale present, 0x02 Text present; then Locale, then Text.
    [Fact]
    public void LocalizedText_is_a_mask_then_locale_then_text()
    {
        var both = Hex("03  05 00 00 00 65 6E 2D 55 53  02 00 00 00 48 69");
        Encode(e => e.WriteLocalizedText(new LocalizedText("Hi", "en-US"))).Should().Equal(both);
        Decode(both, d => d.ReadLocalizedText()).Should().Be(new LocalizedText("Hi", "en-US"));

        var textOnly = Hex("02  02 00 00 00 48 69");
        Encode(e => e.WriteLocalizedText(new LocalizedText("Hi"))).Should().Equal(textOnly);
        Decode(textOnly, d => d.ReadLocalizedText()).Should().Be(new LocalizedText("Hi"));

        var localeOnly = Hex("01  02 00 00 00 64 65");
        Encode(e => e.WriteLocalizedText(new LocalizedText(null, "de"))).Should().Equal(localeOnly);
        Decode(localeOnly, d => d.ReadLocalizedText()).Should().Be(new LocalizedText(null, "de"));
    }

    [Fact]
    public void LocalizedText_that_is_null_or_has_no_parts_is_the_single_byte_zero_and_reads_as_the_null_text()
    {
        Encode(e => e.WriteLocalizedText(null)).Should().Equal(0x00);
        Encode(e => e.WriteLocalizedText(LocalizedText.Null)).Should().Equal(0x00);
        Decode([0x00], d => d.ReadLocalizedText()).Should().BeSameAs(LocalizedText.Null);
    }

    [Fact]
    public void LocalizedText_keeps_an_empty_text_apart_from_a_missing_one()
    {
        var wire = Encode(e => e.WriteLocalizedText(new LocalizedText("")));
        wire.Should().Equal(Hex("02 00 00 00 00"));
        Decode(wire, d => d.ReadLocalizedText()).Should().Be(new LocalizedText(""));
    }
}
