using Factory.OpcUa.Encoding;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// DiagnosticInfo (OPC 10000-6, 5.2.2.12, Table 21): a mask of present fields (0x01 SymbolicId,
/// 0x02 NamespaceUri, 0x04 LocalizedText, 0x08 Locale, 0x10 AdditionalInfo, 0x20 InnerStatusCode,
/// 0x40 InnerDiagnosticInfo), then the fields in the order SymbolicId, NamespaceUri, Locale,
/// LocalizedText, AdditionalInfo, InnerStatusCode, InnerDiagnosticInfo. Note that Locale comes
/// before LocalizedText on the wire although its mask bit is the higher one.
/// </summary>
public sealed class DiagnosticInfoEncodingTests
{
    [Fact]
    public void Every_field_is_written_in_table_order_after_the_mask()
    {
        var value = new DiagnosticInfo(
            SymbolicId: 1,
            NamespaceUri: 2,
            Locale: 4,
            LocalizedText: 3,
            AdditionalInfo: "x",
            InnerStatusCode: new StatusCode(StatusCodes.BadDecodingError),
            InnerDiagnosticInfo: new DiagnosticInfo(SymbolicId: 5));
        var wire = Hex(
            "7F" +
            "01 00 00 00" + // SymbolicId
            "02 00 00 00" + // NamespaceUri
            "04 00 00 00" + // Locale
            "03 00 00 00" + // LocalizedText
            "01 00 00 00 78" + // AdditionalInfo
            "00 00 07 80" + // InnerStatusCode
            "01 05 00 00 00"); // InnerDiagnosticInfo with only its SymbolicId

        Encode(e => e.WriteDiagnosticInfo(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadDiagnosticInfo()).Should().Be(value);
    }

    [Theory]
    [InlineData(0x01, "01 07 00 00 00")]
    [InlineData(0x02, "02 07 00 00 00")]
    [InlineData(0x04, "04 07 00 00 00")]
    [InlineData(0x08, "08 07 00 00 00")]
    public void Each_string_table_index_has_its_own_mask_bit(int bit, string hex)
    {
        var value = new DiagnosticInfo(
            SymbolicId: bit == 0x01 ? 7 : -1,
            NamespaceUri: bit == 0x02 ? 7 : -1,
            LocalizedText: bit == 0x04 ? 7 : -1,
            Locale: bit == 0x08 ? 7 : -1);
        Encode(e => e.WriteDiagnosticInfo(value)).Should().Equal(Hex(hex));
        Decode(Hex(hex), d => d.ReadDiagnosticInfo()).Should().Be(value);
    }

    [Fact]
    public void Locale_is_read_before_localized_text_whatever_the_mask_bit_order()
    {
        var value = Decode(Hex("0C  0A 00 00 00  0B 00 00 00"), d => d.ReadDiagnosticInfo());
        value.Should().Be(new DiagnosticInfo(Locale: 10, LocalizedText: 11));
    }

    [Fact]
    public void Null_diagnostic_info_is_the_single_byte_zero()
    {
        Encode(e => e.WriteDiagnosticInfo(null)).Should().Equal(0x00);
        Decode([0x00], d => d.ReadDiagnosticInfo()).Should().BeNull();
    }

    [Fact]
    public void Diagnostic_info_with_no_fields_is_sent_as_absent()
    {
        // Every field is optional, so "present but empty" and "absent" are the same bytes; at the
        // top level the decoder returns null for them.
        Encode(e => e.WriteDiagnosticInfo(new DiagnosticInfo())).Should().Equal(0x00);
    }

    [Fact]
    public void Empty_inner_diagnostic_info_keeps_its_presence_bit()
    {
        var value = new DiagnosticInfo(InnerDiagnosticInfo: new DiagnosticInfo());
        var wire = Hex("40 00");
        Encode(e => e.WriteDiagnosticInfo(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadDiagnosticInfo()).Should().Be(value);
    }

    [Fact]
    public void Negative_string_table_indexes_mean_absent_and_are_not_written()
    {
        Encode(e => e.WriteDiagnosticInfo(new DiagnosticInfo(SymbolicId: -5, AdditionalInfo: "a")))
            .Should().Equal(Hex("10 01 00 00 00 61"));
    }

    [Fact]
    public void Inner_diagnostics_nest_to_the_depth_the_specification_asks_decoders_to_support()
    {
        // 5.2.2.12: decoders shall support at least 4 levels; build 6.
        DiagnosticInfo? chain = null;
        for (var level = 6; level >= 1; level--)
        {
            chain = new DiagnosticInfo(SymbolicId: level, InnerStatusCode: new StatusCode((uint)level), InnerDiagnosticInfo: chain);
        }

        var wire = Encode(e => e.WriteDiagnosticInfo(chain));
        wire.Length.Should().Be(6 * 9, "each level is a mask, a SymbolicId and a status");
        wire[^9].Should().Be(0x21, "the innermost level has no inner bit");
        wire.Take(10).Should().Equal(Hex("61 01 00 00 00 01 00 00 00 61"));

        var decoded = Decode(wire, d => d.ReadDiagnosticInfo());
        decoded.Should().Be(chain);
        var depth = 0;
        for (var level = decoded; level is not null; level = level.InnerDiagnosticInfo)
        {
            depth++;
            level.SymbolicId.Should().Be(depth);
        }

        depth.Should().Be(6);
    }

    [Fact]
    public void Additional_info_can_be_an_empty_string()
    {
        var wire = Hex("10 00 00 00 00");
        Encode(e => e.WriteDiagnosticInfo(new DiagnosticInfo(AdditionalInfo: ""))).Should().Equal(wire);
        Decode(wire, d => d.ReadDiagnosticInfo()).Should().Be(new DiagnosticInfo(AdditionalInfo: ""));
    }
}
