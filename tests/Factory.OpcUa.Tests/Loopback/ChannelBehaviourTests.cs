using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Loopback;

/// <summary>
/// The secure channel and session between our client and our server: concurrency, chunking,
/// message size limits (OPC 10000-6, 6.7.2 and 7.1.2), token renewal (6.7.4) and keep-alive.
/// </summary>
public sealed class ChannelBehaviourTests
{
    [Fact]
    public async Task Many_requests_in_flight_are_each_answered_with_their_own_response()
    {
        await using var plant = await LoopbackServer.StartAsync();
        for (var i = 0; i < 200; i++)
        {
            plant.Server.AddressSpace.AddVariable(plant.Line, new NodeId($"Probe{i}", plant.Namespace), $"Probe{i}", DataTypeIds.Int32, new Variant(i * 7));
        }

        await using var client = await plant.ConnectAsync();

        var reads = Enumerable.Range(0, 200).Select(async i => (i, (await client.ReadValueAsync(new NodeId($"Probe{i}", plant.Namespace))).Value.AsInt32()));
        var results = await Task.WhenAll(reads);

        results.Should().OnlyContain(r => r.Item2 == r.i * 7);
    }

    [Fact]
    public async Task Messages_larger_than_the_buffers_are_split_into_chunks_both_ways()
    {
        var small = TransportLimits.Default with { ReceiveBufferSize = 8192, SendBufferSize = 8192 };
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, Transport = small });
        var node = new NodeId("Waveform", plant.Namespace);
        plant.Server.AddressSpace.AddVariable(plant.Line, node, "Waveform", DataTypeIds.Double, new Variant(Array.Empty<double>()), ValueRanks.OneDimension, AccessLevels.CurrentRead | AccessLevels.CurrentWrite);
        await using var client = await plant.ConnectAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl, Transport = small });
        var waveform = Enumerable.Range(0, 200_000).Select(i => Math.Sin(i / 100.0)).ToArray();

        var written = await client.WriteValueAsync(node, new Variant(waveform));
        var read = await client.ReadValueAsync(node);

        written.Should().Be(StatusCode.Good, "1.6 MB went to the server in about 200 chunks of 8 KB");
        ((double[])read.Value.Value!).Should().Equal(waveform, "and came back the same way");
    }

    [Fact]
    public async Task Request_beyond_the_servers_message_size_fails_before_sending_and_the_channel_lives_on()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, Transport = TransportLimits.Default with { MaxMessageSize = 64 * 1024 } });
        await using var client = await plant.ConnectAsync();

        var tooLarge = () => client.WriteValueAsync(plant.Setpoint, new Variant(new double[100_000]));

        (await tooLarge.Should().ThrowAsync<ServiceResultException>()).Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadRequestTooLarge);
        (await client.ReadValueAsync(plant.Speed)).Value.AsDouble().Should().Be(1450.0);
    }

    [Fact]
    public async Task Response_beyond_the_clients_message_size_is_aborted_and_the_channel_lives_on()
    {
        await using var plant = await LoopbackServer.StartAsync();
        var big = new NodeId("Snapshot", plant.Namespace);
        plant.Server.AddressSpace.AddVariable(plant.Line, big, "Snapshot", DataTypeIds.ByteString, new Variant(new byte[1024 * 1024]));
        await using var client = await plant.ConnectAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl, Transport = TransportLimits.Default with { MaxMessageSize = 64 * 1024 } });

        var read = () => client.ReadValueAsync(big);

        (await read.Should().ThrowAsync<ServiceResultException>()).Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadResponseTooLarge);
        (await client.ReadValueAsync(plant.Speed)).Value.AsDouble().Should().Be(1450.0);
    }

    [Fact]
    public async Task Security_token_is_renewed_at_75_percent_of_its_lifetime_while_requests_continue()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, MinSecureChannelLifetime = TimeSpan.FromSeconds(1) });
        // 2.4 s: renewed every 1.8 s, with 0.6 s to spare on a loaded machine (1.2 s, with 0.3 s, once was not enough in CI).
        await using var client = await plant.ConnectAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl, SecureChannelLifetime = TimeSpan.FromSeconds(2.4) });
        var tokens = new HashSet<uint>();
        var channel = client.SecureChannel.ChannelId;

        var until = DateTime.UtcNow.AddSeconds(6);
        var reads = 0;
        while (DateTime.UtcNow < until)
        {
            (await client.ReadValueAsync(plant.Speed)).StatusCode.Should().Be(StatusCode.Good);
            tokens.Add(client.SecureChannel.TokenId);
            reads++;
            await Task.Delay(20);
        }

        tokens.Count.Should().BeGreaterThanOrEqualTo(3, "a 2.4 s token is renewed every 1.8 s");
        client.SecureChannel.ChannelId.Should().Be(channel, "renewal keeps the channel");
        client.State.Should().Be(SessionState.Connected);
        reads.Should().BeGreaterThan(50);
    }

    [Fact]
    public async Task Idle_session_notices_a_silent_link_through_keep_alive_and_recovers_when_it_returns()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var proxy = new TcpProxy(plant.Server.Port);
        await using var client = await UaClient.ConnectAsync(new ClientOptions
        {
            EndpointUrl = proxy.EndpointUrl,
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });
        var states = new List<SessionState>();
        client.StateChanged += (_, e) =>
        {
            lock (states)
            {
                states.Add(e.State);
            }
        };

        proxy.Freeze();
        await WaitUntil(() => client.State == SessionState.Reconnecting, TimeSpan.FromSeconds(3));
        proxy.Thaw();
        await WaitUntil(() => client.State == SessionState.Connected, TimeSpan.FromSeconds(5));

        (await client.ReadValueAsync(plant.Speed)).Value.AsDouble().Should().Be(1450.0);
        states.Should().ContainInOrder(SessionState.Reconnecting, SessionState.Connected);
    }

    [Fact]
    public async Task Session_left_alone_longer_than_its_timeout_is_closed_by_the_server_and_the_client_makes_a_new_one()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, MinSessionTimeout = TimeSpan.FromMilliseconds(500) });
        await using var proxy = new TcpProxy(plant.Server.Port);
        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = proxy.EndpointUrl, SessionTimeout = TimeSpan.FromSeconds(1) });
        var firstSession = client.SessionId;

        proxy.Block(true);
        proxy.Cut();
        await WaitUntil(() => plant.Server.SessionCount == 0, TimeSpan.FromSeconds(5));
        proxy.Block(false);
        await WaitUntil(() => client.State == SessionState.Connected, TimeSpan.FromSeconds(5));

        client.SessionId.Should().NotBe(firstSession);
        (await client.ReadValueAsync(plant.Speed)).Value.AsDouble().Should().Be(1450.0);
    }

    [Fact]
    public async Task Server_refuses_sessions_beyond_its_limit_with_BadTooManySessions()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, MaxSessions = 2 });
        await using var first = await plant.ConnectAsync();
        await using var second = await plant.ConnectAsync();

        var third = () => plant.ConnectAsync();

        (await third.Should().ThrowAsync<ServiceResultException>()).Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTooManySessions);
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition was not met within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }
}
