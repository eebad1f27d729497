using System.Runtime.CompilerServices;
using CsCheck;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// Property-based round trips of every built-in type of OPC 10000-6, 5.1.2 through its binary
/// encoding (5.2.2.1 to 5.2.2.17): for random values x, decode(encode(x)) equals x, or the
/// <see cref="Normalised"/> form of x where the wire cannot tell two values apart, and encoding
/// the decoded value gives back exactly the same bytes (every normalisation maps values that
/// already share their bytes). Inputs are reproducible (see <see cref="Property"/>).
/// </summary>
public sealed class RoundTripPropertyTests
{
    private const long EpochTicks = 504_911_232_000_000_000;

    [Fact]
    public void Boolean_round_trips() => RoundTrips(Gen.Bool, (e, v) => e.WriteBoolean(v), d => d.ReadBoolean(), iterations: 50);

    [Fact]
    public void SByte_round_trips() => RoundTrips(Gen.SByte, (e, v) => e.WriteSByte(v), d => d.ReadSByte());

    [Fact]
    public void Byte_round_trips() => RoundTrips(Gen.Byte, (e, v) => e.WriteByte(v), d => d.ReadByte());

    [Fact]
    public void Int16_round_trips() => RoundTrips(Gen.Short, (e, v) => e.WriteInt16(v), d => d.ReadInt16());

    [Fact]
    public void UInt16_round_trips() => RoundTrips(Gen.UShort, (e, v) => e.WriteUInt16(v), d => d.ReadUInt16());

    [Fact]
    public void Int32_round_trips() => RoundTrips(Gen.Int, (e, v) => e.WriteInt32(v), d => d.ReadInt32());

    [Fact]
    public void UInt32_round_trips() => RoundTrips(Gen.UInt, (e, v) => e.WriteUInt32(v), d => d.ReadUInt32());

    [Fact]
    public void Int64_round_trips() => RoundTrips(Gen.Long, (e, v) => e.WriteInt64(v), d => d.ReadInt64());

    [Fact]
    public void UInt64_round_trips() => RoundTrips(Gen.ULong, (e, v) => e.WriteUInt64(v), d => d.ReadUInt64());

    [Fact]
    public void Float_round_trips_bit_for_bit_including_nan_payloads() =>
        RoundTrips(UaGen.Floats, (e, v) => e.WriteFloat(v), d => d.ReadFloat(),
            equal: (a, b) => BitConverter.SingleToUInt32Bits(a) == BitConverter.SingleToUInt32Bits(b));

    [Fact]
    public void Double_round_trips_bit_for_bit_including_nan_payloads() =>
        RoundTrips(UaGen.Doubles, (e, v) => e.WriteDouble(v), d => d.ReadDouble(),
            equal: (a, b) => BitConverter.DoubleToUInt64Bits(a) == BitConverter.DoubleToUInt64Bits(b));

    [Fact]
    public void String_round_trips_with_null_and_empty_kept_apart() =>
        RoundTrips(UaGen.NullableTexts, (e, v) => e.WriteString(v), d => d.ReadString());

    [Fact]
    public void DateTime_within_the_representable_range_round_trips_exactly() =>
        RoundTrips(UaGen.Times, (e, v) => e.WriteDateTime(v), d => d.ReadDateTime());

    // 5.2.2.5: times at or before 1601 become 0 (read as MinValue), times from 9999-12-31T23:59:59Z
    // on become Int64.MaxValue (read as MaxValue); everything between is exact.
    [Fact]
    public void Any_DateTime_round_trips_to_its_clamped_value() =>
        RoundTrips(
            Gen.Frequency((3, Gen.Long[0, DateTime.MaxValue.Ticks]), (1, Gen.Long[0, EpochTicks + 10]), (1, Gen.Long[DateTime.MaxValue.Ticks - (2 * TimeSpan.TicksPerSecond), DateTime.MaxValue.Ticks]))
                .Select(ticks => new DateTime(ticks, DateTimeKind.Utc)),
            (e, v) => e.WriteDateTime(v),
            d => d.ReadDateTime(),
            normalise: v => v.Ticks <= EpochTicks ? DateTime.MinValue
                : v.Ticks > DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond ? DateTime.MaxValue
                : v);

    [Fact]
    public void Any_wire_DateTime_reads_and_writes_back_as_the_same_or_the_clamped_value() =>
        Property.Check(Gen.Frequency((3, Gen.Long), (1, Gen.Long[-10, 10]), (1, Gen.Long[DateTime.MaxValue.Ticks - EpochTicks - (2 * TimeSpan.TicksPerSecond), long.MaxValue])), wire =>
        {
            var bytes = Wire.Encode(e => e.WriteInt64(wire));
            var again = Wire.Encode(e => e.WriteDateTime(Wire.Decode(bytes, d => d.ReadDateTime())));
            var expected = wire <= 0 ? 0
                : wire > DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond - EpochTicks ? long.MaxValue
                : wire;
            Wire.Decode(again, d => d.ReadInt64()).Should().Be(expected, "wire value {0}", wire);
        });

    [Fact]
    public void Guid_round_trips() => RoundTrips(Gen.Guid, (e, v) => e.WriteGuid(v), d => d.ReadGuid());

    [Fact]
    public void ByteString_round_trips_with_null_and_empty_kept_apart() =>
        RoundTrips(UaGen.NullableByteStrings, (e, v) => e.WriteByteString(v), d => d.ReadByteString(),
            equal: (a, b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b));

    [Fact]
    public void XmlElement_round_trips() => RoundTrips(UaGen.XmlElements, (e, v) => e.WriteXmlElement(v), d => d.ReadXmlElement());

