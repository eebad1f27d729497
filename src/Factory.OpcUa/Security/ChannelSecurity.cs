using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Security;

/// <summary>
/// The security of one secure channel (OPC 10000-6, 6.7): its policy and mode, the two
/// application certificates, and the symmetric keys of each security token. OpenSecureChannel
/// chunks are signed and encrypted with the certificates' RSA keys whenever the policy is not
/// None; MSG and CLO chunks with the keys derived from the nonces of the token they name.
/// Tokens are added by the receive loop and read by the sending side, so access is locked.
/// </summary>
internal sealed class ChannelSecurity : IDisposable
{
    /// <summary>Tokens kept: the current one, the one before it (still valid until the peer uses the new one) and one more in flight.</summary>
    private const int TokensKept = 3;

    private readonly Lock _lock = new();
    private readonly List<(uint TokenId, ChunkCipher Send, ChunkCipher Receive)> _tokens = [];
    private readonly RSA? _localPrivateKey;
    private readonly RSA? _remotePublicKey;
    private readonly bool _isClient;

    private ChannelSecurity()
    {
        Header = AsymmetricSecurityHeader.None;
    }

    private ChannelSecurity(SecurityPolicy policy, MessageSecurityMode mode, X509Certificate2 localCertificate, X509Certificate2 remoteCertificate, bool isClient)
    {
        Policy = policy;
        Mode = mode;
        LocalCertificate = localCertificate;
        RemoteCertificate = remoteCertificate;
        _isClient = isClient;
        _localPrivateKey = localCertificate.GetRSAPrivateKey() ?? throw new ServiceResultException(StatusCodes.BadCertificateInvalid, $"the application certificate {localCertificate.Subject} has no RSA private key");
        _remotePublicKey = remoteCertificate.GetRSAPublicKey() ?? throw new ServiceResultException(StatusCodes.BadCertificateInvalid, $"the peer's certificate {remoteCertificate.Subject} has no RSA key");
        Header = new AsymmetricSecurityHeader(policy.Uri, localCertificate.RawData, Thumbprint(remoteCertificate));
        AsymmetricSend = new AsymmetricChunkCipher(policy, _localPrivateKey, _remotePublicKey);
        AsymmetricReceive = new AsymmetricChunkCipher(policy, _remotePublicKey, _localPrivateKey);
    }

    /// <summary>SecurityPolicy None: nothing signed, nothing encrypted.</summary>
    public static ChannelSecurity None { get; } = new();

    /// <summary>The policy; null for None.</summary>
    public SecurityPolicy? Policy { get; }

    /// <summary>The mode: the client's choice, known to a server once it has read the first OpenSecureChannel request.</summary>
    public MessageSecurityMode Mode { get; set; } = MessageSecurityMode.None;

    public X509Certificate2? LocalCertificate { get; }

    public X509Certificate2? RemoteCertificate { get; }

    /// <summary>The security header of the OpenSecureChannel chunks this side sends.</summary>
    public AsymmetricSecurityHeader Header { get; }

    public string PolicyUri => Policy?.Uri ?? SecurityPolicies.None;

    /// <summary>Signs and encrypts our OPN chunks: our private key signs, the peer's public key encrypts.</summary>
    public ChunkCipher? AsymmetricSend { get; }

    /// <summary>Opens the peer's OPN chunks: its public key verifies, our private key decrypts.</summary>
    public ChunkCipher? AsymmetricReceive { get; }

    /// <summary>Whether MSG and CLO chunks are signed (mode Sign or SignAndEncrypt).</summary>
    public bool SignsMessages => Policy is not null && Mode is MessageSecurityMode.Sign or MessageSecurityMode.SignAndEncrypt;

    public bool EncryptsMessages => Policy is not null && Mode == MessageSecurityMode.SignAndEncrypt;

    /// <summary>The peer's RSA public key (for the session's signatures and the user token's password).</summary>
    public RSA? RemotePublicKey => _remotePublicKey;

    public static ChannelSecurity Client(SecurityPolicy policy, MessageSecurityMode mode, X509Certificate2 clientCertificate, X509Certificate2 serverCertificate) =>
        new(policy, mode, clientCertificate, serverCertificate, isClient: true);

    public static ChannelSecurity Server(SecurityPolicy policy, MessageSecurityMode mode, X509Certificate2 serverCertificate, X509Certificate2 clientCertificate) =>
        new(policy, mode, serverCertificate, clientCertificate, isClient: false);

