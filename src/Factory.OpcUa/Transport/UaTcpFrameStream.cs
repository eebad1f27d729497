using System.Buffers;
using System.Buffers.Binary;
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Transport;

/// <summary>
/// One frame of UA TCP: the 8-byte header (OPC 10000-6, 7.1.2.2) and the body that follows it,
/// held in a buffer rented from the shared pool. Dispose returns it.
/// </summary>
internal sealed class Frame : IDisposable
{
    private byte[]? _buffer;

    public Frame(uint messageType, byte chunkType, byte[] buffer, int bodyLength)
    {
        MessageType = messageType;
        ChunkType = chunkType;
        _buffer = buffer;
        BodyLength = bodyLength;
    }

    public uint MessageType { get; }
    public byte ChunkType { get; }
    public int BodyLength { get; }

    /// <summary>The bytes after the 8-byte header.</summary>
    public ReadOnlyMemory<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(Frame))).AsMemory(0, BodyLength);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// Reads and writes whole UA TCP frames on a byte stream. A header that names an unknown message
/// or chunk type, or a size beyond what this side agreed to receive, fails before the body is read,
/// so a hostile size costs no memory (OPC 10000-6, 7.1.2.2 and 7.1.5).
/// </summary>
internal sealed class UaTcpFrameStream : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[TcpMessageType.HeaderSize];
    private readonly TimeSpan _frameTimeout;

    public UaTcpFrameStream(Stream stream, TimeSpan frameTimeout)
    {
        _stream = stream;
        _frameTimeout = frameTimeout;
    }

    /// <summary>
    /// Reads the next frame. Waiting for a frame to start has no time limit; once its header has
    /// arrived, the rest must follow within the frame timeout.
    /// </summary>
    /// <exception cref="ServiceResultException">
    /// BadTcpMessageTypeInvalid, BadTcpMessageTooLarge, BadDecodingError (truncated), BadTimeout,
    /// or BadConnectionClosed when the peer closed the connection between frames.
    /// </exception>
    public async Task<Frame> ReadFrameAsync(uint maxFrameSize, CancellationToken cancellationToken)
    {
        var first = await _stream.ReadAsync(_header.AsMemory(0, TcpMessageType.HeaderSize), cancellationToken).ConfigureAwait(false);
        if (first == 0)
        {
            throw new ServiceResultException(StatusCodes.BadConnectionClosed, "the peer closed the connection");
        }

        using var frameDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        frameDeadline.CancelAfter(_frameTimeout);
        try
        {
            await ReadExactlyAsync(_header.AsMemory(first), "header", frameDeadline.Token).ConfigureAwait(false);
            var (messageType, chunkType, size) = ParseHeader(_header, maxFrameSize);
            var bodyLength = (int)size - TcpMessageType.HeaderSize;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bodyLength, 1));
            try
            {
                await ReadExactlyAsync(buffer.AsMemory(0, bodyLength), TcpMessageType.Name(messageType), frameDeadline.Token).ConfigureAwait(false);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }

            return new Frame(messageType, chunkType, buffer, bodyLength);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceResultException(StatusCodes.BadTimeout, $"a message did not arrive whole within {_frameTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Validates a frame header: known message type, a chunk type of F, C or A, a size within bounds.</summary>
    public static (uint MessageType, byte ChunkType, uint Size) ParseHeader(ReadOnlySpan<byte> header, uint maxFrameSize)
    {
        var messageType = (uint)(header[0] | (header[1] << 8) | (header[2] << 16));
        var chunkType = header[3];
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (messageType is not (TcpMessageType.Hello or TcpMessageType.Acknowledge or TcpMessageType.Error or
            TcpMessageType.OpenSecureChannel or TcpMessageType.Message or TcpMessageType.CloseSecureChannel or TcpMessageType.ReverseHello))
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"message type 0x{messageType:X6} is not a UA TCP message type");
        }

        if (chunkType is not (TcpMessageType.ChunkFinal or TcpMessageType.ChunkIntermediate or TcpMessageType.ChunkAbort))
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"chunk type 0x{chunkType:X2} of a {TcpMessageType.Name(messageType)} is not F, C or A");
        }

        if (size < TcpMessageType.HeaderSize)
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"a {TcpMessageType.Name(messageType)} declares {size} bytes, less than its own header");
        }

        if (size > maxFrameSize)
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTooLarge, $"a {TcpMessageType.Name(messageType)} chunk of {size} bytes exceeds the receive buffer of {maxFrameSize} bytes");
        }

        return (messageType, chunkType, size);
    }

    /// <summary>
    /// Writes bytes that hold one or more whole frames. The caller serialises writers: the
    /// secure channel does, because sequence numbers must go out in the order they were given.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(frames, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A single-chunk frame of <paramref name="messageType"/> with the body <paramref name="writeBody"/> writes.</summary>
    public static BinaryEncoder BuildFrame(uint messageType, Action<BinaryEncoder> writeBody)
    {
        var encoder = new BinaryEncoder(256);
        encoder.Reserve(TcpMessageType.HeaderSize);
        writeBody(encoder);
        WriteHeader(encoder, 0, messageType, TcpMessageType.ChunkFinal, encoder.Length);
        return encoder;
    }

    public static void WriteHeader(BinaryEncoder encoder, int at, uint messageType, byte chunkType, int size)
    {
        encoder.PatchUInt32(at, messageType | ((uint)chunkType << 24));
        encoder.PatchUInt32(at + 4, (uint)size);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new ServiceResultException(StatusCodes.BadDecodingError, $"the connection closed inside a {what}: {read} of {buffer.Length} bytes arrived");
            }

            read += n;
        }
    }
}
