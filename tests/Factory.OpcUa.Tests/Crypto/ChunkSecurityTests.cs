using System.Buffers.Binary;
using System.Security.Cryptography;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;

namespace Factory.OpcUa.Tests.Crypto;

/// <summary>Chunks signed, and signed and encrypted, with derived keys (MSG) and RSA keys (OPN).</summary>
public sealed class ChunkSecurityTests
{
    /// <summary>Message header (8), channel id (4), token id (4): where a MSG chunk's sequence header starts.</summary>
    private const int SymmetricSequenceOffset = 16;

    public static TheoryData<string, bool, int> SymmetricCases()
    {
        var cases = new TheoryData<string, bool, int>();
        foreach (var policy in SecurityPolicy.All)
        {
            foreach (var encrypt in new[] { false, true })
            {
                foreach (var body in new[] { 0, 1, 15, 16, 100, 8000 })
                {
                    cases.Add(policy.Name, encrypt, body);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(SymmetricCases))]
    public void A_message_chunk_comes_back_as_sent_and_its_size_is_its_size_on_the_wire(string name, bool encrypt, int body)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        var (client, _) = policy.DeriveKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var plain = Chunk(SymmetricSequenceOffset, body);

        var wire = ChunkSecurity.Protect(plain, SymmetricSequenceOffset, encrypt, new SymmetricChunkCipher(policy, client));

        BinaryPrimitives.ReadUInt32LittleEndian(wire.AsSpan(4)).Should().Be((uint)wire.Length);
        wire.AsSpan(0, 4).ToArray().Should().Equal(plain[..4], "the message header stays readable");
        wire.AsSpan(8, 8).ToArray().Should().Equal(plain[8..16], "and the channel and token ids");
        if (encrypt)
        {
            ((wire.Length - SymmetricSequenceOffset) % 16).Should().Be(0);
            wire.AsSpan(SymmetricSequenceOffset, 8).SequenceEqual(plain.AsSpan(SymmetricSequenceOffset, 8)).Should().BeFalse("the sequence header is encrypted");
        }
        else
        {
            wire.Length.Should().Be(plain.Length + 32, "signed only: the HMAC appended");
        }

        var opened = ChunkSecurity.Unprotect(wire, SymmetricSequenceOffset, encrypt, new SymmetricChunkCipher(policy, client));
        opened.AsSpan(8).ToArray().Should().Equal(plain[8..]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_flipped_byte_anywhere_or_the_wrong_keys_fail_the_checks(bool encrypt)
    {
        var policy = SecurityPolicy.Basic256Sha256;
        var (client, server) = policy.DeriveKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var wire = ChunkSecurity.Protect(Chunk(SymmetricSequenceOffset, 300), SymmetricSequenceOffset, encrypt, new SymmetricChunkCipher(policy, client));

        foreach (var at in new[] { 0, 9, SymmetricSequenceOffset, 100, wire.Length - 1 })
        {
            var tampered = wire.ToArray();
            tampered[at] ^= 0x40;
            Fails(() => ChunkSecurity.Unprotect(tampered, SymmetricSequenceOffset, encrypt, new SymmetricChunkCipher(policy, client)));
        }

        Fails(() => ChunkSecurity.Unprotect(wire, SymmetricSequenceOffset, encrypt, new SymmetricChunkCipher(policy, server)));
        Fails(() => ChunkSecurity.Unprotect(wire.AsSpan(0, wire.Length - 5), SymmetricSequenceOffset, encrypt, new SymmetricChunkCipher(policy, client)));
    }

    [Theory]
    [InlineData("Basic256Sha256", 2048, 0)]
    [InlineData("Basic256Sha256", 2048, 1500)]
    [InlineData("Aes128_Sha256_RsaOaep", 2048, 700)]
    [InlineData("Aes256_Sha256_RsaPss", 2048, 700)]
    [InlineData("Aes256_Sha256_RsaPss", 4096, 1500)]
    [InlineData("Basic256Sha256", 4096, 3)]
    public void An_open_secure_channel_chunk_is_signed_by_the_sender_and_encrypted_for_the_receiver(string name, int receiverBits, int body)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        using var sender = RSA.Create(2048);
        using var receiver = RSA.Create(receiverBits);
        using var senderPublic = RSA.Create(sender.ExportParameters(false));
        using var receiverPublic = RSA.Create(receiver.ExportParameters(false));
        const int sequenceOffset = 120; // an asymmetric security header of some length
        var plain = Chunk(sequenceOffset, body);

        var wire = ChunkSecurity.Protect(plain, sequenceOffset, encrypt: true, new AsymmetricChunkCipher(policy, sender, receiverPublic));

        BinaryPrimitives.ReadUInt32LittleEndian(wire.AsSpan(4)).Should().Be((uint)wire.Length);
        ((wire.Length - sequenceOffset) % (receiverBits / 8)).Should().Be(0);
        ChunkSecurity.Unprotect(wire, sequenceOffset, encrypt: true, new AsymmetricChunkCipher(policy, senderPublic, receiver)).AsSpan(8).ToArray().Should().Equal(plain[8..]);

        using var stranger = RSA.Create(2048);
        Fails(() => ChunkSecurity.Unprotect(wire, sequenceOffset, encrypt: true, new AsymmetricChunkCipher(policy, stranger, receiver)), "signed by someone else");
        var tampered = wire.ToArray();
        tampered[^1] ^= 1;
        Fails(() => ChunkSecurity.Unprotect(tampered, sequenceOffset, encrypt: true, new AsymmetricChunkCipher(policy, senderPublic, receiver)));
    }

    [Fact]
    public void The_largest_body_fills_a_chunk_to_its_size()
    {
        var policy = SecurityPolicy.Aes256Sha256RsaPss;
        var (keys, _) = policy.DeriveKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var cipher = new SymmetricChunkCipher(policy, keys);
        foreach (var encrypt in new[] { false, true })
        {
            var body = ChunkSecurity.MaxBodySize(8192, SymmetricSequenceOffset, encrypt, cipher);
            var wire = ChunkSecurity.Protect(Chunk(SymmetricSequenceOffset, body), SymmetricSequenceOffset, encrypt, cipher);
            wire.Length.Should().BeLessThanOrEqualTo(8192).And.BeGreaterThan(8192 - 16 - 1);
            ChunkSecurity.Protect(Chunk(SymmetricSequenceOffset, body + 1 + (encrypt ? 15 : 0)), SymmetricSequenceOffset, encrypt, cipher).Length.Should().BeGreaterThan(8192);
        }
    }

    private static void Fails(Action open, string because = "")
    {
        var refusal = FluentActions.Invoking(open).Should().Throw<ServiceResultException>(because).Which;
        refusal.StatusCode.Code.Should().Be(StatusCodes.BadSecurityChecksFailed);
        refusal.Message.Should().StartWith("BadSecurityChecksFailed: a chunk failed the security checks: ");
    }

    /// <summary>A plain chunk: "MSGF", a size, header bytes up to the sequence header, a sequence header and a random body.</summary>
    private static byte[] Chunk(int sequenceOffset, int body)
    {
        var chunk = RandomNumberGenerator.GetBytes(sequenceOffset + 8 + body);
        "MSGF"u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)chunk.Length);
        return chunk;
    }
}
