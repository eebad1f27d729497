using System.Buffers;
using System.Buffers.Binary;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Transport;

namespace Factory.OpcUa.Security;

/// <summary>The security header of an OpenSecureChannel chunk (OPC 10000-6, 6.7.2.3).</summary>
internal sealed record AsymmetricSecurityHeader(string? SecurityPolicyUri, byte[]? SenderCertificate, byte[]? ReceiverCertificateThumbprint)
{
    public static readonly AsymmetricSecurityHeader None = new(SecurityPolicies.None, null, null);

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteString(SecurityPolicyUri);
        encoder.WriteByteString(SenderCertificate);
        encoder.WriteByteString(ReceiverCertificateThumbprint);
    }

    public static AsymmetricSecurityHeader Decode(BinaryDecoder decoder) =>
        new(decoder.ReadString(), decoder.ReadByteString(), decoder.ReadByteString());
}

/// <summary>A whole message received on a secure channel, or the abort of one; its body is pooled.</summary>
internal sealed class IncomingMessage : IDisposable
{
    private byte[]? _buffer;

    public IncomingMessage(uint messageType, uint secureChannelId, uint tokenId, AsymmetricSecurityHeader? securityHeader, uint requestId, byte[]? buffer, int length, ErrorMessage? abort)
    {
        MessageType = messageType;
        SecureChannelId = secureChannelId;
        TokenId = tokenId;
        SecurityHeader = securityHeader;
        RequestId = requestId;
        _buffer = buffer;
        Length = length;
        Abort = abort;
    }

    public uint MessageType { get; }
    public uint SecureChannelId { get; }

    /// <summary>The token of a MSG or CLO; 0 for an OPN.</summary>
    public uint TokenId { get; }

    /// <summary>The asymmetric security header of an OPN; null otherwise.</summary>
    public AsymmetricSecurityHeader? SecurityHeader { get; }

    public uint RequestId { get; }
    public int Length { get; }

    /// <summary>Set when the sender aborted the message (OPC 10000-6, 6.7.3).</summary>
    public ErrorMessage? Abort { get; }

    public ReadOnlyMemory<byte> Body => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

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
/// OPC UA Secure Conversation for one channel (OPC 10000-6, 6.7): splits messages into chunks
/// within the negotiated sizes, numbers them, and reassembles what arrives, enforcing the
/// receive limits, signing and encrypting chunks as <see cref="ChannelSecurity"/> says.
/// Not thread-safe for sending: the owner serialises <see cref="Seal"/> and the write that follows.
/// </summary>
internal sealed class SecureChannelCodec
{
    /// <summary>SecureChannelId (4), TokenId (4), SequenceNumber (4), RequestId (4).</summary>
    private const int SymmetricPrefix = TcpMessageType.HeaderSize + 16;

    /// <summary>Sequence numbers wrap after UInt32.MaxValue - 1024, back to below 1024 (6.7.2.4).</summary>
    private const uint SequenceWrapLimit = uint.MaxValue - 1024;

    private readonly Dictionary<uint, PartialMessage> _partials = [];
    private uint _nextSequenceNumber = 1;
    private uint? _lastReceivedSequenceNumber;

    public SecureChannelCodec(NegotiatedLimits limits) => Limits = limits;

    public NegotiatedLimits Limits { get; }

    /// <summary>How chunks are signed and encrypted: None until an OpenSecureChannel chooses a policy.</summary>
    public ChannelSecurity Security { get; set; } = ChannelSecurity.None;

    /// <summary>
    /// On a server: decides the security of an OPN chunk from its security header (the policy it
    /// names, the client's certificate), or throws why not. Null on a client, whose OPN responses
    /// must match <see cref="Security"/>.
    /// </summary>
    public Func<AsymmetricSecurityHeader, ChannelSecurity>? AcceptOpenSecurity { get; set; }

    /// <summary>
    /// Encodes a message body (its encoding id, then its fields) after room for the chunk prefix.
    /// Done outside the send lock; <see cref="Seal"/> then numbers and frames it.
    /// </summary>
    public static OutgoingMessage Encode(uint messageType, IEncodeable message, AsymmetricSecurityHeader? securityHeader)
    {
        var encoder = new BinaryEncoder(1024);
        var prefix = PrefixSize(messageType, securityHeader);
        encoder.Reserve(prefix);
        encoder.WriteMessage(message);
        return new OutgoingMessage(messageType, securityHeader, encoder, prefix);
    }

