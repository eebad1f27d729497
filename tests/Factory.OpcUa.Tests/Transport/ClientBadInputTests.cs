using System.Net;
using System.Net.Sockets;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Transport;

/// <summary>
/// A broken or hostile server: whatever it sends, our client fails the connection with a clear
/// status (OPC 10000-6, 7.1.5) instead of hanging, crashing or allocating what it is told to.
/// </summary>
public sealed class ClientBadInputTests
{
    [Fact]
    public async Task Error_answer_to_hello_is_reported_with_its_status_and_reason()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.ReadFrameAsync();
            await peer.SendAsync(RawUaTcpConnection.Frame("ERR", 'F', ErrorBody(StatusCodes.BadTcpServerTooBusy, "too many connections")));
        });

        var connect = () => UaClient.ConnectAsync(Options(server));

        var failure = await connect.Should().ThrowAsync<ServiceResultException>();
        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTcpServerTooBusy);
        failure.Which.Message.Should().Contain("too many connections");
    }

    [Fact]
    public async Task Unknown_message_type_is_BadTcpMessageTypeInvalid()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.ReadFrameAsync();
            await peer.SendAsync(RawUaTcpConnection.Frame("QQQ", 'F', new byte[20]));
        });

        var failure = await ((Func<Task>)(() => UaClient.ConnectAsync(Options(server)))).Should().ThrowAsync<ServiceResultException>();

        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTcpMessageTypeInvalid);
    }

    [Fact]
    public async Task Declared_size_of_two_gigabytes_is_refused_without_allocating_it()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.ReadFrameAsync();
            await peer.SendAsync(RawUaTcpConnection.Frame("ACK", 'F', new byte[20], declaredSize: 0x7FFFFFFF));
        });
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var failure = await ((Func<Task>)(() => UaClient.ConnectAsync(Options(server)))).Should().ThrowAsync<ServiceResultException>();

        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTcpMessageTooLarge);
        (GC.GetTotalAllocatedBytes(precise: true) - before).Should().BeLessThan(16 * 1024 * 1024);
    }

    [Fact]
    public async Task Acknowledge_with_buffers_beyond_what_was_offered_is_refused()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.ReadFrameAsync();
            using var ack = new BinaryEncoder();
            new AcknowledgeMessage(0, 1_000_000, 1_000_000, 0, 0).Encode(ack);
            await peer.SendAsync(RawUaTcpConnection.Frame("ACK", 'F', ack.WrittenSpan));
        });

        var failure = await ((Func<Task>)(() => UaClient.ConnectAsync(Options(server)))).Should().ThrowAsync<ServiceResultException>();

        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTcpInternalError);
    }

    [Fact]
    public async Task Response_that_does_not_decode_ends_the_channel_with_BadDecodingError()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.AcknowledgeAsync();
            await peer.ReadFrameAsync();

            // An OPN answer whose body is a truncated OpenSecureChannelResponse.
            using var encoder = new BinaryEncoder();
            encoder.WriteUInt32(5);
            AsymmetricSecurityHeader.None.Encode(encoder);
            encoder.WriteUInt32(1);
            encoder.WriteUInt32(peer.LastRequestId);
            encoder.WriteNodeId(OpenSecureChannelResponse.EncodingId);
            encoder.WriteInt64(0);
            await peer.SendAsync(RawUaTcpConnection.Frame("OPN", 'F', encoder.WrittenSpan));
        });

        var failure = await ((Func<Task>)(() => UaClient.ConnectAsync(Options(server)))).Should().ThrowAsync<ServiceResultException>();

        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadDecodingError);
    }

    [Fact]
    public async Task Server_closing_in_the_middle_of_a_frame_is_a_decoding_error_not_a_hang()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.ReadFrameAsync();
            var ack = RawUaTcpConnection.Frame("ACK", 'F', new byte[20]);
            await peer.SendAsync(ack[..15]);
            peer.Close();
        });

        var started = DateTime.UtcNow;
        var failure = await ((Func<Task>)(() => UaClient.ConnectAsync(Options(server)))).Should().ThrowAsync<ServiceResultException>();

        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadDecodingError);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Silent_server_times_out_with_BadTimeout()
    {
        await using var server = new ScriptedServer(async peer =>
        {
            await peer.ReadFrameAsync();
            await peer.WaitForCloseAsync();
        });

        var failure = await ((Func<Task>)(() => UaClient.ConnectAsync(Options(server) with { ConnectTimeout = TimeSpan.FromMilliseconds(500) }))).Should().ThrowAsync<ServiceResultException>();

        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTimeout);
    }

    private static ClientOptions Options(ScriptedServer server) => new()
    {
        EndpointUrl = $"opc.tcp://127.0.0.1:{server.Port}",
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private static byte[] ErrorBody(uint status, string reason)
    {
        using var encoder = new BinaryEncoder();
        new ErrorMessage(status, reason).Encode(encoder);
        return encoder.ToArray();
    }

    /// <summary>A one-connection server that runs a script against whatever connects.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public ScriptedServer(Func<Peer, Task> script)
        {
            _listener.Start();
            Port = ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;
            _run = Task.Run(async () =>
            {
                using var tcp = await _listener.AcceptTcpClientAsync();
                var peer = new Peer(tcp, _stop.Token);
                try
                {
                    await script(peer);
                    await peer.WaitForCloseAsync();
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The client gave up first, or the test is over.
                }
            });
        }

        public int Port { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _run;
            _stop.Dispose();
        }
    }

    private sealed class Peer(TcpClient tcp, CancellationToken stop)
    {
        private readonly NetworkStream _stream = tcp.GetStream();

        /// <summary>Reads and drops whatever the client sends until it closes the connection.</summary>
        public async Task WaitForCloseAsync()
        {
            var buffer = new byte[1024];
            while (await _stream.ReadAsync(buffer, stop) > 0)
            {
            }
        }

        public uint LastRequestId { get; private set; }

        public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

        public void Close() => tcp.Close();

        public async Task<(string Type, byte[] Body)> ReadFrameAsync()
        {
            var header = new byte[8];
            await _stream.ReadExactlyAsync(header, stop);
            var body = new byte[BitConverter.ToUInt32(header, 4) - 8];
            await _stream.ReadExactlyAsync(body, stop);
            var type = System.Text.Encoding.ASCII.GetString(header, 0, 3);
            if (type is "OPN" or "MSG")
            {
                var decoder = new BinaryDecoder(body);
                decoder.ReadUInt32();
                if (type == "OPN")
                {
                    AsymmetricSecurityHeader.Decode(decoder);
                }
                else
                {
                    decoder.ReadUInt32();
                }

                decoder.ReadUInt32();
                LastRequestId = decoder.ReadUInt32();
            }

            return (type, body);
        }

        public async Task AcknowledgeAsync()
        {
            await ReadFrameAsync();
            using var ack = new BinaryEncoder();
            new AcknowledgeMessage(0, 65535, 65535, 0, 0).Encode(ack);
            await SendAsync(RawUaTcpConnection.Frame("ACK", 'F', ack.WrittenSpan));
        }
    }
}
