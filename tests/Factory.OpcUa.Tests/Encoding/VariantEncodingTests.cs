using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// Variant (OPC 10000-6, 5.2.2.16, Table 25): an encoding mask with the built-in type id in bits
/// 0-5, 0x40 when ArrayDimensions follow and 0x80 when an array of values follows; then the value
/// or the Int32 ArrayLength and the elements; then, for a matrix, the dimensions as an Int32 array.
/// </summary>
public sealed class VariantEncodingTests
{
    public static TheoryData<string, Variant, string> Scalars => new()
    {
        { "Boolean", new Variant(true), "01 01" },
        { "SByte", new Variant((sbyte)-2), "02 FE" },
        { "Byte", new Variant((byte)0xAB), "03 AB" },
        { "Int16", new Variant((short)-2), "04 FE FF" },
        { "UInt16", new Variant((ushort)0x1234), "05 34 12" },
        { "Int32", new Variant(1_000_000_000), "06 00 CA 9A 3B" },
        { "UInt32", new Variant(0x12345678u), "07 78 56 34 12" },
        { "Int64", new Variant(-2L), "08 FE FF FF FF FF FF FF FF" },
        { "UInt64", new Variant(0x0102030405060708ul), "09 08 07 06 05 04 03 02 01" },
        { "Float", new Variant(-6.5f), "0A 00 00 D0 C0" },
        { "Double", new Variant(-6.5), "0B 00 00 00 00 00 00 1A C0" },
        { "String", new Variant("水Boy"), "0C 06 00 00 00 E6 B0 B4 42 6F 79" },
        { "DateTime", new Variant(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)), "0D 00 40 6D 25 EB 53 BF 01" },
        { "Guid", new Variant(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63")), "0E 91 2B 96 72 75 FA E6 4A 8D 28 B4 04 DC 7D AF 63" },
        { "ByteString", new Variant(new byte[] { 1, 2 }), "0F 02 00 00 00 01 02" },
        { "XmlElement", new Variant(new XmlElement("<a/>")), "10 04 00 00 00 3C 61 2F 3E" },
        { "NodeId", new Variant(new NodeId(1025, 5)), "11 01 05 01 04" },
        { "ExpandedNodeId", new Variant(new ExpandedNodeId(new NodeId(72), null, 3)), "12 40 48 03 00 00 00" },
        { "StatusCode", new Variant(new StatusCode(StatusCodes.BadDecodingError)), "13 00 00 07 80" },
        { "QualifiedName", new Variant(new QualifiedName("Pump", 2)), "14 02 00 04 00 00 00 50 75 6D 70" },
        { "LocalizedText", new Variant(new LocalizedText("Hi")), "15 02 02 00 00 00 48 69" },
        { "ExtensionObject", new Variant(new ExtensionObject(new NodeId("T", 2), new byte[] { 9 })), "16 03 02 00 01 00 00 00 54 01 01 00 00 00 09" },
        { "DataValue", new Variant(new DataValue(new Variant(5))), "17 01 06 05 00 00 00" },
        { "DiagnosticInfo", new Variant(new DiagnosticInfo(SymbolicId: 1)), "19 01 01 00 00 00" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Scalar_is_its_type_id_then_its_value(string type, Variant value, string hex)
    {
        var wire = Hex(hex);
        Encode(e => e.WriteVariant(value)).Should().Equal(wire, "a {0} scalar", type);
        var decoded = Decode(wire, d => d.ReadVariant());
        decoded.Should().Be(value);
        decoded.Type.ToString().Should().Be(type);
        decoded.IsScalar.Should().BeTrue();
    }

    [Fact]
    public void Null_variant_is_the_single_byte_zero()
    {
        Encode(e => e.WriteVariant(Variant.Null)).Should().Equal(0x00);
        Decode([0x00], d => d.ReadVariant()).IsNull.Should().BeTrue();
    }

    [Fact]
    public void Null_string_in_a_variant_keeps_its_string_type()
    {
        var value = new Variant((string?)null);
        value.Type.Should().Be(BuiltInType.String);
        Encode(e => e.WriteVariant(value)).Should().Equal(Hex("0C FF FF FF FF"));
        var decoded = Decode(Hex("0C FF FF FF FF"), d => d.ReadVariant());
        decoded.Type.Should().Be(BuiltInType.String);
        decoded.AsString().Should().BeNull();
    }

    [Fact]
    public void Array_sets_0x80_and_writes_the_length_then_each_element()
    {
        var value = new Variant(new[] { 1, 2, 3 });
        var wire = Hex("86  03 00 00 00  01 00 00 00  02 00 00 00  03 00 00 00");
        Encode(e => e.WriteVariant(value)).Should().Equal(wire);
        var decoded = Decode(wire, d => d.ReadVariant());
        decoded.Should().Be(value);
        decoded.IsArray.Should().BeTrue();
        decoded.ArrayValue.Should().BeOfType<int[]>().Which.Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Array_of_strings_keeps_null_and_empty_elements_apart()
    {
        var value = new Variant(new string?[] { "a", null, "" });
        var wire = Hex("8C  03 00 00 00  01 00 00 00 61  FF FF FF FF  00 00 00 00");
        Encode(e => e.WriteVariant(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadVariant()).ArrayValue.Should().BeEquivalentTo(new string?[] { "a", null, "" }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Array_of_byte_is_type_three_with_the_array_bit_not_a_bytestring()
    {
        var array = Variant.FromArray(BuiltInType.Byte, new byte[] { 1, 2 });
        Encode(e => e.WriteVariant(array)).Should().Equal(Hex("83 02 00 00 00 01 02"));
        Encode(e => e.WriteVariant(new Variant(new byte[] { 1, 2 }))).Should().Equal(Hex("0F 02 00 00 00 01 02"));
        Decode(Hex("83 02 00 00 00 01 02"), d => d.ReadVariant()).Should().Be(array);
    }

    [Fact]
    public void Empty_array_is_length_zero_and_keeps_its_element_type()
    {
        var value = new Variant(Array.Empty<double>());
        Encode(e => e.WriteVariant(value)).Should().Equal(Hex("8B 00 00 00 00"));
        var decoded = Decode(Hex("8B 00 00 00 00"), d => d.ReadVariant());
        decoded.Type.Should().Be(BuiltInType.Double);
        decoded.ArrayValue.Should().BeOfType<double[]>().Which.Should().BeEmpty();
    }

    [Fact]
    public void Null_array_in_a_variant_reads_as_an_empty_array_of_its_type()
    {
        // A Variant cannot hold a null array, so length -1 keeps the type with no elements.
        var decoded = Decode(Hex("8C FF FF FF FF"), d => d.ReadVariant());
        decoded.IsArray.Should().BeTrue();
        decoded.Type.Should().Be(BuiltInType.String);
        decoded.ArrayValue.Should().BeOfType<string[]>().Which.Should().BeEmpty();
        Encode(e => e.WriteVariant(decoded)).Should().Equal(Hex("8C 00 00 00 00"));
    }

    [Fact]
    public void Matrix_sets_both_bits_and_writes_its_dimensions_after_the_elements()
    {
        // 2 x 3, last dimension fastest: [0,0] [0,1] [0,2] [1,0] [1,1] [1,2].
        var value = Variant.FromMatrix(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var wire = Hex(
            "C6  06 00 00 00" +
            "01 00 00 00  02 00 00 00  03 00 00 00  04 00 00 00  05 00 00 00  06 00 00 00" +
            "02 00 00 00  02 00 00 00  03 00 00 00");
        Encode(e => e.WriteVariant(value)).Should().Equal(wire);

        var decoded = Decode(wire, d => d.ReadVariant());
        decoded.Should().Be(value);
        decoded.IsMatrix.Should().BeTrue();
        decoded.ArrayDimensions.Should().Equal(2, 3);
        decoded.ArrayValue.Should().BeOfType<int[]>().Which.Should().Equal(1, 2, 3, 4, 5, 6);
    }

    [Fact]
    public void Matrix_of_strings_round_trips_with_its_dimensions()
    {
        var value = Variant.FromMatrix(BuiltInType.String, new string?[] { "a", "b", null, "d", "e", "f", "g", "h" }, [2, 2, 2]);
        var decoded = Decode(Encode(e => e.WriteVariant(value)), d => d.ReadVariant());
        decoded.Should().Be(value);
        decoded.ArrayDimensions.Should().Equal(2, 2, 2);
    }

    [Fact]
    public void Matrix_with_a_zero_dimension_has_no_elements()
    {
        // 5.2.2.16: if a dimension has length 0 the ArrayLength is 0.
        var wire = Hex("C6 00 00 00 00  02 00 00 00  03 00 00 00 00 00 00 00");
        var decoded = Decode(wire, d => d.ReadVariant());
        decoded.ArrayDimensions.Should().Equal(3, 0);
        decoded.ArrayValue.Should().BeOfType<int[]>().Which.Should().BeEmpty();
    }

    [Fact]
    public void Array_of_variants_writes_each_element_as_a_variant_with_its_own_type()
    {
        var value = new Variant(new[] { new Variant(1), new Variant("a"), Variant.Null, new Variant(new[] { 2.0 }) });
        var wire = Hex(
            "98  04 00 00 00" +
            "06 01 00 00 00" +
            "0C 01 00 00 00 61" +
            "00" +
            "8B 01 00 00 00 00 00 00 00 00 00 00 40");
        Encode(e => e.WriteVariant(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadVariant()).Should().Be(value);
    }

    [Fact]
    public void Variant_holding_a_data_value_nests_the_data_value_encoding()
    {
        var source = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var inner = new DataValue(new Variant(2.5), StatusCodes.BadDecodingError, source);
        var wire = Hex("17  07  0B 00 00 00 00 00 00 04 40  00 00 07 80  00 40 6D 25 EB 53 BF 01");
        Encode(e => e.WriteVariant(new Variant(inner))).Should().Equal(wire);
        Decode(wire, d => d.ReadVariant()).Should().Be(new Variant(inner));
    }

    [Fact]
    public void Variant_holding_an_extension_object_decodes_a_known_body()
    {
        var value = new Variant(new EUInformation("http://www.opcfoundation.org/UA/units/un/cefact", 4408652, new LocalizedText("°C"), new LocalizedText("degree Celsius", "en")));
        var wire = Encode(e => e.WriteVariant(value));
        wire[0].Should().Be(0x16);
        wire.AsSpan(1, 4).ToArray().Should().Equal(Hex("01 00 79 03"), "EUInformation's binary encoding is i=889");

        var decoded = Decode(wire, d => d.ReadVariant(), StandardTypes.All);
        decoded.Should().Be(value);
        decoded.AsExtensionObject().Body.Should().BeOfType<EUInformation>();
    }

    [Fact]
    public void Variant_holding_a_diagnostic_info_keeps_its_type_even_when_empty()
    {
        var nested = new Variant(new DiagnosticInfo(AdditionalInfo: "x", InnerDiagnosticInfo: new DiagnosticInfo(SymbolicId: 3)));
        Decode(Encode(e => e.WriteVariant(nested)), d => d.ReadVariant()).Should().Be(nested);

        var empty = Decode(Hex("19 00"), d => d.ReadVariant());
        empty.Type.Should().Be(BuiltInType.DiagnosticInfo);
        empty.Value.Should().BeNull();
    }

    [Fact]
    public void Nested_arrays_of_variants_round_trip()
    {
        var value = new Variant([new Variant([new Variant([new Variant(1)]), new Variant(new[] { "x" })])]);
        Decode(Encode(e => e.WriteVariant(value)), d => d.ReadVariant()).Should().Be(value);
    }
}
