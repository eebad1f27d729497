using System.Security.Cryptography;

namespace Factory.OpcUa.Security;

/// <summary>The keys one side of a secure channel signs and encrypts its messages with (OPC 10000-6, 6.7.6).</summary>
public sealed record DerivedKeys(byte[] SigningKey, byte[] EncryptingKey, byte[] InitializationVector);

/// <summary>
/// The algorithms of an RSA security policy (OPC 10000-7): asymmetric signing and encryption for
/// OpenSecureChannel and the session's signatures, HMAC-SHA256 and AES-CBC for the channel's
/// messages, P_SHA256 to derive their keys from the nonces. All of them are .NET's own
/// (System.Security.Cryptography); nothing is implemented here but their parameters and layout.
/// </summary>
public abstract class SecurityPolicy
{
    /// <summary>AES's block, and the length of the initialization vector.</summary>
    public const int SymmetricBlockSize = 16;

    /// <summary>The length of the nonces exchanged when opening a channel (SecureChannelNonceLength).</summary>
    public const int NonceLength = 32;

    /// <summary>HMAC-SHA256: its output and its derived key (DerivedSignatureKeyLength, 256 bits).</summary>
    public const int SymmetricSignatureLength = 32;

    public const int SigningKeyLength = 32;

    /// <summary>Basic256Sha256: RSA-PKCS#1 v1.5 signatures with SHA-256, RSA-OAEP (SHA-1) encryption, AES-256-CBC.</summary>
    public static SecurityPolicy Basic256Sha256 { get; } = new Rsa(
        "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256", "Basic256Sha256", 32, RSASignaturePadding.Pkcs1, RSAEncryptionPadding.OaepSHA1,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#rsa-oaep");

    /// <summary>Aes128_Sha256_RsaOaep: RSA-PKCS#1 v1.5 signatures with SHA-256, RSA-OAEP (SHA-1) encryption, AES-128-CBC.</summary>
    public static SecurityPolicy Aes128Sha256RsaOaep { get; } = new Rsa(
        "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep", "Aes128_Sha256_RsaOaep", 16, RSASignaturePadding.Pkcs1, RSAEncryptionPadding.OaepSHA1,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#rsa-oaep");

    /// <summary>Aes256_Sha256_RsaPss: RSA-PSS signatures with SHA-256, RSA-OAEP with SHA-256 encryption, AES-256-CBC.</summary>
    public static SecurityPolicy Aes256Sha256RsaPss { get; } = new Rsa(
        "http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss", "Aes256_Sha256_RsaPss", 32, RSASignaturePadding.Pss, RSAEncryptionPadding.OaepSHA256,
        "http://opcfoundation.org/UA/security/rsa-pss-sha2-256", "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256");

    /// <summary>Every policy this stack signs and encrypts with, strongest last.</summary>
    public static IReadOnlyList<SecurityPolicy> All { get; } = [Aes128Sha256RsaOaep, Basic256Sha256, Aes256Sha256RsaPss];

    /// <summary>The policy's URI (OPC 10000-7).</summary>
    public abstract string Uri { get; }

    /// <summary>Its short name, as configurations and messages give it: "Basic256Sha256".</summary>
    public abstract string Name { get; }

    /// <summary>AES's key length in bytes: 16 or 32.</summary>
    public abstract int EncryptingKeyLength { get; }

    /// <summary>The URI of the asymmetric signature algorithm (the session's signatures' <c>algorithm</c>).</summary>
    public abstract string AsymmetricSignatureAlgorithmUri { get; }

    /// <summary>The URI of the asymmetric encryption algorithm (a user token's <c>encryptionAlgorithm</c>).</summary>
    public abstract string AsymmetricEncryptionAlgorithmUri { get; }

    /// <summary>The smallest and largest RSA keys these policies allow, in bits.</summary>
    public const int MinimumKeyBits = 2048;

    public const int MaximumKeyBits = 4096;

    /// <summary>The policy of a URI, or null when this stack does not implement it (None has no algorithms).</summary>
    public static SecurityPolicy? Find(string? uri) => All.FirstOrDefault(p => p.Uri == uri);

    /// <summary>The policy of a URI or of a short name ("Basic256Sha256"), for configurations; null when unknown.</summary>
    public static SecurityPolicy? FindByNameOrUri(string text) => All.FirstOrDefault(p => p.Uri == text || string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));

    /// <summary>Bytes of plain text per encrypted block for a key (the key's bytes less OAEP's overhead).</summary>
    public abstract int AsymmetricPlainBlockSize(RSA key);

    /// <summary>Bytes per encrypted block, and of a signature: the key's length in bytes.</summary>
    public static int AsymmetricCipherBlockSize(RSA key) => key.KeySize / 8;

    public abstract byte[] AsymmetricSign(RSA privateKey, ReadOnlySpan<byte> data);

    public abstract bool AsymmetricVerify(RSA publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Encrypts <paramref name="plain"/> (a whole number of plain blocks, or less for a user token) block by block.</summary>
    public abstract byte[] AsymmetricEncrypt(RSA publicKey, ReadOnlySpan<byte> plain);

    /// <summary>Decrypts block by block.</summary>
    /// <exception cref="CryptographicException">A block does not decrypt with this key (wrong key, or altered).</exception>
    public abstract byte[] AsymmetricDecrypt(RSA privateKey, ReadOnlySpan<byte> cipher);

    /// <summary>HMAC-SHA256 of <paramref name="data"/>.</summary>
    public static byte[] SymmetricSign(byte[] key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>Whether <paramref name="signature"/> is the HMAC of <paramref name="data"/>, compared in constant time.</summary>
    public static bool SymmetricVerify(byte[] key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SymmetricSignatureLength && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, data), signature);

    /// <summary>AES-CBC without padding (the chunk carries its own), in place: <paramref name="data"/> is a whole number of blocks.</summary>
    public void SymmetricEncrypt(DerivedKeys keys, Span<byte> data)
    {
        using var aes = Aes(keys);
        aes.EncryptCbc(data, keys.InitializationVector, data, PaddingMode.None);
    }

    /// <summary>AES-CBC decryption in place.</summary>
    /// <exception cref="CryptographicException">The data is not a whole number of blocks.</exception>
    public void SymmetricDecrypt(DerivedKeys keys, Span<byte> data)
    {
        using var aes = Aes(keys);
        aes.DecryptCbc(data, keys.InitializationVector, data, PaddingMode.None);
    }

    /// <summary>
    /// The keys of both sides from the nonces of OpenSecureChannel (OPC 10000-6, 6.7.6): the client's
    /// from P_SHA256(ServerNonce, ClientNonce), the server's from P_SHA256(ClientNonce, ServerNonce),
    /// each cut into signing key, encrypting key and initialization vector.
    /// </summary>
    public (DerivedKeys Client, DerivedKeys Server) DeriveKeys(byte[] clientNonce, byte[] serverNonce)
    {
        var length = SigningKeyLength + EncryptingKeyLength + SymmetricBlockSize;
        return (Split(PSha256(serverNonce, clientNonce, length)), Split(PSha256(clientNonce, serverNonce, length)));

        DerivedKeys Split(byte[] material) => new(
            material[..SigningKeyLength],
            material[SigningKeyLength..(SigningKeyLength + EncryptingKeyLength)],
            material[(SigningKeyLength + EncryptingKeyLength)..]);
    }

    /// <summary>P_SHA256 (RFC 5246, 5): HMAC-SHA256 chained over <paramref name="seed"/> until <paramref name="length"/> bytes.</summary>
    public static byte[] PSha256(byte[] secret, ReadOnlySpan<byte> seed, int length)
    {
        var output = new byte[length];
        using var hmac = new HMACSHA256(secret);
        var a = hmac.ComputeHash(seed.ToArray());
        var block = new byte[a.Length + seed.Length];
        for (var offset = 0; offset < length; offset += a.Length)
        {
            a.CopyTo(block, 0);
            seed.CopyTo(block.AsSpan(a.Length));
            var chunk = hmac.ComputeHash(block);
            chunk.AsSpan(0, Math.Min(chunk.Length, length - offset)).CopyTo(output.AsSpan(offset));
            a = hmac.ComputeHash(a);
        }

        return output;
    }

    /// <summary>
    /// The padding of a chunk to encrypt (OPC 10000-6, 6.7.2.5): with <paramref name="plainLength"/>
    /// bytes before it and a signature of <paramref name="signatureLength"/> after it, how many
    /// padding bytes (each the padding's size, after a PaddingSize byte, and an ExtraPaddingSize byte
    /// when blocks are over 256 bytes) make the whole a number of plain blocks.
    /// </summary>
    /// <returns>The padding's size (the value of the PaddingSize byte), and whether an ExtraPaddingSize byte follows.</returns>
    public static (int PaddingSize, bool Extra) Padding(int plainLength, int signatureLength, int plainBlockSize)
    {
        var extra = plainBlockSize > 256;
        var overhead = extra ? 2 : 1;
        var remainder = (plainLength + overhead + signatureLength) % plainBlockSize;
        var padding = remainder == 0 ? 0 : plainBlockSize - remainder;
        return (padding, extra);
    }

    private System.Security.Cryptography.Aes Aes(DerivedKeys keys)
    {
        if (keys.EncryptingKey.Length != EncryptingKeyLength)
        {
            throw new CryptographicException($"{Name} encrypts with {EncryptingKeyLength}-byte keys; this one has {keys.EncryptingKey.Length}");
        }

        var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = keys.EncryptingKey;
        return aes;
    }

    public override string ToString() => Name;

    private sealed class Rsa(
        string uri,
        string name,
        int encryptingKeyLength,
        RSASignaturePadding signaturePadding,
        RSAEncryptionPadding encryptionPadding,
        string signatureAlgorithmUri,
        string encryptionAlgorithmUri) : SecurityPolicy
    {
        public override string Uri => uri;

        public override string Name => name;

        public override int EncryptingKeyLength => encryptingKeyLength;

        public override string AsymmetricSignatureAlgorithmUri => signatureAlgorithmUri;

        public override string AsymmetricEncryptionAlgorithmUri => encryptionAlgorithmUri;

        /// <summary>OAEP takes 2 × the hash's length + 2 bytes of each block: 42 with SHA-1, 66 with SHA-256.</summary>
        public override int AsymmetricPlainBlockSize(RSA key) =>
            AsymmetricCipherBlockSize(key) - (2 * (encryptionPadding.OaepHashAlgorithm == HashAlgorithmName.SHA256 ? 32 : 20)) - 2;

        public override byte[] AsymmetricSign(RSA privateKey, ReadOnlySpan<byte> data) =>
            privateKey.SignData(data.ToArray(), HashAlgorithmName.SHA256, signaturePadding);

        public override bool AsymmetricVerify(RSA publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
            publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, signaturePadding);

        public override byte[] AsymmetricEncrypt(RSA publicKey, ReadOnlySpan<byte> plain)
        {
            var plainBlock = AsymmetricPlainBlockSize(publicKey);
            var cipherBlock = AsymmetricCipherBlockSize(publicKey);
            var blocks = Math.Max(1, (plain.Length + plainBlock - 1) / plainBlock);
            var cipher = new byte[blocks * cipherBlock];
            for (var i = 0; i < blocks; i++)
            {
                var part = plain.Slice(i * plainBlock, Math.Min(plainBlock, plain.Length - (i * plainBlock)));
                publicKey.Encrypt(part, cipher.AsSpan(i * cipherBlock, cipherBlock), encryptionPadding);
            }

            return cipher;
        }

        public override byte[] AsymmetricDecrypt(RSA privateKey, ReadOnlySpan<byte> cipher)
        {
            var cipherBlock = AsymmetricCipherBlockSize(privateKey);
            if (cipher.Length % cipherBlock != 0)
            {
                throw new CryptographicException($"{cipher.Length} bytes are not a whole number of {cipherBlock}-byte RSA blocks");
            }

            var plain = new byte[cipher.Length / cipherBlock * AsymmetricPlainBlockSize(privateKey)];
            var written = 0;
            for (var offset = 0; offset < cipher.Length; offset += cipherBlock)
            {
                written += privateKey.Decrypt(cipher.Slice(offset, cipherBlock), plain.AsSpan(written), encryptionPadding);
            }

            return plain[..written];
        }
    }
}
