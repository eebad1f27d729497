using System.Buffers.Binary;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Tests.Loopback;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Transport;

/// <summary>
/// Renewing a security token on the wire (OPC 10000-4, 5.6.2.1; OPC 10000-6, 6.7.4): the server
/// accepts the old token until the client uses the new one, and secures what it sends with the
/// old token until then, so that a client still reading responses with the old token in mind
/// never meets a token it has not seen used.
/// </summary>
public sealed class TokenRenewalTests
{
    [Fact]
    public async Task The_server_keeps_securing_responses_with_the_old_token_until_the_client_uses_the_new_one()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var raw = await RawUaTcpConnection.ConnectAsync(plant.Server.Port);
        await raw.OpenAsync();
        var oldToken = raw.TokenId;

        var renew = new OpenSecureChannelRequest(new RequestHeader(), 0, SecurityTokenRequestType.Renew, MessageSecurityMode.None, [], 60000);
        await raw.SendAsync(raw.Chunk("OPN", 'F', raw.ChannelId, null, 2, RawUaTcpConnection.Body(renew)));
        var newToken = TokenOfOpenResponse(await raw.ReadFrameAsync());
        newToken.Should().NotBe(oldToken);

        await raw.SendAsync(raw.Chunk("MSG", 'F', raw.ChannelId, oldToken, 3, RawUaTcpConnection.Body(Endpoints(plant))));
        TokenOf(await raw.ReadFrameAsync()).Should().Be(oldToken, "the client has not used the new token yet");

        await raw.SendAsync(raw.Chunk("MSG", 'F', raw.ChannelId, newToken, 4, RawUaTcpConnection.Body(Endpoints(plant))));
        TokenOf(await raw.ReadFrameAsync()).Should().Be(newToken, "the client uses the new token: so does the server");

        await raw.SendAsync(raw.Chunk("MSG", 'F', raw.ChannelId, oldToken, 5, RawUaTcpConnection.Body(Endpoints(plant))));
        (await raw.ExpectErrorAndCloseAsync()).Error.CodeBits.Should().Be(StatusCodes.BadSecureChannelTokenUnknown, "the old token ends once the new one is used");
    }

    private static GetEndpointsRequest Endpoints(LoopbackServer plant) => new(new RequestHeader(), plant.EndpointUrl, [], []);

    private static uint TokenOf((string Type, char Chunk, byte[] Body) frame)
    {
        frame.Type.Should().Be("MSG");
        return BinaryPrimitives.ReadUInt32LittleEndian(frame.Body.AsSpan(4));
    }

    private static uint TokenOfOpenResponse((string Type, char Chunk, byte[] Body) frame)
    {
        frame.Type.Should().Be("OPN");
        var decoder = new BinaryDecoder(frame.Body, StandardTypes.All);
        decoder.ReadUInt32();
        AsymmetricSecurityHeader.Decode(decoder);
        decoder.ReadUInt32();
        decoder.ReadUInt32();
        return ((OpenSecureChannelResponse)decoder.ReadMessage()).SecurityToken.TokenId;
    }
}