    /// <summary>
    /// Checks the message against the peer's limits, numbers its chunks, writes their headers and,
    /// unless the channel's security is None, signs and encrypts each chunk.
    /// Returns the bytes to write: all chunks of the message, back to back.
    /// </summary>
    /// <param name="tooLarge">BadRequestTooLarge for a client, BadResponseTooLarge for a server.</param>
    public ReadOnlyMemory<byte> Seal(OutgoingMessage message, uint secureChannelId, uint tokenId, uint requestId, StatusCode tooLarge)
    {
        var encoder = message.Encoder;
        var prefix = message.PrefixSize;
        var bodyLength = encoder.Length - prefix;
        if (Limits.MaxSendMessageSize != 0 && bodyLength > Limits.MaxSendMessageSize)
        {
            throw new ServiceResultException(tooLarge, $"the message has {bodyLength} bytes; the peer accepts at most {Limits.MaxSendMessageSize}");
        }

        var cipher = SendCipher(message.MessageType, tokenId, out var encrypt);
        var sequenceHeaderOffset = prefix - 8;
        var maxBodyPerChunk = cipher is null
            ? (int)Limits.SendBufferSize - prefix
            : ChunkSecurity.MaxBodySize((int)Limits.SendBufferSize, sequenceHeaderOffset, encrypt, cipher);
        var chunkCount = Math.Max(1, (bodyLength + maxBodyPerChunk - 1) / maxBodyPerChunk);
        if (Limits.MaxSendChunkCount != 0 && chunkCount > Limits.MaxSendChunkCount)
        {
            throw new ServiceResultException(tooLarge, $"the message needs {chunkCount} chunks; the peer accepts at most {Limits.MaxSendChunkCount}");
        }

        if (chunkCount == 1 && cipher is null)
        {
            WritePrefix(encoder, 0, message, TcpMessageType.ChunkFinal, encoder.Length, secureChannelId, tokenId, requestId);
            return encoder.WrittenMemory;
        }

        var chunks = new BinaryEncoder(bodyLength + (chunkCount * (prefix + 64)));
        message.AttachChunks(chunks);
        var body = encoder.WrittenSpan[prefix..];
        for (var i = 0; i < chunkCount; i++)
        {
            var part = body.Slice(i * maxBodyPerChunk, Math.Min(maxBodyPerChunk, body.Length - (i * maxBodyPerChunk)));
            var chunkType = i == chunkCount - 1 ? TcpMessageType.ChunkFinal : TcpMessageType.ChunkIntermediate;
            if (cipher is null)
            {
                var at = chunks.Reserve(prefix);
                chunks.WriteBytes(part);
                WritePrefix(chunks, at, message, chunkType, prefix + part.Length, secureChannelId, tokenId, requestId);
            }
            else
            {
                using var plain = new BinaryEncoder(prefix + part.Length);
                plain.Reserve(prefix);
                plain.WriteBytes(part);
                WritePrefix(plain, 0, message, chunkType, plain.Length, secureChannelId, tokenId, requestId);
                chunks.WriteBytes(ChunkSecurity.Protect(plain.WrittenSpan, sequenceHeaderOffset, encrypt, cipher));
            }
        }

        return chunks.WrittenMemory;
    }

    /// <summary>An abort chunk for a message whose earlier chunks were sent (6.7.3), secured as the channel's chunks are.</summary>
    public ReadOnlyMemory<byte> SealAbort(BinaryEncoder encoder, uint messageType, uint secureChannelId, uint tokenId, uint requestId, ErrorMessage error)
    {
        var outgoing = new OutgoingMessage(messageType, messageType == TcpMessageType.OpenSecureChannel ? Security.Header : null, encoder, 0);
        var prefix = PrefixSize(messageType, outgoing.SecurityHeader);
        var at = encoder.Reserve(prefix);
        error.Encode(encoder);
        WritePrefix(encoder, at, outgoing, TcpMessageType.ChunkAbort, encoder.Length - at, secureChannelId, tokenId, requestId);
        var cipher = SendCipher(messageType, tokenId, out var encrypt);
        return cipher is null
            ? encoder.WrittenMemory
            : ChunkSecurity.Protect(encoder.WrittenSpan[at..], prefix - 8, encrypt, cipher);
    }

