using Factory.OpcUa.Encoding;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// The six NodeId encodings of OPC 10000-6, 5.2.2.9 (Tables 16 to 20 and the examples of the
/// two-byte, four-byte and string forms) and the ExpandedNodeId flags of 5.2.2.10.
/// </summary>
public sealed class NodeIdEncodingTests
{
    // 5.2.2.9, two-byte example: i=72 is 0x00 then the identifier byte.
    [Fact]
    public void Two_byte_nodeid_as_in_the_specification_example()
    {
        Encode(e => e.WriteNodeId(new NodeId(72))).Should().Equal(Hex("00 48"));
        Decode(Hex("00 48"), d => d.ReadNodeId()).Should().Be(new NodeId(72));
    }

    // 5.2.2.9, four-byte example: ns=5;i=1025 is 0x01, the namespace byte, the UInt16 identifier.
    [Fact]
    public void Four_byte_nodeid_as_in_the_specification_example()
    {
        Encode(e => e.WriteNodeId(new NodeId(1025, 5))).Should().Equal(Hex("01 05 01 04"));
        Decode(Hex("01 05 01 04"), d => d.ReadNodeId()).Should().Be(new NodeId(1025, 5));
    }

    [Fact]
    public void Numeric_nodeid_that_fits_neither_short_form_is_namespace_uint16_and_identifier_uint32()
    {
        Encode(e => e.WriteNodeId(new NodeId(70000, 1))).Should().Equal(Hex("02 01 00 70 11 01 00"));
        Encode(e => e.WriteNodeId(new NodeId(1, 256))).Should().Equal(Hex("02 00 01 01 00 00 00"));
        Decode(Hex("02 00 01 01 00 00 00"), d => d.ReadNodeId()).Should().Be(new NodeId(1, 256));
    }

    [Theory]
    [InlineData(0u, (ushort)0, "00 00")]
    [InlineData(255u, (ushort)0, "00 FF")]
    [InlineData(256u, (ushort)0, "01 00 00 01")]
    [InlineData(1u, (ushort)1, "01 01 01 00")]
    [InlineData(65535u, (ushort)255, "01 FF FF FF")]
    [InlineData(65536u, (ushort)0, "02 00 00 00 00 01 00")]
    [InlineData(1u, (ushort)256, "02 00 01 01 00 00 00")]
    [InlineData(uint.MaxValue, ushort.MaxValue, "02 FF FF FF FF FF FF")]
    public void Numeric_nodeid_uses_the_most_compact_form_that_fits(uint id, ushort ns, string hex)
    {
        Encode(e => e.WriteNodeId(new NodeId(id, ns))).Should().Equal(Hex(hex));
        Decode(Hex(hex), d => d.ReadNodeId()).Should().Be(new NodeId(id, ns));
    }

    [Fact]
    public void Numeric_nodeid_sent_in_a_longer_form_than_needed_reads_as_the_same_id()
    {
        Decode(Hex("01 00 48 00"), d => d.ReadNodeId()).Should().Be(new NodeId(72));
        Decode(Hex("02 00 00 48 00 00 00"), d => d.ReadNodeId()).Should().Be(new NodeId(72));
    }

    // 5.2.2.9, string example: ns=1;s=Hot水 is 0x03, UInt16 namespace, then the String.
    [Fact]
    public void String_nodeid_as_in_the_specification_example()
    {
        var wire = Hex("03 01 00  06 00 00 00 48 6F 74 E6 B0 B4");
        Encode(e => e.WriteNodeId(new NodeId("Hot水", 1))).Should().Equal(wire);
        Decode(wire, d => d.ReadNodeId()).Should().Be(new NodeId("Hot水", 1));
    }

    [Fact]
    public void String_nodeid_with_a_null_identifier_reads_as_the_empty_identifier()
    {
        // A NodeId never holds a null string, so a peer's length of -1 becomes "".
        var id = Decode(Hex("03 02 00 FF FF FF FF"), d => d.ReadNodeId());
        id.IdType.Should().Be(IdType.String);
        id.StringIdentifier.Should().BeEmpty();
        id.NamespaceIndex.Should().Be(2);
    }

