using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using static Factory.OpcUa.Tests.Encoding.Wire;
using UaRange = Factory.OpcUa.Types.Range;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// ExtensionObject (OPC 10000-6, 5.2.2.15, Table 23): TypeId (the NodeId of the encoding), an
/// encoding byte (0x00 no body, 0x01 ByteString body, 0x02 XmlElement body), then for a binary
/// body an Int32 length and the structure encoded as in 5.2.6.
/// </summary>
public sealed class ExtensionObjectEncodingTests
{
    // Range (OPC 10000-8, 5.6.2) has the DefaultBinary encoding i=886: four-byte NodeId 01 00 76 03.
    private static readonly byte[] RangeWire = Hex("01 00 76 03  01  10 00 00 00  00 00 00 00 00 00 F0 3F  00 00 00 00 00 00 00 40");

    [Fact]
    public void Known_structure_is_written_with_its_encoding_id_and_body_length()
    {
        Encode(e => e.WriteExtensionObject(new ExtensionObject(new UaRange(1, 2)))).Should().Equal(RangeWire);
    }

    [Fact]
    public void Known_structure_is_decoded_into_its_type_when_the_decoder_knows_it()
    {
        var value = Decode(RangeWire, d => d.ReadExtensionObject(), StandardTypes.All);
        value.Encoding.Should().Be(ExtensionObjectEncoding.Binary);
        value.TypeId.Should().Be(new NodeId(886));
        value.TryGetBody<UaRange>(out var range).Should().BeTrue();
        range.Should().Be(new UaRange(1, 2));
    }

    [Fact]
    public void Unknown_structure_keeps_its_body_as_bytes_and_is_written_back_unchanged()
    {
        var wire = Hex("03 02 00  04 00 00 00 54 79 70 65  01  05 00 00 00 01 02 03 04 05"); // ns=2;s=Type
        var value = Decode(wire, d => d.ReadExtensionObject(), StandardTypes.All);

        value.TypeId.Should().Be(new NodeId("Type", 2));
        value.Encoding.Should().Be(ExtensionObjectEncoding.Binary);
        value.Body.Should().BeOfType<byte[]>().Which.Should().Equal(1, 2, 3, 4, 5);
        Encode(e => e.WriteExtensionObject(value)).Should().Equal(wire);
    }

    [Fact]
    public void Known_structure_stays_as_bytes_for_a_decoder_without_a_type_table()
    {
        var value = Decode(RangeWire, d => d.ReadExtensionObject());
        value.Body.Should().BeOfType<byte[]>().Which.Should().HaveCount(16);
        Encode(e => e.WriteExtensionObject(value)).Should().Equal(RangeWire);
    }

    [Fact]
    public void Xml_body_is_encoding_two_then_the_xml_as_a_string()
    {
        var value = new ExtensionObject(new NodeId(887), new XmlElement("<R/>"));
        var wire = Hex("01 00 77 03  02  04 00 00 00 3C 52 2F 3E");
        Encode(e => e.WriteExtensionObject(value)).Should().Equal(wire);

        var decoded = Decode(wire, d => d.ReadExtensionObject(), StandardTypes.All);
        decoded.Should().Be(value);
        decoded.Encoding.Should().Be(ExtensionObjectEncoding.Xml);
    }

    [Fact]
    public void Extension_object_without_a_body_is_its_type_id_and_encoding_zero()
    {
        var value = new ExtensionObject(new NodeId(886));
        var wire = Hex("01 00 76 03  00");
        Encode(e => e.WriteExtensionObject(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadExtensionObject(), StandardTypes.All).Should().Be(value);
    }

    [Fact]
    public void Null_extension_object_is_the_null_nodeid_and_no_body()
    {
        Encode(e => e.WriteExtensionObject(ExtensionObject.Null)).Should().Equal(Hex("00 00 00"));
        Decode(Hex("00 00 00"), d => d.ReadExtensionObject()).IsNull.Should().BeTrue();
    }

    [Fact]
    public void Null_type_id_in_string_form_without_a_body_reads_and_writes_back_as_sent()
    {
        // Found by the fuzzer: "no body" read through encoding 0 used to become ExtensionObject.Null
        // (type id i=0) while encoding 1 with length -1 kept s="", so a second trip changed the bytes.
        var wire = Hex("03 00 00 00 00 00 00  00");
        var value = Decode(wire, d => d.ReadExtensionObject(), StandardTypes.All);
        value.IsNull.Should().BeTrue();
        value.TypeId.IdType.Should().Be(IdType.String);
        Encode(e => e.WriteExtensionObject(value)).Should().Equal(wire);

        var viaMinusOne = Decode(Hex("03 00 00 00 00 00 00  01  FF FF FF FF"), d => d.ReadExtensionObject(), StandardTypes.All);
        Encode(e => e.WriteExtensionObject(viaMinusOne)).Should().Equal(wire, "both ways of sending no body read as the same object");
    }

    [Fact]
    public void Binary_body_with_length_minus_one_reads_as_no_body()
    {
        var value = Decode(Hex("01 00 76 03  01  FF FF FF FF"), d => d.ReadExtensionObject(), StandardTypes.All);
        value.Should().Be(new ExtensionObject(new NodeId(886)));
    }

    [Fact]
    public void Body_longer_than_the_known_structure_is_skipped_so_a_newer_structure_version_still_decodes()
    {
        // A Range body with 4 more bytes than this stack knows, then a marker Int32 after the object.
        var wire = Hex("01 00 76 03  01  14 00 00 00  00 00 00 00 00 00 F0 3F  00 00 00 00 00 00 00 40  AA BB CC DD  2A 00 00 00");
        var decoder = new BinaryDecoder(wire, StandardTypes.All);

        var value = decoder.ReadExtensionObject();
        value.Body.Should().Be(new UaRange(1, 2));
        decoder.Position.Should().Be(wire.Length - 4, "the unknown trailing fields are skipped");
        decoder.ReadInt32().Should().Be(42);
    }

    [Fact]
    public void Body_shorter_than_the_known_structure_fails_inside_the_body_instead_of_reading_past_it()
    {
        // The body claims 8 bytes but a Range needs 16; the next 8 bytes belong to the outer message.
        var wire = Hex("01 00 76 03  01  08 00 00 00  00 00 00 00 00 00 F0 3F  00 00 00 00 00 00 00 40");
        var failure = DecodeFailure(wire, d => d.ReadExtensionObject(), StandardTypes.All);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Position.Should().Be(17, "the body ends after the first Double");
    }

    [Fact]
    public void Extension_object_in_a_structure_field_round_trips_with_its_decoded_body()
    {
        var parameters = new MonitoringParameters(
            ClientHandle: 7,
            SamplingInterval: 250,
            Filter: new ExtensionObject(new DataChangeFilter(DataChangeTrigger.StatusValue, 1, 0.5)),
            QueueSize: 10,
            DiscardOldest: true);
        var wire = Encode(e => e.WriteEncodeable(parameters));

        var decoded = Decode(wire, d => MonitoringParameters.Decode(d), StandardTypes.All);
        decoded.Should().Be(parameters);
        decoded.Filter.Body.Should().BeOfType<DataChangeFilter>();
    }
}