    /// <summary>
    /// Takes one OPN, MSG or CLO chunk. Returns the whole message when this chunk completes it
    /// (or aborts it), null while more chunks are due.
    /// </summary>
    /// <exception cref="ServiceResultException">
    /// The chunk breaks the protocol: bad header, sequence number out of order, too many chunks
    /// or too many bytes for one message. The channel must then be closed with that status.
    /// </exception>
    public IncomingMessage? Receive(Frame frame)
    {
        var decoder = new BinaryDecoder(frame.Body);
        uint secureChannelId;
        uint tokenId = 0;
        AsymmetricSecurityHeader? securityHeader = null;
        try
        {
            secureChannelId = decoder.ReadUInt32();
            if (frame.MessageType == TcpMessageType.OpenSecureChannel)
            {
                securityHeader = AsymmetricSecurityHeader.Decode(decoder);
            }
            else
            {
                tokenId = decoder.ReadUInt32();
            }
        }
        catch (DecodingException e)
        {
            throw new ServiceResultException(StatusCodes.BadDecodingError, $"a {TcpMessageType.Name(frame.MessageType)} chunk is too short for its headers", e);
        }

        var securityHeaderEnd = decoder.Position;
        ChunkCipher? cipher;
        bool encrypt;
        if (securityHeader is not null)
        {
            // An OPN chooses the channel's security (the first) or must keep it (a renewal).
            var security = AcceptOpenSecurity is { } accept
                ? accept(securityHeader)
                : Security.Matches(securityHeader)
                    ? Security
                    : throw new ServiceResultException(StatusCodes.BadSecurityChecksFailed, $"an OPN chunk names policy '{securityHeader.SecurityPolicyUri}' or a sender certificate other than the channel's");
            cipher = security.AsymmetricReceive;
            encrypt = true;
        }
        else
        {
            cipher = Security.ReceiveCipher(tokenId);
            encrypt = Security.EncryptsMessages;
        }

        var body = frame.Body;
        if (cipher is not null)
        {
            var wire = new byte[TcpMessageType.HeaderSize + frame.BodyLength];
            BinaryPrimitives.WriteUInt32LittleEndian(wire, frame.MessageType | ((uint)frame.ChunkType << 24));
            BinaryPrimitives.WriteUInt32LittleEndian(wire.AsSpan(4), (uint)wire.Length);
            frame.Body.Span.CopyTo(wire.AsSpan(TcpMessageType.HeaderSize));
            body = ChunkSecurity.Unprotect(wire, TcpMessageType.HeaderSize + securityHeaderEnd, encrypt, cipher).AsMemory(TcpMessageType.HeaderSize);
        }

        if (body.Length < securityHeaderEnd + 8)
        {
            throw new ServiceResultException(StatusCodes.BadDecodingError, $"a {TcpMessageType.Name(frame.MessageType)} chunk is too short for its headers");
        }

        var sequenceNumber = BinaryPrimitives.ReadUInt32LittleEndian(body.Span[securityHeaderEnd..]);
        var requestId = BinaryPrimitives.ReadUInt32LittleEndian(body.Span[(securityHeaderEnd + 4)..]);
        CheckSequenceNumber(sequenceNumber);
        var partMemory = body[(securityHeaderEnd + 8)..];
        var part = partMemory.Span;

        if (frame.ChunkType == TcpMessageType.ChunkAbort)
        {
            RemovePartial(requestId);
            ErrorMessage error;
            try
            {
                error = ErrorMessage.Decode(new BinaryDecoder(partMemory));
            }
            catch (DecodingException e)
            {
                throw new ServiceResultException(StatusCodes.BadDecodingError, "an abort chunk has no valid error", e);
            }

            return new IncomingMessage(frame.MessageType, secureChannelId, tokenId, securityHeader, requestId, null, 0, error);
        }

        if (!_partials.TryGetValue(requestId, out var partial))
        {
            if (frame.ChunkType == TcpMessageType.ChunkFinal)
            {
                // The common case: a message in one chunk.
                CheckMessageSize(part.Length, 1);
                var single = ArrayPool<byte>.Shared.Rent(Math.Max(part.Length, 1));
                part.CopyTo(single);
                return new IncomingMessage(frame.MessageType, secureChannelId, tokenId, securityHeader, requestId, single, part.Length, null);
            }

            partial = new PartialMessage(frame.MessageType);
            _partials[requestId] = partial;
        }
        else if (partial.MessageType != frame.MessageType)
        {
            RemovePartial(requestId);
            throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"request {requestId} mixes {TcpMessageType.Name(partial.MessageType)} and {TcpMessageType.Name(frame.MessageType)} chunks");
        }

        try
        {
            CheckMessageSize(partial.Length + part.Length, partial.ChunkCount + 1);
        }
        catch
        {
            RemovePartial(requestId);
            throw;
        }

        partial.Append(part);
        if (frame.ChunkType == TcpMessageType.ChunkIntermediate)
        {
            return null;
        }

        _partials.Remove(requestId);
        var (buffer, length) = partial.Detach();
        return new IncomingMessage(frame.MessageType, secureChannelId, tokenId, securityHeader, requestId, buffer, length, null);
    }

    /// <summary>Returns every buffer held for unfinished messages (when the channel closes).</summary>
    public void Reset()
    {
        foreach (var partial in _partials.Values)
        {
            partial.Dispose();
        }

        _partials.Clear();
    }

