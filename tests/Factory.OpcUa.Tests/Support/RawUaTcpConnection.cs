using System.Buffers.Binary;
using System.Net.Sockets;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Support;

/// <summary>
/// A hand-driven UA TCP connection for sending well-formed and deliberately broken frames
/// to a server and reading exactly what comes back (OPC 10000-6, 7.1.2).
/// </summary>
internal sealed class RawUaTcpConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private uint _sequenceNumber = 1;

    private RawUaTcpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public uint ChannelId { get; private set; }
    public uint TokenId { get; private set; }

    public static async Task<RawUaTcpConnection> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawUaTcpConnection(tcp);
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Closes our sending side only, so the server sees the end of the stream but can still answer.</summary>
    public void ShutdownSend() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public static byte[] Frame(string type, char chunk, ReadOnlySpan<byte> body, uint? declaredSize = null)
    {
        var frame = new byte[8 + body.Length];
        frame[0] = (byte)type[0];
        frame[1] = (byte)type[1];
        frame[2] = (byte)type[2];
        frame[3] = (byte)chunk;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), declaredSize ?? (uint)frame.Length);
        body.CopyTo(frame.AsSpan(8));
        return frame;
    }

    public static byte[] Hello(uint receiveBuffer = 65535, uint sendBuffer = 65535, uint maxMessage = 0, uint maxChunks = 0, string url = "opc.tcp://127.0.0.1/")
    {
        using var encoder = new BinaryEncoder();
        new HelloMessage(0, receiveBuffer, sendBuffer, maxMessage, maxChunks, url).Encode(encoder);
        return Frame("HEL", 'F', encoder.WrittenSpan);
    }

    /// <summary>HEL, ACK and OPN with SecurityPolicy None; afterwards MSG frames can be sent.</summary>
    public async Task<AcknowledgeMessage> OpenAsync(uint receiveBuffer = 65535)
    {
        await SendAsync(Hello(receiveBuffer: receiveBuffer));
        var ack = await ReadFrameAsync();
        ack.Type.Should().Be("ACK");
        var acknowledge = AcknowledgeMessage.Decode(new BinaryDecoder(ack.Body));

        var request = new OpenSecureChannelRequest(new RequestHeader(), 0, SecurityTokenRequestType.Issue, MessageSecurityMode.None, [], 60000);
        await SendAsync(Chunk("OPN", 'F', 0, null, 1, Body(request)));
        var opn = await ReadFrameAsync();
        opn.Type.Should().Be("OPN");
        var decoder = new BinaryDecoder(opn.Body, StandardTypes.All);
        ChannelId = decoder.ReadUInt32();
        AsymmetricSecurityHeader.Decode(decoder);
        decoder.ReadUInt32();
        decoder.ReadUInt32();
        var response = (OpenSecureChannelResponse)decoder.ReadMessage();
        TokenId = response.SecurityToken.TokenId;
        return acknowledge;
    }

    /// <summary>An OPN (asymmetric header, None) or MSG/CLO (token) chunk with the next sequence number.</summary>
    public byte[] Chunk(string type, char chunkType, uint channelId, uint? tokenId, uint requestId, ReadOnlySpan<byte> body, uint? sequenceNumber = null)
    {
        using var encoder = new BinaryEncoder();
        encoder.WriteUInt32(channelId);
        if (type == "OPN")
        {
            AsymmetricSecurityHeader.None.Encode(encoder);
        }
        else
        {
            encoder.WriteUInt32(tokenId ?? TokenId);
        }

        encoder.WriteUInt32(sequenceNumber ?? _sequenceNumber++);
        encoder.WriteUInt32(requestId);
        encoder.WriteBytes(body);
        return Frame(type, chunkType, encoder.WrittenSpan);
    }

    public byte[] Message(uint requestId, IEncodeable request) => Chunk("MSG", 'F', ChannelId, TokenId, requestId, Body(request));

    public static byte[] Body(IEncodeable message)
    {
        using var encoder = new BinaryEncoder();
        encoder.WriteMessage(message);
        return encoder.ToArray();
    }

    /// <summary>The next frame, or a frame of type "EOF" when the server closed the connection.</summary>
    public async Task<(string Type, char Chunk, byte[] Body)> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var header = new byte[8];
        if (!await ReadExactlyAsync(header, cts.Token))
        {
            return ("EOF", ' ', []);
        }

        var size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var body = new byte[size - 8];
        if (!await ReadExactlyAsync(body, cts.Token))
        {
            return ("EOF", ' ', []);
        }

        return (System.Text.Encoding.ASCII.GetString(header, 0, 3), (char)header[3], body);
    }

    /// <summary>Reads until an ERR arrives (returning its status) and then expects the connection to close.</summary>
    public async Task<ErrorMessage> ExpectErrorAndCloseAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeout);
            if (frame.Type == "EOF")
            {
                throw new InvalidOperationException("The server closed the connection without an ERR message.");
            }

            if (frame.Type != "ERR")
            {
                continue;
            }

            var error = ErrorMessage.Decode(new BinaryDecoder(frame.Body));
            var after = await ReadFrameAsync(TimeSpan.FromSeconds(5));
            after.Type.Should().Be("EOF", "the server must close the connection after an ERR");
            return error;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        try
        {
            while (read < buffer.Length)
            {
                var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }
        }
        catch (IOException)
        {
            return false;
        }

        return true;
    }
}
