using CsCheck;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using static Factory.OpcUa.Tests.Encoding.Wire;
using UaRange = Factory.OpcUa.Types.Range;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// What the decoder does with bytes that are not a valid encoding (OPC 10000-6, 5.2): it stops
/// with a <see cref="DecodingException"/> whose StatusCode is BadDecodingError for malformed data
/// and BadEncodingLimitsExceeded for data beyond <see cref="EncodingLimits"/>, whose Position is
/// the byte where it stopped, and it never allocates what a length prefix claims before the bytes
/// are there (5.2.2.4, 5.2.5). Nesting is bounded (5.2.2.12 asks decoders to report an error past
/// the recursion depth they support) so hostile input cannot overflow the stack.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly DateTime Now = new(2024, 11, 28, 10, 30, 15, DateTimeKind.Utc);

    private static readonly EncodingLimits NoLimits = new()
    {
        MaxStringLength = int.MaxValue,
        MaxByteStringLength = int.MaxValue,
        MaxArrayLength = int.MaxValue,
    };

    public static TheoryData<string> Messages => new() { "read", "publish", "session", "browse", "variants" };

    // 5.2.6: every field of a structure is present, so any strict prefix of a message is incomplete.
    [Theory]
    [MemberData(nameof(Messages))]
    public void Truncating_a_valid_message_at_every_byte_gives_a_decoding_error(string name)
    {
        var wire = Encode(e => e.WriteMessage(SampleMessage(name)));
        wire.Length.Should().BeGreaterThan(50);

        for (var cut = 0; cut < wire.Length; cut++)
        {
            var decoder = new BinaryDecoder(wire.AsMemory(0, cut), StandardTypes.All);
            DecodingException? failure = null;
            try
            {
                decoder.ReadMessage();
            }
            catch (DecodingException e)
            {
                failure = e;
            }

            failure.Should().NotBeNull("a {0} message cut to {1} of {2} bytes is incomplete", name, cut, wire.Length);
            failure!.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError, "cut at {0}: {1}", cut, failure.Message);
            failure.Position.Should().BeInRange(0, cut, "the decoder cannot have read past the {0} bytes it was given", cut);
            failure.Message.Should().EndWith($"(at byte {failure.Position})");
        }
    }

    public static TheoryData<string, string, Func<BinaryDecoder, object?>> HugeLengths => new()
    {
        { "String", "", d => d.ReadString() },
        { "ByteString", "", d => d.ReadByteString() },
        { "XmlElement", "", d => d.ReadXmlElement() },
        { "String array", "", d => d.ReadStringArray() },
        { "Int32 array", "", d => d.ReadInt32Array() },
        { "Double array", "", d => d.ReadDoubleArray() },
        { "DataValue array", "", d => d.ReadDataValueArray() },
        { "structure array", "", d => d.ReadEncodeableArray<ReadValueId>() },
        { "Variant array", "86", d => d.ReadVariant() },
        { "Variant ByteString", "0F", d => d.ReadVariant() },
        { "ExtensionObject body", "03 01 00 01 00 00 00 58 01", d => d.ReadExtensionObject() },
        { "known ExtensionObject body", "01 00 76 03 01", d => d.ReadExtensionObject() },
    };

    [Theory]
    [MemberData(nameof(HugeLengths))]
    public void Length_of_2_gb_fails_at_once_with_limits_exceeded_and_allocates_nothing_like_it(string what, string prefix, Func<BinaryDecoder, object?> read) =>
        HugeLengthFailsCheaply(what, prefix, 0x7FFFFFFF, EncodingLimits.Default, StatusCodes.BadEncodingLimitsExceeded, read);

    [Theory]
    [MemberData(nameof(HugeLengths))]
    public void Length_of_1_gb_fails_at_once_with_limits_exceeded_and_allocates_nothing_like_it(string what, string prefix, Func<BinaryDecoder, object?> read) =>
        HugeLengthFailsCheaply(what, prefix, 0x40000000, EncodingLimits.Default, StatusCodes.BadEncodingLimitsExceeded, read);

    [Theory]
    [MemberData(nameof(HugeLengths))]
    public void Length_of_2_gb_within_raised_limits_still_fails_before_allocating_because_the_bytes_are_not_there(string what, string prefix, Func<BinaryDecoder, object?> read) =>
        HugeLengthFailsCheaply(what, prefix, 0x7FFFFFFF, NoLimits, StatusCodes.BadDecodingError, read);

    [Theory]
    [MemberData(nameof(HugeLengths))]
    public void Length_of_1_gb_within_raised_limits_still_fails_before_allocating_because_the_bytes_are_not_there(string what, string prefix, Func<BinaryDecoder, object?> read) =>
        HugeLengthFailsCheaply(what, prefix, 0x40000000, NoLimits, StatusCodes.BadDecodingError, read);

    [Fact]
    public void String_longer_than_the_limit_fails_with_limits_exceeded_and_one_at_the_limit_decodes()
    {
        var limits = new EncodingLimits { MaxStringLength = 4 };
        Decode(Encode(e => e.WriteString("abcd")), d => d.ReadString(), limits: limits).Should().Be("abcd");

        var failure = DecodeFailure(Encode(e => e.WriteString("abcde")), d => d.ReadString(), limits: limits);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        failure.Message.Should().Contain("String of 5 bytes exceeds the limit of 4").And.EndWith("(at byte 4)");
        failure.Position.Should().Be(4);
    }

    [Fact]
    public void ByteString_longer_than_the_limit_fails_with_limits_exceeded()
    {
        var limits = new EncodingLimits { MaxByteStringLength = 2 };
        Decode(Encode(e => e.WriteByteString(new byte[2])), d => d.ReadByteString(), limits: limits).Should().HaveCount(2);

        var failure = DecodeFailure(Encode(e => e.WriteByteString(new byte[3])), d => d.ReadByteString(), limits: limits);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        failure.Message.Should().Contain("ByteString of 3 bytes");
    }

    [Fact]
    public void Array_longer_than_the_limit_fails_with_limits_exceeded_for_every_kind_of_array()
    {
        var limits = new EncodingLimits { MaxArrayLength = 2 };
        var three = Encode(e => e.WriteStringArray(["a", "b", "c"]));

        DecodeFailure(three, d => d.ReadStringArray(), limits: limits).StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        DecodeFailure(Encode(e => e.WriteInt32Array([1, 2, 3])), d => d.ReadInt32Array(), limits: limits)
            .StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        DecodeFailure(Encode(e => e.WriteEncodeableArray(new[] { new ReadValueId(), new ReadValueId(), new ReadValueId() })), d => d.ReadEncodeableArray<ReadValueId>(), limits: limits)
            .StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        var failure = DecodeFailure(Encode(e => e.WriteVariant(new Variant(new[] { 1.0, 2.0, 3.0 }))), d => d.ReadVariant(), limits: limits);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        failure.Message.Should().Contain("array of 3 elements exceeds the limit of 2").And.EndWith("(at byte 5)");

        Decode(Encode(e => e.WriteStringArray(["a", "b"])), d => d.ReadStringArray(), limits: limits).Should().HaveCount(2);
    }

    [Fact]
    public void Extension_object_body_longer_than_the_bytestring_limit_fails_with_limits_exceeded()
    {
        var limits = new EncodingLimits { MaxByteStringLength = 8 };
        var unknown = Encode(e => e.WriteExtensionObject(new ExtensionObject(new NodeId("X", 1), new byte[9])));
        DecodeFailure(unknown, d => d.ReadExtensionObject(), limits: limits).StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);

        var known = Encode(e => e.WriteExtensionObject(new ExtensionObject(new UaRange(1, 2))));
        DecodeFailure(known, d => d.ReadExtensionObject(), StandardTypes.All, limits).StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
    }

    [Theory]
    [InlineData("C3 28", "a two-byte sequence with a bad continuation byte")]
    [InlineData("80", "a lone continuation byte")]
    [InlineData("C0 AF", "an overlong encoding of '/'")]
    [InlineData("ED A0 80", "an encoded UTF-16 surrogate")]
    [InlineData("F4 90 80 80", "a code point above U+10FFFF")]
    [InlineData("E6 B0", "a sequence cut short by the end of the string")]
    [InlineData("FF", "a byte that never appears in UTF-8")]
    public void String_that_is_not_valid_utf8_fails_with_a_decoding_error(string utf8, string why)
    {
        var bytes = Hex(utf8);
        var wire = Hex("41 41").Concat(Encode(e => e.WriteInt32(bytes.Length + 1))).Concat(Hex("61")).Concat(bytes).ToArray();
        var decoder = new BinaryDecoder(wire);
        decoder.ReadInt16();

        var failure = FluentActions.Invoking(() => decoder.ReadString()).Should().Throw<DecodingException>(why).Which;
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain("not valid UTF-8");
        failure.Position.Should().Be(wire.Length, "the whole string was read before it was checked");
    }

    [Theory]
    [InlineData((byte)0x06)]
    [InlineData((byte)0x07)]
    [InlineData((byte)0x3F)]
    [InlineData((byte)0x40)]
    [InlineData((byte)0xFF)]
    public void NodeId_with_an_undefined_encoding_byte_fails_with_a_decoding_error(byte encoding)
    {
        var failure = DecodeFailure([encoding, 0, 0, 0, 0, 0, 0, 0], d => d.ReadNodeId());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain($"NodeId encoding 0x{encoding:X2} is not defined").And.EndWith("(at byte 1)");
    }

    [Theory]
    [InlineData((byte)0x86)]
    [InlineData((byte)0xC7)]
    [InlineData((byte)0x46)]
    public void Expanded_nodeid_with_an_undefined_id_form_under_its_flags_fails(byte encoding) =>
        DecodeFailure([encoding, 0, 0, 0, 0, 0, 0, 0, 0], d => d.ReadExpandedNodeId()).StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);

    [Theory]
    [InlineData((byte)32)]
    [InlineData((byte)63)]
    [InlineData((byte)(0x80 | 40))]
    public void Variant_with_a_type_id_above_31_fails_with_a_decoding_error(byte encoding)
    {
        var failure = DecodeFailure([encoding, 0, 0, 0, 0], d => d.ReadVariant());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain($"type id {encoding & 0x3F}").And.EndWith("(at byte 1)");
    }

    // OPC 10000-6, 5.2.2.16: ids 26 to 31 are reserved; decoders read the value as ByteString(s).
    [Theory]
    [InlineData((byte)26)]
    [InlineData((byte)31)]
    public void Variant_with_a_reserved_type_id_is_read_as_a_byte_string(byte encoding)
    {
        var scalar = new BinaryDecoder(new byte[] { encoding, 3, 0, 0, 0, 1, 2, 3 }).ReadVariant();
        var array = new BinaryDecoder(new byte[] { (byte)(encoding | 0x80), 1, 0, 0, 0, 2, 0, 0, 0, 9, 8 }).ReadVariant();

        scalar.Type.Should().Be(BuiltInType.ByteString);
        ((byte[])scalar.Value!).Should().Equal(1, 2, 3);
        array.Type.Should().Be(BuiltInType.ByteString);
        ((byte[]?[])array.Value!).Single().Should().Equal(9, 8);
    }

    [Fact]
    public void Scalar_variant_with_the_dimensions_bit_fails_with_a_decoding_error()
    {
        var failure = DecodeFailure(Hex("46 01 00 00 00"), d => d.ReadVariant());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain("scalar Variant has array dimensions");
    }

    [Fact]
    public void Variant_that_directly_contains_a_scalar_variant_fails_with_a_decoding_error() =>
        DecodeFailure(Hex("18 06 01 00 00 00"), d => d.ReadVariant()).StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);

    [Fact]
    public void Variant_array_of_the_null_type_fails_with_a_decoding_error() =>
        DecodeFailure(Hex("80 00 00 00 00"), d => d.ReadVariant()).StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);

    [Theory]
    [InlineData("02 00 00 00  02 00 00 00  03 00 00 00", "2 x 3 is not 4")]
    [InlineData("01 00 00 00  05 00 00 00", "one dimension of 5 is not 4")]
    [InlineData("02 00 00 00  FF FF FF FF  FC FF FF FF", "-1 x -4 multiplies to 4 but a length is never negative")]
    [InlineData("02 00 00 00  04 00 00 00  FF FF FF FF", "a negative dimension")]
    [InlineData("03 00 00 00  00 00 01 00  00 00 01 00  00 00 01 00", "2^48 elements overflows nothing and is still not 4")]
    [InlineData("00 00 00 00", "no dimensions at all for 4 elements")]
    public void Matrix_whose_dimensions_do_not_describe_its_elements_fails_with_a_decoding_error(string dimensions, string why)
    {
        var wire = Hex("C6 04 00 00 00  01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00  " + dimensions);
        var failure = DecodeFailure(wire, d => d.ReadVariant());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError, why);
        failure.Position.Should().Be(wire.Length, "the dimensions are checked once read");
    }

    [Theory]
    [InlineData((byte)3)]
    [InlineData((byte)4)]
    [InlineData((byte)0xFF)]
    public void Extension_object_with_an_undefined_body_encoding_fails_with_a_decoding_error(byte encoding)
    {
        var failure = DecodeFailure([0x01, 0x00, 0x76, 0x03, encoding, 0, 0, 0, 0], d => d.ReadExtensionObject(), StandardTypes.All);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain($"ExtensionObject encoding {encoding} is not 0, 1 or 2").And.EndWith("(at byte 5)");
    }

    [Theory]
    [InlineData("DataValue", "40")]
    [InlineData("DataValue", "80")]
    [InlineData("LocalizedText", "04")]
    [InlineData("DiagnosticInfo", "80")]
    public void Mask_with_undefined_bits_fails_with_a_decoding_error(string type, string mask)
    {
        Func<BinaryDecoder, object?> read = type switch
        {
            "DataValue" => d => d.ReadDataValue(),
            "LocalizedText" => d => d.ReadLocalizedText(),
            _ => d => d.ReadDiagnosticInfo(),
        };
        var failure = DecodeFailure(Hex(mask + " 00 00 00 00 00 00 00 00"), read);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain($"{type} mask 0x{mask}").And.EndWith("(at byte 1)");
    }

    [Fact]
    public void Deeply_nested_variant_arrays_fail_with_limits_exceeded_instead_of_overflowing_the_stack()
    {
        // 100 000 levels of "array of one Variant", each level five bytes.
        var wire = Enumerable.Repeat(Hex("98 01 00 00 00"), 100_000).SelectMany(b => b).Append((byte)0).ToArray();
        var failure = DecodeFailure(wire, d => d.ReadVariant());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        failure.Message.Should().Contain("nesting deeper than 32 levels");
        failure.Position.Should().Be(33 * 5 - 4, "the 33rd level is refused as soon as its encoding byte is read");
    }

    [Fact]
    public void Deep_inner_diagnostic_info_chains_fail_with_limits_exceeded_instead_of_overflowing_the_stack()
    {
        var wire = Enumerable.Repeat((byte)0x40, 1_000_000).Append((byte)0).ToArray();
        var failure = DecodeFailure(wire, d => d.ReadDiagnosticInfo());
        failure.StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        failure.Position.Should().Be(33);
    }

    [Fact]
    public void Deeply_nested_data_values_in_variants_fail_with_limits_exceeded()
    {
        // Variant(DataValue(Variant(DataValue(...)))): type 0x17, then a DataValue with only its value.
        var wire = Enumerable.Repeat(Hex("17 01"), 100_000).SelectMany(b => b).Append((byte)0).ToArray();
        DecodeFailure(wire, d => d.ReadVariant()).StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
    }

    [Fact]
    public void Deeply_nested_extension_objects_in_event_fields_fail_with_limits_exceeded()
    {
        // EventFieldList(handle, [Variant(ExtensionObject(EventFieldList(...)))]) nests through a known body.
        var innermost = new EventFieldList(0, []);
        IEncodeable value = innermost;
        for (var i = 0; i < 40; i++)
        {
            value = new EventFieldList((uint)i, [new Variant(new ExtensionObject(value))]);
        }

        var wire = Encode(e => e.WriteExtensionObject(new ExtensionObject(value)));
        DecodeFailure(wire, d => d.ReadExtensionObject(), StandardTypes.All).StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
        Decode(wire, d => d.ReadExtensionObject(), limits: EncodingLimits.Default).Body.Should().BeOfType<byte[]>("without the type table the body is not looked into");
    }

    [Fact]
    public void Nesting_up_to_the_limit_decodes_and_one_level_more_fails()
    {
        var limits = new EncodingLimits { MaxNestingDepth = 5 };
        static byte[] Nested(int levels) => Enumerable.Repeat(Hex("98 01 00 00 00"), levels).SelectMany(b => b).Append((byte)0).ToArray();

        Decode(Nested(5), d => d.ReadVariant(), limits: limits).IsArray.Should().BeTrue();
        DecodeFailure(Nested(6), d => d.ReadVariant(), limits: limits).StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);

        var chain = Enumerable.Repeat((byte)0x40, 4).Append((byte)0x01).Concat(new byte[4]).ToArray();
        Decode(chain, d => d.ReadDiagnosticInfo(), limits: limits).Should().NotBeNull();
        DecodeFailure(Enumerable.Repeat((byte)0x40, 6).Append((byte)0).ToArray(), d => d.ReadDiagnosticInfo(), limits: limits)
            .StatusCode.Code.Should().Be(StatusCodes.BadEncodingLimitsExceeded);
    }

    [Fact]
    public void Message_cut_short_reports_how_many_bytes_were_missing_and_where()
    {
        var wire = Encode(e => e.WriteMessage(new ReadRequest(new RequestHeader(Timestamp: Now))));
        var failure = DecodeFailure(wire.AsSpan(0, 10).ToArray(), d => d.ReadMessage(), StandardTypes.All);
        failure.Message.Should().Contain("8 bytes needed, 4 left").And.EndWith("(at byte 6)");
        failure.Position.Should().Be(6, "the Timestamp of the RequestHeader starts after the id (4 bytes) and the null token (2 bytes)");
    }

    [Fact]
    public void Random_bytes_are_read_or_refused_with_a_decoding_error_by_every_reader()
    {
        var readers = new (string Name, Func<BinaryDecoder, object?> Read)[]
        {
            ("message", d => d.ReadMessage()),
            ("Variant", d => d.ReadVariant()),
            ("DataValue", d => d.ReadDataValue()),
            ("ExtensionObject", d => d.ReadExtensionObject()),
            ("DiagnosticInfo", d => d.ReadDiagnosticInfo()),
            ("NodeId", d => d.ReadNodeId()),
            ("ExpandedNodeId", d => d.ReadExpandedNodeId()),
            ("LocalizedText", d => d.ReadLocalizedText()),
            ("QualifiedName", d => d.ReadQualifiedName()),
            ("String", d => d.ReadString()),
            ("Variant array", d => d.ReadVariantArray()),
            ("structure array", d => d.ReadEncodeableArray<ReadValueId>()),
        };

        // Bytes biased to the values that steer a decoder: type ids, mask bits, small lengths.
        var bytes = Gen.Frequency(
            (3, Gen.Byte),
            (2, Gen.OneOf<byte>(0x00, 0x01, 0x03, 0x16, 0x17, 0x18, 0x19, 0x40, 0x80, 0x96, 0x98, 0xC6, 0xFF)));
        Property.Check(bytes.Array[0, 48], input =>
        {
            foreach (var (name, read) in readers)
            {
                try
                {
                    read(new BinaryDecoder(input, StandardTypes.All));
                }
                catch (DecodingException e)
                {
                    e.Position.Should().BeInRange(0, input.Length, "a {0} reader cannot stop outside its input", name);
                }
            }
        }, iterations: 1500);
    }

    private static void HugeLengthFailsCheaply(string what, string prefix, int length, EncodingLimits limits, uint expected, Func<BinaryDecoder, object?> read)
    {
        // The declared length is followed by a few real bytes only.
        var wire = Hex(prefix).Concat(Encode(e => e.WriteInt32(length))).Concat(new byte[16]).ToArray();

        // Warm up so that the measurement sees the decoder, not the JIT's first-call allocations.
        Attempt();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var failure = Attempt();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        failure.StatusCode.Code.Should().Be(expected, "a {0} declared as {1} bytes: {2}", what, length, failure.Message);
        failure.Position.Should().Be(Hex(prefix).Length + 4, "the length is refused as soon as it is read");
        allocated.Should().BeLessThan(64 * 1024, "decoding must not allocate what a {0} length prefix claims", what);

        DecodingException Attempt()
        {
            try
            {
                read(new BinaryDecoder(wire, StandardTypes.All, limits));
            }
            catch (DecodingException e)
            {
                return e;
            }

            throw new Xunit.Sdk.XunitException($"A {what} declared as {length} bytes decoded.");
        }
    }

    internal static IEncodeable SampleMessage(string name) => name switch
    {
        "read" => new ReadResponse(
            new ResponseHeader(Now, 1, StringTable: ["x"]),
            [new DataValue(new Variant(1.5), default, Now, Now), new DataValue(new Variant("abc"), StatusCodes.BadDecodingError)],
            [null, new DiagnosticInfo(SymbolicId: 0, AdditionalInfo: "y")]),
        "publish" => new PublishResponse(
            new ResponseHeader(Now, 2),
            1,
            [5],
            false,
            new NotificationMessage(5, Now, [new ExtensionObject(new DataChangeNotification([new MonitoredItemNotification(1, new DataValue(new Variant(2.5f), default, Now, Now, 3, 4))], null))]),
            [StatusCode.Good],
            []),
        "session" => new CreateSessionResponse(
            new ResponseHeader(Now, 3),
            new NodeId(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"), 1),
            new NodeId(new byte[] { 1, 2, 3 }, 0),
            60000,
            new byte[4],
            null,
            [new EndpointDescription("opc.tcp://a:4840", new ApplicationDescription("urn:a", null, new LocalizedText("A", "en")), null, MessageSecurityMode.None, "none", [new UserTokenPolicy("anon")], "tcp", 1)],
            null,
            new SignatureData("alg", [9])),
        "browse" => new BrowseResponse(
            new ResponseHeader(Now, 4),
            [new BrowseResult(StatusCode.Good, [1], [new ReferenceDescription(new NodeId(35), true, new ExpandedNodeId(new NodeId("a", 2), "urn:b", 2), new QualifiedName("a", 2), new LocalizedText("a"), NodeClass.Variable, new ExpandedNodeId(new NodeId(63)))])],
            null),
        _ => new CallResponse(
            new ResponseHeader(Now, 5),
            [new CallMethodResult(StatusCode.Good, [StatusCode.Good], [null], [
                new Variant(new[] { new Variant(1), new Variant(new XmlElement("<x/>")) }),
                Variant.FromMatrix(BuiltInType.Int16, new short[] { 1, 2, 3, 4 }, [2, 2]),
                new Variant(new DataValue(new Variant(Guid.Empty))),
                new Variant(new QualifiedName("q", 1)),
                new Variant(new ExpandedNodeId(new NodeId(1), "u", 1)),
                new Variant(new ExtensionObject(new UaRange(0, 1))),
                new Variant(new DiagnosticInfo(InnerStatusCode: StatusCode.Good)),
            ])],
            null),
    };
}
