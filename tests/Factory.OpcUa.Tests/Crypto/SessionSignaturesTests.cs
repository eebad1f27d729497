using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Crypto;

/// <summary>The session's proofs of possession: a signature over the other side's certificate and nonce.</summary>
public sealed class SessionSignaturesTests
{
    [Theory]
    [InlineData("Basic256Sha256")]
    [InlineData("Aes128_Sha256_RsaOaep")]
    [InlineData("Aes256_Sha256_RsaPss")]
    public void A_signature_proves_the_key_for_this_certificate_and_nonce_only(string name)
    {
        var policy = SecurityPolicy.FindByNameOrUri(name)!;
        using var server = ApplicationCertificate.Create("urn:test:server", "server", []);
        using var client = ApplicationCertificate.Create("urn:test:client", "client", []);
        var clientNonce = RandomNumberGenerator.GetBytes(32);
        using var serverKey = server.GetRSAPrivateKey()!;
        using var serverPublic = server.GetRSAPublicKey()!;

        // CreateSession: the server signs the client's certificate and nonce; the client checks it.
        var signature = SessionSignatures.Sign(policy, serverKey, client.RawData, clientNonce);

        signature.Algorithm.Should().Be(policy.AsymmetricSignatureAlgorithmUri);
        SessionSignatures.Verify(policy, serverPublic, client.RawData, clientNonce, signature);
        Invalid(() => SessionSignatures.Verify(policy, serverPublic, client.RawData, RandomNumberGenerator.GetBytes(32), signature)).Should().Contain("does not verify");
        Invalid(() => SessionSignatures.Verify(policy, serverPublic, server.RawData, clientNonce, signature)).Should().Contain("does not verify");
        using var clientPublic = client.GetRSAPublicKey()!;
        Invalid(() => SessionSignatures.Verify(policy, clientPublic, client.RawData, clientNonce, signature)).Should().Contain("does not verify");
        Invalid(() => SessionSignatures.Verify(policy, serverPublic, client.RawData, clientNonce, signature with { Algorithm = "http://www.w3.org/2000/09/xmldsig#rsa-sha1" })).Should().Contain("the signature's algorithm is 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'");
        Invalid(() => SessionSignatures.Verify(policy, serverPublic, client.RawData, clientNonce, null)).Should().Contain("the signature's algorithm is ''");
        Invalid(() => SessionSignatures.Verify(policy, serverPublic, client.RawData, clientNonce, new SignatureData(policy.AsymmetricSignatureAlgorithmUri, null))).Should().Contain("does not verify");
    }

    private static string Invalid(Action verify)
    {
        var refusal = FluentActions.Invoking(verify).Should().Throw<ServiceResultException>().Which;
        refusal.StatusCode.Code.Should().Be(StatusCodes.BadApplicationSignatureInvalid);
        return refusal.Message;
    }
}