    private ChunkCipher? SendCipher(uint messageType, uint tokenId, out bool encrypt)
    {
        if (messageType == TcpMessageType.OpenSecureChannel)
        {
            encrypt = true;
            return Security.AsymmetricSend;
        }

        encrypt = Security.EncryptsMessages;
        return Security.SendCipher(tokenId);
    }

    private static int PrefixSize(uint messageType, AsymmetricSecurityHeader? securityHeader)
    {
        if (messageType != TcpMessageType.OpenSecureChannel)
        {
            return SymmetricPrefix;
        }

        using var header = new BinaryEncoder(256);
        (securityHeader ?? AsymmetricSecurityHeader.None).Encode(header);
        return TcpMessageType.HeaderSize + 4 + header.Length + 8;
    }

    private void WritePrefix(BinaryEncoder encoder, int at, OutgoingMessage message, byte chunkType, int chunkSize, uint secureChannelId, uint tokenId, uint requestId)
    {
        UaTcpFrameStream.WriteHeader(encoder, at, message.MessageType, chunkType, chunkSize);
        encoder.PatchUInt32(at + 8, secureChannelId);
        var offset = at + 12;
        if (message.MessageType == TcpMessageType.OpenSecureChannel)
        {
            using var header = new BinaryEncoder(256);
            (message.SecurityHeader ?? AsymmetricSecurityHeader.None).Encode(header);
            encoder.Patch(offset, header.WrittenSpan);
            offset += header.Length;
        }
        else
        {
            encoder.PatchUInt32(offset, tokenId);
            offset += 4;
        }

        encoder.PatchUInt32(offset, NextSequenceNumber());
        encoder.PatchUInt32(offset + 4, requestId);
    }

    private uint NextSequenceNumber()
    {
        var number = _nextSequenceNumber;
        _nextSequenceNumber = number >= SequenceWrapLimit ? 1 : number + 1;
        return number;
    }

    private void CheckSequenceNumber(uint sequenceNumber)
    {
        var last = _lastReceivedSequenceNumber;
        _lastReceivedSequenceNumber = sequenceNumber;
        if (last is null)
        {
            return;
        }

        var expected = last.Value + 1;
        var wrapped = last.Value >= SequenceWrapLimit && sequenceNumber < 1024;
        if (sequenceNumber != expected && !wrapped)
        {
            throw new ServiceResultException(StatusCodes.BadSequenceNumberInvalid, $"chunk sequence number {sequenceNumber} follows {last.Value}");
        }
    }

    private void CheckMessageSize(int length, int chunkCount)
    {
        if (Limits.MaxReceiveMessageSize != 0 && length > Limits.MaxReceiveMessageSize)
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTooLarge, $"a message grew beyond the limit of {Limits.MaxReceiveMessageSize} bytes");
        }

        if (Limits.MaxReceiveChunkCount != 0 && chunkCount > Limits.MaxReceiveChunkCount)
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTooLarge, $"a message has more than {Limits.MaxReceiveChunkCount} chunks");
        }
    }

    private void RemovePartial(uint requestId)
    {
        if (_partials.Remove(requestId, out var partial))
        {
            partial.Dispose();
        }
    }

    private sealed class PartialMessage(uint messageType) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

        public uint MessageType { get; } = messageType;
        public int Length { get; private set; }
        public int ChunkCount { get; private set; }

        public void Append(ReadOnlySpan<byte> part)
        {
            if (_buffer.Length - Length < part.Length)
            {
                var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + part.Length));
                _buffer.AsSpan(0, Length).CopyTo(next);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = next;
            }

            part.CopyTo(_buffer.AsSpan(Length));
            Length += part.Length;
            ChunkCount++;
        }

        public (byte[] Buffer, int Length) Detach()
        {
            var buffer = _buffer;
            _buffer = [];
            return (buffer, Length);
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }
    }
}

/// <summary>An encoded message waiting to be numbered and framed; owns its buffers.</summary>
internal sealed class OutgoingMessage(uint messageType, AsymmetricSecurityHeader? securityHeader, BinaryEncoder encoder, int prefixSize) : IDisposable
{
    private BinaryEncoder? _chunks;

    public uint MessageType { get; } = messageType;
    public AsymmetricSecurityHeader? SecurityHeader { get; } = securityHeader;
    public BinaryEncoder Encoder { get; } = encoder;
    public int PrefixSize { get; } = prefixSize;

    public void AttachChunks(BinaryEncoder chunks) => _chunks = chunks;

    public void Dispose()
    {
        Encoder.Dispose();
        _chunks?.Dispose();
    }
}
