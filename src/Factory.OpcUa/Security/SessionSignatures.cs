using System.Security.Cryptography;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Security;

/// <summary>
/// The proofs of possession of a session (OPC 10000-4, 5.6.2 and 5.6.3): in CreateSession the
/// server signs the client's certificate followed by the client's nonce; in ActivateSession the
/// client signs the server's certificate followed by the server's last nonce. Each side proves it
/// holds the private key of the certificate it presented, for this session and no other.
/// </summary>
public static class SessionSignatures
{
    /// <summary>Signs the peer's certificate and nonce with our private key.</summary>
    public static SignatureData Sign(SecurityPolicy policy, RSA privateKey, ReadOnlySpan<byte> peerCertificate, ReadOnlySpan<byte> peerNonce) =>
        new(policy.AsymmetricSignatureAlgorithmUri, policy.AsymmetricSign(privateKey, [.. peerCertificate, .. peerNonce]));

    /// <summary>Checks the peer's signature over our certificate and nonce with the peer's public key.</summary>
    /// <exception cref="ServiceResultException">BadApplicationSignatureInvalid: another algorithm than the policy's, or a signature that does not verify.</exception>
    public static void Verify(SecurityPolicy policy, RSA peerPublicKey, ReadOnlySpan<byte> ownCertificate, ReadOnlySpan<byte> ownNonce, SignatureData? signature)
    {
        if (signature?.Algorithm != policy.AsymmetricSignatureAlgorithmUri)
        {
            throw new ServiceResultException(StatusCodes.BadApplicationSignatureInvalid, $"the signature's algorithm is '{signature?.Algorithm}'; {policy.Name} signs with {policy.AsymmetricSignatureAlgorithmUri}");
        }

        if (signature.Signature is not { } bytes || !policy.AsymmetricVerify(peerPublicKey, [.. ownCertificate, .. ownNonce], bytes))
        {
            throw new ServiceResultException(StatusCodes.BadApplicationSignatureInvalid, "the peer's signature over our certificate and nonce does not verify with its certificate's key");
        }
    }
}
