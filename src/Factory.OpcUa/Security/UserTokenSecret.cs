using System.Buffers.Binary;
using System.Security.Cryptography;
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Security;

/// <summary>
/// The password of a UserNameIdentityToken as it travels (OPC 10000-4, 7.41.2.3, the legacy
/// format every RSA policy uses): the length of what follows (Int32), the password's UTF-8 bytes
/// and the server's last nonce, encrypted with the server certificate's key by the policy's
/// asymmetric algorithm, whose URI goes in the token's encryptionAlgorithm.
/// </summary>
public static class UserTokenSecret
{
    /// <summary>What the client puts in the token's password field.</summary>
    public static byte[] Encrypt(SecurityPolicy policy, RSA serverPublicKey, string password, ReadOnlySpan<byte> serverNonce)
    {
        var secret = System.Text.Encoding.UTF8.GetBytes(password);
        var plain = new byte[4 + secret.Length + serverNonce.Length];
        BinaryPrimitives.WriteInt32LittleEndian(plain, secret.Length + serverNonce.Length);
        secret.CopyTo(plain, 4);
        serverNonce.CopyTo(plain.AsSpan(4 + secret.Length));
        return policy.AsymmetricEncrypt(serverPublicKey, plain);
    }

    /// <summary>The password, on the server.</summary>
    /// <exception cref="ServiceResultException">
    /// BadIdentityTokenInvalid: it does not decrypt with the server's key, its length is wrong, or
    /// it does not end with the nonce the server last gave (a replay).
    /// </exception>
    public static string Decrypt(SecurityPolicy policy, RSA serverPrivateKey, ReadOnlySpan<byte> encrypted, ReadOnlySpan<byte> serverNonce)
    {
        byte[] plain;
        try
        {
            plain = policy.AsymmetricDecrypt(serverPrivateKey, encrypted);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"the password does not decrypt with the server's key ({e.Message})");
        }

        if (plain.Length < 4)
        {
            throw Invalid("the encrypted password is too short for its length");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(plain);
        if (length < serverNonce.Length || length > plain.Length - 4)
        {
            throw Invalid($"the encrypted password says it holds {length} bytes; it holds {plain.Length - 4}");
        }

        var data = plain.AsSpan(4, length);
        if (!CryptographicOperations.FixedTimeEquals(data[^serverNonce.Length..], serverNonce))
        {
            throw Invalid("the encrypted password does not end with the server's last nonce");
        }

        return System.Text.Encoding.UTF8.GetString(data[..^serverNonce.Length]);
    }

    private static ServiceResultException Invalid(string why) => new(StatusCodes.BadIdentityTokenInvalid, why);
}
