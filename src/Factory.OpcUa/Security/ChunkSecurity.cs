using System.Buffers.Binary;
using System.Security.Cryptography;
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Security;

/// <summary>
/// How one side signs and encrypts chunks, and checks and decrypts the other's: with the
/// channel's derived keys (MSG, CLO) or with RSA keys (OPN).
/// </summary>
internal abstract class ChunkCipher(SecurityPolicy policy)
{
    public SecurityPolicy Policy { get; } = policy;

    public abstract int PlainBlockSize { get; }

    public abstract int CipherBlockSize { get; }

    public abstract int SignatureSize { get; }

    public abstract byte[] Sign(ReadOnlySpan<byte> data);

    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    public abstract byte[] Encrypt(ReadOnlySpan<byte> plain);

    public abstract byte[] Decrypt(ReadOnlySpan<byte> cipher);
}

/// <summary>HMAC-SHA256 and AES-CBC with one side's derived keys: the sender's own keys to send, the peer's keys to receive.</summary>
internal sealed class SymmetricChunkCipher(SecurityPolicy policy, DerivedKeys keys) : ChunkCipher(policy)
{
    public override int PlainBlockSize => SecurityPolicy.SymmetricBlockSize;

    public override int CipherBlockSize => SecurityPolicy.SymmetricBlockSize;

    public override int SignatureSize => SecurityPolicy.SymmetricSignatureLength;

    public override byte[] Sign(ReadOnlySpan<byte> data) => SecurityPolicy.SymmetricSign(keys.SigningKey, data);

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => SecurityPolicy.SymmetricVerify(keys.SigningKey, data, signature);

    public override byte[] Encrypt(ReadOnlySpan<byte> plain)
    {
        var data = plain.ToArray();
        Policy.SymmetricEncrypt(keys, data);
        return data;
    }

    public override byte[] Decrypt(ReadOnlySpan<byte> cipher)
    {
        var data = cipher.ToArray();
        Policy.SymmetricDecrypt(keys, data);
        return data;
    }
}

/// <summary>
/// RSA for OpenSecureChannel chunks: <paramref name="signingKey"/> is the sender's key (its private
/// key to send, its certificate's public key to receive); <paramref name="encryptionKey"/> the
/// receiver's (its certificate's public key to send, its private key to receive).
/// </summary>
internal sealed class AsymmetricChunkCipher(SecurityPolicy policy, RSA signingKey, RSA encryptionKey) : ChunkCipher(policy)
{
    public override int PlainBlockSize => Policy.AsymmetricPlainBlockSize(encryptionKey);

    public override int CipherBlockSize => SecurityPolicy.AsymmetricCipherBlockSize(encryptionKey);

    public override int SignatureSize => SecurityPolicy.AsymmetricCipherBlockSize(signingKey);

    public override byte[] Sign(ReadOnlySpan<byte> data) => Policy.AsymmetricSign(signingKey, data);

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => Policy.AsymmetricVerify(signingKey, data, signature);

    public override byte[] Encrypt(ReadOnlySpan<byte> plain) => Policy.AsymmetricEncrypt(encryptionKey, plain);

    public override byte[] Decrypt(ReadOnlySpan<byte> cipher) => Policy.AsymmetricDecrypt(encryptionKey, cipher);
}

/// <summary>
/// Signing and encryption of one chunk (OPC 10000-6, 6.7.2): the signature covers the chunk from
/// its message header to its padding; encryption covers it from the sequence header to the
/// signature, so the message header and security header stay readable. With encryption, padding
/// (a PaddingSize byte, that many bytes of its value, and an ExtraPaddingSize byte for RSA blocks
/// over 256 bytes) makes the encrypted part a whole number of blocks. The message header's size is
/// the chunk's size on the wire.
/// </summary>
internal static class ChunkSecurity
{
    /// <summary>Offset of the MessageSize field in the message header.</summary>
    private const int MessageSizeOffset = 4;

    /// <summary>
    /// The largest body a chunk of <paramref name="chunkSize"/> bytes carries after a prefix of
    /// <paramref name="sequenceHeaderOffset"/> + 8 bytes (sequence header), leaving room for padding and signature.
    /// </summary>
    public static int MaxBodySize(int chunkSize, int sequenceHeaderOffset, bool encrypt, ChunkCipher cipher)
    {
        if (!encrypt)
        {
            return chunkSize - sequenceHeaderOffset - 8 - cipher.SignatureSize;
        }

        var blocks = (chunkSize - sequenceHeaderOffset) / cipher.CipherBlockSize;
        var extra = cipher.PlainBlockSize > 256 ? 1 : 0;
        return (blocks * cipher.PlainBlockSize) - 8 - cipher.SignatureSize - 1 - extra;
    }