    [Fact]
    public void NodeId_of_every_form_and_namespace_round_trips() =>
        RoundTrips(UaGen.NodeIds, (e, v) => e.WriteNodeId(v), d => d.ReadNodeId(), equal: SameNodeId, iterations: 1000);

    // 5.2.2.9: the two-byte form when it fits, else the four-byte form, else the full numeric form.
    [Fact]
    public void Numeric_NodeId_is_always_written_in_the_smallest_form_that_fits() =>
        Property.Check(UaGen.NodeIds.Where(id => id.IdType == IdType.Numeric), id =>
        {
            var wire = Wire.Encode(e => e.WriteNodeId(id));
            var expected = id.NamespaceIndex == 0 && id.NumericIdentifier <= byte.MaxValue ? (0x00, 2)
                : id.NamespaceIndex <= byte.MaxValue && id.NumericIdentifier <= ushort.MaxValue ? (0x01, 4)
                : (0x02, 7);
            (wire[0], wire.Length).Should().Be(((byte)expected.Item1, expected.Item2), "{0}", id);
        });

    [Fact]
    public void ExpandedNodeId_with_any_uri_and_server_index_round_trips() =>
        RoundTrips(UaGen.ExpandedNodeIds, (e, v) => e.WriteExpandedNodeId(v), d => d.ReadExpandedNodeId(),
            equal: (a, b) => SameNodeId(a.NodeId, b.NodeId) && a.NamespaceUri == b.NamespaceUri && a.ServerIndex == b.ServerIndex);

    [Fact]
    public void StatusCode_round_trips() => RoundTrips(UaGen.Statuses, (e, v) => e.WriteStatusCode(v), d => d.ReadStatusCode());

    [Fact]
    public void QualifiedName_round_trips() => RoundTrips(UaGen.QualifiedNames, (e, v) => e.WriteQualifiedName(v), d => d.ReadQualifiedName());

    [Fact]
    public void LocalizedText_round_trips_with_a_missing_text_or_locale_and_null_reads_as_the_null_text() =>
        RoundTrips(UaGen.LocalizedTexts, (e, v) => e.WriteLocalizedText(v), d => d.ReadLocalizedText(), normalise: Normalised.Text);

    [Fact]
    public void DiagnosticInfo_with_random_fields_and_nesting_round_trips_to_its_normal_form() =>
        RoundTrips(UaGen.DiagnosticInfos, (e, v) => e.WriteDiagnosticInfo(v), d => d.ReadDiagnosticInfo(), normalise: Normalised.Diagnostic, iterations: 1000);

    [Fact]
    public void ExtensionObject_with_known_unknown_xml_or_no_body_round_trips() =>
        RoundTrips(UaGen.ExtensionObjects, (e, v) => e.WriteExtensionObject(v), d => d.ReadExtensionObject(), normalise: Normalised.Extension, iterations: 1000);

    [Fact]
    public void DataValue_with_random_mask_bits_round_trips() =>
        RoundTrips(UaGen.DataValues, (e, v) => e.WriteDataValue(v), d => d.ReadDataValue(), normalise: Normalised.Data, iterations: 1000);

    [Fact]
    public void Variant_of_any_type_rank_and_nesting_round_trips() =>
        RoundTrips(UaGen.Variants, (e, v) => e.WriteVariant(v), d => d.ReadVariant(), normalise: Normalised.Value, iterations: 3000);

    public static TheoryData<BuiltInType> ElementTypes => new(UaGen.ElementTypes);

    [Theory]
    [MemberData(nameof(ElementTypes))]
    public void Variant_scalar_array_and_matrix_of_each_built_in_type_round_trip(BuiltInType type)
    {
        var gens = type == BuiltInType.Variant
            ? Gen.OneOf(UaGen.ArraysOf(type), UaGen.MatricesOf(type))
            : Gen.OneOf(UaGen.ScalarsOf(type), UaGen.ArraysOf(type), UaGen.MatricesOf(type));
        RoundTrips(gens, (e, v) => e.WriteVariant(v), d => d.ReadVariant(), normalise: Normalised.Value, iterations: 150, name: $"Variant of {type}");
    }

    /// <summary>
    /// NodeId equality treats every null NodeId (i=0, s="", a zero Guid, an empty opaque id in
    /// namespace 0) as equal; the wire keeps their forms apart, so the round trip checks the form too.
    /// </summary>
    private static bool SameNodeId(NodeId a, NodeId b) => a == b && a.IdType == b.IdType && a.NamespaceIndex == b.NamespaceIndex;

    private static void RoundTrips<T>(
        Gen<T> gen,
        Action<BinaryEncoder, T> write,
        Func<BinaryDecoder, T> read,
        Func<T, T>? normalise = null,
        Func<T, T, bool>? equal = null,
        int iterations = 500,
        [CallerMemberName] string name = "") =>
        Property.Check(gen, value =>
        {
            var wire = Wire.Encode(e => write(e, value));
            var decoder = new BinaryDecoder(wire, StandardTypes.All);
            var decoded = read(decoder);
            decoder.Remaining.Should().Be(0, "reading {0} should use all {1} bytes", value, wire.Length);

            var expected = normalise is null ? value : normalise(value);
            (equal ?? EqualityComparer<T>.Default.Equals)(decoded, expected)
                .Should().BeTrue("{0} was written as {1} and read back as {2}", value, Wire.ToHex(wire), decoded);

            Wire.Encode(e => write(e, decoded)).Should().Equal(wire, "writing the decoded {0} gives the same bytes", decoded);
        }, iterations, name);
}
