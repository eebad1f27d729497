using FluentAssertions.Equivalency;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// Service messages as they travel in a MSG chunk body (OPC 10000-6, 7.1.2 and 5.2.6): the NodeId
/// of the structure's DefaultBinary encoding, then its fields in order. Each message is written
/// with <see cref="BinaryEncoder.WriteMessage"/>, read back with <see cref="BinaryDecoder.ReadMessage"/>
/// and the <see cref="StandardTypes.All"/> table, and must come back equal and re-encode to the same bytes.
/// </summary>
public sealed class ServiceMessageRoundTripTests
{
    private static readonly DateTime Now = new(2024, 11, 28, 10, 30, 15, 123, DateTimeKind.Utc);

    [Fact]
    public void Read_request_round_trips_and_starts_with_its_encoding_id()
    {
        var request = new ReadRequest(
            new RequestHeader(new NodeId(Guid.Parse("0e6b2c4a-5d1f-4b3e-9a8c-7f6e5d4c3b2a"), 1), Now, RequestHandle: 42, TimeoutHint: 10_000),
            MaxAge: 0,
            TimestampsToReturn.Both,
            [
                new ReadValueId(new NodeId("Line1.Pump3.Speed", 2), AttributeIds.Value),
                new ReadValueId(new NodeId(2256), AttributeIds.Value, IndexRange: "0:3", DataEncoding: new QualifiedName("Default Binary")),
            ]);

        var wire = RoundTrip(request);
        wire.AsSpan(0, 4).ToArray().Should().Equal(Hex("01 00 77 02"), "ReadRequest's binary encoding is i=631");
    }

    [Fact]
    public void Read_response_with_values_of_several_types_and_diagnostics_round_trips()
    {
        var response = new ReadResponse(
            new ResponseHeader(Now, 42, StatusCode.Good, StringTable: ["Bad value", "en"]),
            [
                new DataValue(new Variant(1450.5), default, Now.AddSeconds(-1), Now),
                new DataValue(new Variant("Running"), default, Now, Now, SourcePicoseconds: 12),
                new DataValue(Variant.Null, StatusCodes.BadDecodingError),
                new DataValue(new Variant(new[] { 1, 2, 3 }), new StatusCode(0x40000000)),
                new DataValue(new Variant(new ExtensionObject(new BuildInfo("urn:f", "Factory", "Pump", "1.0", "7", Now)))),
            ],
            [null, null, new DiagnosticInfo(SymbolicId: 0, LocalizedText: 0, Locale: 1), null, null]);

        RoundTrip(response);
    }

    [Fact]
    public void Publish_response_with_a_data_change_notification_round_trips_with_the_notification_decoded()
    {
        var items = Enumerable.Range(1, 5)
            .Select(i => new MonitoredItemNotification((uint)i, new DataValue(new Variant(i * 1.25), default, Now, Now.AddTicks(i))))
            .ToArray();
        var response = new PublishResponse(
            new ResponseHeader(Now, 7),
            SubscriptionId: 3,
            AvailableSequenceNumbers: [11, 12],
            MoreNotifications: false,
            new NotificationMessage(12, Now, [new ExtensionObject(new DataChangeNotification(items, []))]),
            Results: [StatusCode.Good],
            DiagnosticInfos: []);

        RoundTrip(response);

        var decoded = (PublishResponse)Decode(Encode(e => e.WriteMessage(response)), d => d.ReadMessage(), StandardTypes.All);
        decoded.NotificationMessage.NotificationData![0].TryGetBody<DataChangeNotification>(out var notification).Should().BeTrue();
        notification!.MonitoredItems.Should().Equal(items);
    }

    [Fact]
    public void Publish_response_with_events_and_a_status_change_round_trips()
    {
        var response = new PublishResponse(
            new ResponseHeader(Now, 8),
            4,
            null,
            true,
            new NotificationMessage(13, Now,
            [
                new ExtensionObject(new EventNotificationList([new EventFieldList(5, [new Variant(new NodeId(2041)), new Variant(new LocalizedText("Overheat", "en")), new Variant((ushort)800)])])),
                new ExtensionObject(new StatusChangeNotification(StatusCodes.BadDecodingError, new DiagnosticInfo(AdditionalInfo: "lost"))),
            ]));

        RoundTrip(response);
    }