    /// <summary>
    /// Protects a chunk: <paramref name="plain"/> is the chunk as it would go unprotected (message
    /// header, channel id, security header, sequence header, body); the result is what goes on the wire.
    /// </summary>
    public static byte[] Protect(ReadOnlySpan<byte> plain, int sequenceHeaderOffset, bool encrypt, ChunkCipher cipher)
    {
        var padding = 0;
        var extra = false;
        if (encrypt)
        {
            (padding, extra) = SecurityPolicy.Padding(plain.Length - sequenceHeaderOffset, cipher.SignatureSize, cipher.PlainBlockSize);
        }

        var paddingBytes = encrypt ? 1 + padding + (extra ? 1 : 0) : 0;
        var signedLength = plain.Length + paddingBytes;
        var buffer = new byte[signedLength + cipher.SignatureSize];
        plain.CopyTo(buffer);
        if (encrypt)
        {
            buffer.AsSpan(plain.Length, 1 + padding).Fill((byte)(padding & 0xFF));
            if (extra)
            {
                buffer[plain.Length + 1 + padding] = (byte)(padding >> 8);
            }
        }

        var encryptedLength = buffer.Length - sequenceHeaderOffset;
        var wireLength = encrypt
            ? sequenceHeaderOffset + (encryptedLength / cipher.PlainBlockSize * cipher.CipherBlockSize)
            : buffer.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(MessageSizeOffset), (uint)wireLength);
        cipher.Sign(buffer.AsSpan(0, signedLength)).CopyTo(buffer.AsSpan(signedLength));
        if (!encrypt)
        {
            return buffer;
        }

        var wire = new byte[wireLength];
        buffer.AsSpan(0, sequenceHeaderOffset).CopyTo(wire);
        cipher.Encrypt(buffer.AsSpan(sequenceHeaderOffset)).CopyTo(wire.AsSpan(sequenceHeaderOffset));
        return wire;
    }

    /// <summary>
    /// Checks and opens a chunk as received: decrypts it, verifies its signature and padding, and
    /// returns the chunk as it was before protection (up to the end of its body).
    /// </summary>
    /// <exception cref="ServiceResultException">BadSecurityChecksFailed: the chunk does not decrypt, its signature or its padding is wrong.</exception>
    public static byte[] Unprotect(ReadOnlySpan<byte> wire, int sequenceHeaderOffset, bool encrypt, ChunkCipher cipher)
    {
        byte[] plain;
        if (encrypt)
        {
            if ((wire.Length - sequenceHeaderOffset) % cipher.CipherBlockSize != 0)
            {
                throw Failed($"its encrypted part has {wire.Length - sequenceHeaderOffset} bytes, not a whole number of {cipher.CipherBlockSize}-byte blocks");
            }

            byte[] decrypted;
            try
            {
                decrypted = cipher.Decrypt(wire[sequenceHeaderOffset..]);
            }
            catch (CryptographicException e)
            {
                throw Failed($"it does not decrypt: {e.Message}");
            }

            plain = new byte[sequenceHeaderOffset + decrypted.Length];
            wire[..sequenceHeaderOffset].CopyTo(plain);
            decrypted.CopyTo(plain.AsSpan(sequenceHeaderOffset));
        }
        else
        {
            plain = wire.ToArray();
        }

        var signedLength = plain.Length - cipher.SignatureSize;
        if (signedLength < sequenceHeaderOffset + 8 || !cipher.Verify(plain.AsSpan(0, signedLength), plain.AsSpan(signedLength)))
        {
            throw Failed("its signature is wrong");
        }

        if (!encrypt)
        {
            return plain[..signedLength];
        }

        var extra = cipher.PlainBlockSize > 256;
        var end = signedLength;
        var high = extra ? plain[--end] : 0;
        var low = plain[end - 1];
        var padding = (high << 8) | low;
        var bodyEnd = end - padding - 1;
        if (bodyEnd < sequenceHeaderOffset + 8 || plain.AsSpan(bodyEnd, padding + 1).ContainsAnyExcept(low))
        {
            throw Failed("its padding is wrong");
        }

        return plain[..bodyEnd];
    }

    private static ServiceResultException Failed(string why) => new(StatusCodes.BadSecurityChecksFailed, $"a chunk failed the security checks: {why}");
}