    /// <summary>A fresh nonce for OpenSecureChannel; empty with None.</summary>
    public byte[] NewNonce() => Policy is null ? [] : RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength);

    /// <summary>Checks the peer's nonce: as long as the policy's (32 bytes), or empty with None.</summary>
    /// <exception cref="ServiceResultException">BadNonceInvalid.</exception>
    public void CheckNonce(byte[]? nonce, string whose)
    {
        var length = nonce?.Length ?? 0;
        if (Policy is not null && length != SecurityPolicy.NonceLength)
        {
            throw new ServiceResultException(StatusCodes.BadNonceInvalid, $"the {whose} nonce has {length} bytes; {Policy.Name} needs {SecurityPolicy.NonceLength}");
        }
    }

    /// <summary>Derives the keys of a new token from both nonces of its OpenSecureChannel.</summary>
    public void AddToken(uint tokenId, byte[] clientNonce, byte[] serverNonce)
    {
        if (Policy is null)
        {
            return;
        }

        var (client, server) = Policy.DeriveKeys(clientNonce, serverNonce);
        var own = new SymmetricChunkCipher(Policy, _isClient ? client : server);
        var peer = new SymmetricChunkCipher(Policy, _isClient ? server : client);
        lock (_lock)
        {
            _tokens.RemoveAll(t => t.TokenId == tokenId);
            _tokens.Add((tokenId, own, peer));
            if (_tokens.Count > TokensKept)
            {
                _tokens.RemoveAt(0);
            }
        }
    }

    /// <summary>Forgets every token before <paramref name="tokenId"/> (the peer has used the new one).</summary>
    public void DropTokensBefore(uint tokenId)
    {
        lock (_lock)
        {
            var index = _tokens.FindIndex(t => t.TokenId == tokenId);
            if (index > 0)
            {
                _tokens.RemoveRange(0, index);
            }
        }
    }

    /// <summary>The cipher our MSG/CLO chunks of a token are signed (and encrypted) with; null when the mode is None.</summary>
    /// <exception cref="ServiceResultException">BadSecureChannelTokenUnknown: no keys for that token.</exception>
    public ChunkCipher? SendCipher(uint tokenId) => SignsMessages ? Find(tokenId).Send : null;

    /// <summary>The cipher the peer's MSG/CLO chunks of a token are checked (and decrypted) with; null when the mode is None.</summary>
    /// <exception cref="ServiceResultException">BadSecureChannelTokenUnknown: no keys for that token.</exception>
    public ChunkCipher? ReceiveCipher(uint tokenId) => SignsMessages ? Find(tokenId).Receive : null;

    /// <summary>
    /// The receiver's certificate thumbprint of an OPN security header: SHA-1 of the DER
    /// certificate, as OPC 10000-6, 6.7.2.3 prescribes. It names a certificate; it protects nothing.
    /// </summary>
#pragma warning disable CA5350 // The specification fixes SHA-1 for this identifier; no security rests on it.
    public static byte[] Thumbprint(X509Certificate2 certificate) => SHA1.HashData(certificate.RawData);
#pragma warning restore CA5350

    /// <summary>Whether an OPN from the peer comes with the same policy and certificate as the channel's (a renewal).</summary>
    public bool Matches(AsymmetricSecurityHeader header) =>
        header.SecurityPolicyUri == PolicyUri &&
        (Policy is null || (header.SenderCertificate is { } sender && sender.AsSpan().StartsWith(RemoteCertificate!.RawData)));

    /// <summary>
    /// The first certificate of a DER blob, which may hold a chain (the application's certificate
    /// followed by its issuers, OPC 10000-6, 6.2.3).
    /// </summary>
    /// <exception cref="ServiceResultException">BadCertificateInvalid: not a DER certificate.</exception>
    public static X509Certificate2 LoadCertificate(byte[]? der, string whose)
    {
        if (der is not { Length: > 0 })
        {
            throw new ServiceResultException(StatusCodes.BadCertificateInvalid, $"{whose} certificate is missing");
        }

        try
        {
            var first = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER, new() { SkipSetSortOrderVerification = true }).ReadEncodedValue();
            return X509CertificateLoader.LoadCertificate(first.Span);
        }
        catch (Exception e) when (e is CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            throw new ServiceResultException(StatusCodes.BadCertificateInvalid, $"{whose} certificate is not a DER X.509 certificate: {e.Message}");
        }
    }

    public void Dispose()
    {
        _localPrivateKey?.Dispose();
        _remotePublicKey?.Dispose();
    }

    private (uint TokenId, ChunkCipher Send, ChunkCipher Receive) Find(uint tokenId)
    {
        lock (_lock)
        {
            foreach (var token in _tokens)
            {
                if (token.TokenId == tokenId)
                {
                    return token;
                }
            }
        }

        throw new ServiceResultException(StatusCodes.BadSecureChannelTokenUnknown, $"token {tokenId} has no keys on this channel");
    }
}