    [Fact]
    public void Create_session_response_with_endpoints_round_trips()
    {
        var server = new ApplicationDescription("urn:factory:plc", "urn:vendor:plc", new LocalizedText("PLC 7", "en"), ApplicationType.Server, DiscoveryUrls: ["opc.tcp://plc7:4840"]);
        var endpoints = new[]
        {
            new EndpointDescription("opc.tcp://plc7:4840", server, null, MessageSecurityMode.None, "http://opcfoundation.org/UA/SecurityPolicy#None",
                [new UserTokenPolicy("anonymous", UserTokenType.Anonymous), new UserTokenPolicy("user", UserTokenType.UserName, SecurityPolicyUri: "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256")],
                "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary", 0),
            new EndpointDescription("opc.tcp://plc7:4840", server, [0x30, 0x82, 0x01, 0x0A], MessageSecurityMode.SignAndEncrypt, "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
                [new UserTokenPolicy("cert", UserTokenType.Certificate)], "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary", 200),
        };
        var response = new CreateSessionResponse(
            new ResponseHeader(Now, 2),
            new NodeId(1001, 1),
            new NodeId(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }, 0),
            RevisedSessionTimeout: 1_200_000,
            ServerNonce: new byte[32],
            ServerCertificate: null,
            endpoints,
            ServerSoftwareCertificates: [],
            new SignatureData(null, null),
            MaxRequestMessageSize: 4 * 1024 * 1024);

        RoundTrip(response);
    }

    [Fact]
    public void Browse_response_with_references_and_a_continuation_point_round_trips()
    {
        var references = new[]
        {
            new ReferenceDescription(ReferenceTypeIds.Organizes, true, new ExpandedNodeId(new NodeId("Line1", 2)), new QualifiedName("Line1", 2), new LocalizedText("Line 1"), NodeClass.Object, new ExpandedNodeId(ObjectTypeIds.FolderType)),
            new ReferenceDescription(ReferenceTypeIds.HasComponent, true, new ExpandedNodeId(new NodeId(5), "urn:other", 1), new QualifiedName("Remote", 0), new LocalizedText("Remote", "en"), NodeClass.Variable, new ExpandedNodeId(VariableTypeIds.BaseDataVariableType)),
        };
        var response = new BrowseResponse(
            new ResponseHeader(Now, 3),
            [new BrowseResult(StatusCode.Good, [0xCA, 0xFE], references), new BrowseResult(new StatusCode(0x80340000), null, null)],
            null);

        RoundTrip(response);
    }

    [Fact]
    public void Null_and_empty_arrays_in_a_structure_stay_apart()
    {
        // 5.2.5: an array is its Int32 length (-1 for null) and its elements.
        var withNull = new WriteResponse(new ResponseHeader(Now), null, null);
        var withEmpty = new WriteResponse(new ResponseHeader(Now), [], []);

        var nullWire = Encode(e => e.WriteMessage(withNull));
        var emptyWire = Encode(e => e.WriteMessage(withEmpty));
        nullWire.AsSpan(nullWire.Length - 8).ToArray().Should().Equal(Hex("FF FF FF FF  FF FF FF FF"));
        emptyWire.AsSpan(emptyWire.Length - 8).ToArray().Should().Equal(Hex("00 00 00 00  00 00 00 00"));

        var decodedNull = (WriteResponse)Decode(nullWire, d => d.ReadMessage(), StandardTypes.All);
        decodedNull.Results.Should().BeNull();
        decodedNull.DiagnosticInfos.Should().BeNull();
        var decodedEmpty = (WriteResponse)Decode(emptyWire, d => d.ReadMessage(), StandardTypes.All);
        decodedEmpty.Results.Should().NotBeNull().And.BeEmpty();
        decodedEmpty.DiagnosticInfos.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public void Message_of_a_type_the_decoder_does_not_know_fails_naming_the_type()
    {
        var failure = DecodeFailure(Hex("03 02 00 01 00 00 00 58"), d => d.ReadMessage(), StandardTypes.All);
        failure.StatusCode.Code.Should().Be(StatusCodes.BadDecodingError);
        failure.Message.Should().Contain("ns=2;s=X");
    }

    private static byte[] RoundTrip<T>(T message)
        where T : IEncodeable
    {
        var wire = Encode(e => e.WriteMessage(message));
        var decoded = Decode(wire, d => d.ReadMessage(), StandardTypes.All);

        decoded.Should().BeOfType<T>().Which.Should().BeEquivalentTo(message, Structurally);
        Encode(e => e.WriteMessage(decoded)).Should().Equal(wire, "decoding then encoding gives back the same bytes");
        return wire;
    }

    /// <summary>
    /// Records and ExtensionObjects compare field by field (their own Equals compares arrays by
    /// reference); NodeId, Variant and the other value types keep their own equality.
    /// </summary>
    internal static EquivalencyAssertionOptions<T> Structurally<T>(EquivalencyAssertionOptions<T> options) =>
        options.ComparingRecordsByMembers().ComparingByMembers<ExtensionObject>().RespectingRuntimeTypes().WithStrictOrdering().AllowingInfiniteRecursion();
}
