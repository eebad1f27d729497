using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Tests.Loopback;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Transport;

/// <summary>
/// Malformed, truncated, oversized and random frames sent to our server end that connection with
/// the ERR status OPC 10000-6 (7.1.5, Table 77) prescribes, and no other session notices.
/// </summary>
public sealed class ServerBadInputTests : IAsyncLifetime
{
    private LoopbackServer _plant = null!;
    private UaClient _bystander = null!;

    public async Task InitializeAsync()
    {
        _plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, FrameTimeout = TimeSpan.FromSeconds(1) });
        _bystander = await _plant.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        // Every test ends by checking that the well-behaved session was not disturbed.
        var speed = await _bystander.ReadValueAsync(_plant.Speed);
        speed.Value.AsDouble().Should().Be(1450.0);
        await _bystander.DisposeAsync();
        await _plant.DisposeAsync();
    }

    [Fact]
    public async Task Unknown_message_type_gets_BadTcpMessageTypeInvalid()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.SendAsync(RawUaTcpConnection.Frame("XYZ", 'F', new byte[16]));

        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpMessageTypeInvalid);
        error.Reason.Should().Contain("not a UA TCP message type");
    }

    [Fact]
    public async Task First_message_other_than_hello_gets_BadTcpMessageTypeInvalid()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.SendAsync(RawUaTcpConnection.Frame("MSG", 'F', new byte[16]));

        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpMessageTypeInvalid);
        error.Reason.Should().Contain("must be HEL");
    }

    [Fact]
    public async Task Declared_size_of_two_gigabytes_is_refused_without_allocating_it()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await raw.SendAsync(RawUaTcpConnection.Frame("HEL", 'F', new byte[32], declaredSize: 0x7FFFFFFF));
        var error = await raw.ExpectErrorAndCloseAsync();

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpMessageTooLarge);
        allocated.Should().BeLessThan(16 * 1024 * 1024, "a hostile length prefix must cost nothing");
    }

    [Fact]
    public async Task Chunk_larger_than_the_negotiated_buffer_gets_BadTcpMessageTooLarge()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        var ack = await raw.OpenAsync(receiveBuffer: 8192);

        var body = new byte[ack.ReceiveBufferSize + 100];
        await raw.SendAsync(raw.Chunk("MSG", 'F', raw.ChannelId, raw.TokenId, 2, body));
        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpMessageTooLarge);
    }

    [Fact]
    public async Task Message_beyond_the_maximum_chunk_count_gets_BadTcpMessageTooLarge()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, Transport = TransportLimits.Default with { MaxChunkCount = 4 } });
        await using var raw = await RawUaTcpConnection.ConnectAsync(plant.Server.Port);
        await raw.OpenAsync();

        for (var i = 0; i < 5; i++)
        {
            await raw.SendAsync(raw.Chunk("MSG", 'C', raw.ChannelId, raw.TokenId, 7, new byte[1000]));
        }

        var error = await raw.ExpectErrorAndCloseAsync();
        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpMessageTooLarge);
        error.Reason.Should().Contain("more than 4 chunks");
    }

    [Fact]
    public async Task Truncated_hello_followed_by_end_of_stream_gets_BadDecodingError()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        var hello = RawUaTcpConnection.Hello();
        await raw.SendAsync(hello[..(hello.Length - 10)]);
        raw.ShutdownSend();

        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadDecodingError);
        error.Reason.Should().Contain("closed inside a HEL");
    }

    [Fact]
    public async Task Frame_that_stops_half_way_gets_BadTimeout_after_the_frame_timeout()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        var hello = RawUaTcpConnection.Hello();
        await raw.SendAsync(hello[..12]);

        var error = await raw.ExpectErrorAndCloseAsync(TimeSpan.FromSeconds(10));

        error.Error.CodeBits.Should().Be(StatusCodes.BadTimeout);
    }

    [Fact]
    public async Task Hello_with_buffers_below_the_minimum_gets_BadTcpNotEnoughResources()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.SendAsync(RawUaTcpConnection.Hello(receiveBuffer: 1024));

        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpNotEnoughResources);
    }

    [Fact]
    public async Task Hello_with_an_endpoint_url_over_4096_bytes_gets_BadTcpEndpointUrlInvalid()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.SendAsync(RawUaTcpConnection.Hello(url: "opc.tcp://" + new string('x', 5000)));

        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpEndpointUrlInvalid);
    }

    [Fact]
    public async Task Message_before_the_secure_channel_is_open_gets_BadTcpSecureChannelUnknown()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.SendAsync(RawUaTcpConnection.Hello());
        (await raw.ReadFrameAsync()).Type.Should().Be("ACK");

        await raw.SendAsync(raw.Chunk("MSG", 'F', 1, 1, 1, new byte[8]));
        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadTcpSecureChannelUnknown);
    }

    [Fact]
    public async Task Message_body_that_does_not_decode_gets_BadDecodingError()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.OpenAsync();

        // A ReadRequest whose NodesToRead array claims a billion elements.
        var body = RawUaTcpConnection.Body(new ReadRequest(new RequestHeader(), 0, TimestampsToReturn.Both, []));
        body[^4..].AsSpan().Clear();
        BitConverter.TryWriteBytes(body.AsSpan(body.Length - 4), 1_000_000_000);
        await raw.SendAsync(raw.Chunk("MSG", 'F', raw.ChannelId, raw.TokenId, 2, body));
        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().BeOneOf(StatusCodes.BadDecodingError, StatusCodes.BadEncodingLimitsExceeded);
        error.Reason.Should().Contain("request 2 could not be decoded");
    }

    [Fact]
    public async Task Sequence_number_out_of_order_gets_BadSequenceNumberInvalid()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.OpenAsync();

        var read = RawUaTcpConnection.Body(new ReadRequest(new RequestHeader(), 0, TimestampsToReturn.Both, [new ReadValueId(_plant.Speed, AttributeIds.Value)]));
        await raw.SendAsync(raw.Chunk("MSG", 'F', raw.ChannelId, raw.TokenId, 2, read, sequenceNumber: 77));
        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadSequenceNumberInvalid);
    }

    [Fact]
    public async Task Unknown_security_policy_gets_BadSecurityPolicyRejected()
    {
        await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
        await raw.SendAsync(RawUaTcpConnection.Hello());
        (await raw.ReadFrameAsync()).Type.Should().Be("ACK");

        using var encoder = new BinaryEncoder();
        encoder.WriteUInt32(0);
        new Security.AsymmetricSecurityHeader("http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256", null, null).Encode(encoder);
        encoder.WriteUInt32(1);
        encoder.WriteUInt32(1);
        encoder.WriteBytes(RawUaTcpConnection.Body(new OpenSecureChannelRequest(new RequestHeader(), 0, SecurityTokenRequestType.Issue, MessageSecurityMode.None, [], 60000)));
        await raw.SendAsync(RawUaTcpConnection.Frame("OPN", 'F', encoder.WrittenSpan));
        var error = await raw.ExpectErrorAndCloseAsync();

        error.Error.CodeBits.Should().Be(StatusCodes.BadSecurityPolicyRejected);
    }

    [Fact]
    public async Task Random_frames_each_end_their_own_connection_and_the_server_keeps_serving()
    {
        var random = new Random(20261128);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 200; i++)
        {
            await using var raw = await RawUaTcpConnection.ConnectAsync(_plant.Server.Port);
            var garbage = new byte[random.Next(1, 300)];
            random.NextBytes(garbage);
            if (i % 2 == 0 && garbage.Length >= 8)
            {
                // Half of them look like a HEL header with a random size, to get past the first check.
                "HELF"u8.CopyTo(garbage);
            }

            await raw.SendAsync(garbage);
            raw.ShutdownSend();
            string outcome;
            try
            {
                outcome = (await raw.ExpectErrorAndCloseAsync()).Error.Name;
            }
            catch (InvalidOperationException)
            {
                outcome = "closed";
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        outcomes.Keys.Should().BeSubsetOf(["BadTcpMessageTypeInvalid", "BadTcpMessageTooLarge", "BadDecodingError", "BadTcpNotEnoughResources", "BadTcpEndpointUrlInvalid"]);
        outcomes.Values.Sum().Should().Be(200);

        // The client sees the close as the server sends it; the server forgets the connection a moment
        // later, on its own task (CI once counted 5 left right after the last close).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (_plant.Server.ConnectionCount > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        _plant.Server.ConnectionCount.Should().BeLessThanOrEqualTo(1, "every broken connection is gone within 5 s; only the bystander's remains");
    }
}
