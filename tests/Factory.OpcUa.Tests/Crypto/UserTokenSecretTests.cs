using System.Buffers.Binary;
using System.Security.Cryptography;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;

namespace Factory.OpcUa.Tests.Crypto;

/// <summary>A user name token's password, encrypted for the server with its last nonce.</summary>
public sealed class UserTokenSecretTests
{
    [Theory]
    [InlineData("Basic256Sha256")]
    [InlineData("Aes128_Sha256_RsaOaep")]
    [InlineData("Aes256_Sha256_RsaPss")]
    public void The_server_reads_the_password_only_with_its_key_and_its_last_nonce(string name)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        using var server = RSA.Create(2048);
        using var serverPublic = RSA.Create(server.ExportParameters(false));
        var nonce = RandomNumberGenerator.GetBytes(32);

        var encrypted = UserTokenSecret.Encrypt(policy, serverPublic, "Pässwort-of-the-line-1", nonce);

        encrypted.Should().HaveCount(256);
        UserTokenSecret.Decrypt(policy, server, encrypted, nonce).Should().Be("Pässwort-of-the-line-1");
        Invalid(() => UserTokenSecret.Decrypt(policy, server, encrypted, RandomNumberGenerator.GetBytes(32))).Should().Contain("does not end with the server's last nonce");
        using var other = RSA.Create(2048);
        Invalid(() => UserTokenSecret.Decrypt(policy, other, encrypted, nonce)).Should().Contain("does not decrypt with the server's key");

        // A length that claims more than there is.
        var plain = new byte[40];
        BinaryPrimitives.WriteInt32LittleEndian(plain, 1000);
        Invalid(() => UserTokenSecret.Decrypt(policy, server, policy.AsymmetricEncrypt(serverPublic, plain), nonce)).Should().Contain("says it holds 1000 bytes; it holds 36");
    }

    [Fact]
    public void A_long_password_spans_several_rsa_blocks()
    {
        using var server = RSA.Create(2048);
        var nonce = RandomNumberGenerator.GetBytes(32);
        var password = new string('x', 500);

        var encrypted = UserTokenSecret.Encrypt(SecurityPolicy.Basic256Sha256, server, password, nonce);

        encrypted.Should().HaveCount(3 * 256, "4 + 500 + 32 bytes in blocks of 214");
        UserTokenSecret.Decrypt(SecurityPolicy.Basic256Sha256, server, encrypted, nonce).Should().Be(password);
    }

    private static string Invalid(Action decrypt)
    {
        var refusal = FluentActions.Invoking(decrypt).Should().Throw<ServiceResultException>().Which;
        refusal.StatusCode.Code.Should().Be(StatusCodes.BadIdentityTokenInvalid);
        return refusal.Message;
    }
}
