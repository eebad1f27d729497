using Factory.OpcUa.Encoding;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// DataValue (OPC 10000-6, 5.2.2.17, Table 27): a mask (0x01 Value, 0x02 StatusCode,
/// 0x04 SourceTimestamp, 0x08 ServerTimestamp, 0x10 SourcePicoseconds, 0x20 ServerPicoseconds),
/// then the present fields in the order Value, Status, SourceTimestamp, SourcePicoseconds,
/// ServerTimestamp, ServerPicoseconds: the source picoseconds come right after the source
/// timestamp, not after both timestamps as the mask bits might suggest.
/// </summary>
public sealed class DataValueEncodingTests
{
    private static readonly DateTime Source = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private const string SourceHex = "00 40 6D 25 EB 53 BF 01";
    private static readonly DateTime Server = Source.AddTicks(1);
    private const string ServerHex = "01 40 6D 25 EB 53 BF 01";

    [Fact]
    public void Every_field_is_written_with_source_picoseconds_right_after_the_source_timestamp()
    {
        var value = new DataValue(new Variant(7), StatusCodes.BadDecodingError, Source, Server, SourcePicoseconds: 0x0102, ServerPicoseconds: 0x0304);
        var wire = Hex($"3F  06 07 00 00 00  00 00 07 80  {SourceHex}  02 01  {ServerHex}  04 03");
        Encode(e => e.WriteDataValue(value)).Should().Equal(wire);
        Decode(wire, d => d.ReadDataValue()).Should().Be(value);
    }

    public static TheoryData<string, DataValue, string> SingleFields => new()
    {
        { "value", new DataValue(new Variant(true)), "01 01 01" },
        { "status", new DataValue(Variant.Null, StatusCodes.BadDecodingError), "02 00 00 07 80" },
        { "source timestamp", new DataValue(Variant.Null, default, Source), $"04 {SourceHex}" },
        { "server timestamp", new DataValue(Variant.Null, default, default, Server), $"08 {ServerHex}" },
        { "source picoseconds", new DataValue(Variant.Null, SourcePicoseconds: 9), "10 09 00" },
        { "server picoseconds", new DataValue(Variant.Null, ServerPicoseconds: 9), "20 09 00" },
    };

    [Theory]
    [MemberData(nameof(SingleFields))]
    public void Each_field_has_its_own_mask_bit(string field, DataValue value, string hex)
    {
        Encode(e => e.WriteDataValue(value)).Should().Equal(Hex(hex), "only the {0} is present", field);
        Decode(Hex(hex), d => d.ReadDataValue()).Should().Be(value);
    }

    [Fact]
    public void Empty_data_value_is_the_single_byte_zero()
    {
        Encode(e => e.WriteDataValue(default)).Should().Equal(0x00);
        Decode([0x00], d => d.ReadDataValue()).Should().Be(default(DataValue));
    }

    [Fact]
    public void Good_status_null_value_and_missing_timestamps_are_left_out()
    {
        // 5.2.2.17: the bits are false when the value is null, the status Good, a timestamp
        // DateTime.MinValue and picoseconds 0, so those fields cost no bytes.
        var value = new DataValue(new Variant(1.5), StatusCode.Good, Source, DateTime.MinValue);
        Encode(e => e.WriteDataValue(value)).Should().Equal(Hex($"05  0B 00 00 00 00 00 00 F8 3F  {SourceHex}"));
    }

    [Fact]
    public void Timestamps_of_a_typical_monitored_value_are_written_in_order()
    {
        var value = new DataValue(new Variant(21.5), default, Source, Server);
        var wire = Encode(e => e.WriteDataValue(value));
        wire.Should().Equal(Hex($"0D  0B 00 00 00 00 00 80 35 40  {SourceHex}  {ServerHex}"));
        Decode(wire, d => d.ReadDataValue()).Should().Be(value);
    }

    [Fact]
    public void Uncertain_status_with_info_bits_is_kept_exactly()
    {
        var value = new DataValue(new Variant(1), new StatusCode(0x408F0400));
        var decoded = Decode(Encode(e => e.WriteDataValue(value)), d => d.ReadDataValue());
        decoded.StatusCode.Code.Should().Be(0x408F0400);
    }

    [Fact]
    public void Present_bits_with_default_contents_read_as_absent_fields()
    {
        // A peer may set a bit and send the default; the value is the same as without the bit.
        var wire = Hex("0F  00  00 00 00 00  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00");
        var decoded = Decode(wire, d => d.ReadDataValue());
        decoded.Should().Be(default(DataValue));
        Encode(e => e.WriteDataValue(decoded)).Should().Equal(0x00);
    }
}