    [Fact]
    public void Guid_nodeid_is_namespace_then_the_guid_in_its_wire_layout()
    {
        var guid = Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63");
        var wire = Hex("04 05 00  91 2B 96 72 75 FA E6 4A 8D 28 B4 04 DC 7D AF 63");
        Encode(e => e.WriteNodeId(new NodeId(guid, 5))).Should().Equal(wire);
        Decode(wire, d => d.ReadNodeId()).Should().Be(new NodeId(guid, 5));
    }

    [Fact]
    public void Opaque_nodeid_is_namespace_then_a_bytestring()
    {
        var wire = Hex("05 07 00  03 00 00 00 DE AD 01");
        Encode(e => e.WriteNodeId(new NodeId(new byte[] { 0xDE, 0xAD, 0x01 }, 7))).Should().Equal(wire);
        Decode(wire, d => d.ReadNodeId()).Should().Be(new NodeId(new byte[] { 0xDE, 0xAD, 0x01 }, 7));
    }

    [Fact]
    public void Opaque_nodeid_with_a_null_bytestring_reads_as_an_empty_identifier()
    {
        var id = Decode(Hex("05 01 00 FF FF FF FF"), d => d.ReadNodeId());
        id.IdType.Should().Be(IdType.Opaque);
        id.OpaqueIdentifier.Should().BeEmpty();
    }

    // 5.2.2.10: 0x80 NamespaceUri follows, 0x40 ServerIndex follows; both after the NodeId body.
    [Fact]
    public void Expanded_nodeid_without_uri_or_server_is_a_plain_nodeid()
    {
        Encode(e => e.WriteExpandedNodeId(new ExpandedNodeId(new NodeId(72)))).Should().Equal(Hex("00 48"));
        Decode(Hex("01 05 01 04"), d => d.ReadExpandedNodeId()).Should().Be(new ExpandedNodeId(new NodeId(1025, 5)));
    }

    [Fact]
    public void Expanded_nodeid_with_a_namespace_uri_sets_0x80_and_writes_the_uri_after_the_id()
    {
        var value = new ExpandedNodeId(new NodeId(72), "urn:a");
        var wire = Hex("80 48  05 00 00 00 75 72 6E 3A 61");
        Encode(e => e.WriteExpandedNodeId(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadExpandedNodeId()).Should().Be(value);
    }

    [Fact]
    public void Expanded_nodeid_with_a_server_index_sets_0x40_and_writes_the_index_after_the_id()
    {
        var value = new ExpandedNodeId(new NodeId(1025, 5), null, 3);
        var wire = Hex("41 05 01 04  03 00 00 00");
        Encode(e => e.WriteExpandedNodeId(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadExpandedNodeId()).Should().Be(value);
    }

    [Fact]
    public void Expanded_nodeid_with_both_writes_the_uri_before_the_server_index()
    {
        var value = new ExpandedNodeId(new NodeId("Hot水", 0), "urn:a", 2);
        var wire = Hex("C3 00 00  06 00 00 00 48 6F 74 E6 B0 B4  05 00 00 00 75 72 6E 3A 61  02 00 00 00");
        Encode(e => e.WriteExpandedNodeId(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadExpandedNodeId()).Should().Be(value);
    }

    [Fact]
    public void Expanded_nodeid_keeps_an_empty_namespace_uri_apart_from_a_missing_one()
    {
        var value = new ExpandedNodeId(new NodeId(1), "");
        var wire = Encode(e => e.WriteExpandedNodeId(value));
        wire.Should().Equal(Hex("80 01 00 00 00 00"));
        Decode(wire, d => d.ReadExpandedNodeId()).NamespaceUri.Should().BeEmpty();
    }

    [Fact]
    public void Plain_nodeid_reader_rejects_the_expanded_flags()
    {
        // A NodeId field never carries a URI or server index; the flags mean the stream is misaligned.
        var failure = DecodeFailure(Hex("80 48 00 00 00 00"), d => d.ReadNodeId());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain("0x80");
    }
}
