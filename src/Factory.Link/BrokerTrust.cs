using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Factory.Link;

/// <summary>
/// Which TLS certificates of a broker a client accepts (<c>mqtts://</c>): those the machine's own
/// trust store accepts, those issued by a certificate authority read from a PEM file (the plant's
/// own CA, <c>--broker-ca</c>), or exactly one certificate (the cloud's connections to its own
/// embedded broker). A certificate it does not accept ends the connection before any credential is
/// sent, with the reason.
/// </summary>
public sealed class BrokerTrust
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly byte[]? _pinnedHash;

    private BrokerTrust(string description, X509Certificate2Collection? authorities, byte[]? pinnedHash)
    {
        Description = description;
        _authorities = authorities;
        _pinnedHash = pinnedHash;
    }

    /// <summary>The machine's trust store, as a browser would.</summary>
    public static BrokerTrust SystemStore { get; } = new("the system's trust store", null, null);

    /// <summary>What is trusted, for messages: "the CA in ca.pem (CN=Plant CA)".</summary>
    public string Description { get; }

    /// <summary>Trusts certificates issued (directly or through intermediates in the broker's chain) by the CA certificates in a PEM file.</summary>
    /// <exception cref="BrokerTrustException">The file cannot be read or holds no certificate.</exception>
    public static BrokerTrust FromCaFile(string pemPath)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(pemPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new BrokerTrustException($"{pemPath}: cannot read the broker's CA certificate: {e.Message}");
        }

        if (authorities.Count == 0)
        {
            throw new BrokerTrustException($"{pemPath}: no certificate in the file; expected the PEM (-----BEGIN CERTIFICATE-----) of the CA that issued the broker's certificate.");
        }

        return new BrokerTrust($"the CA in {pemPath} ({string.Join(", ", authorities.Select(a => a.Subject))})", authorities, null);
    }

    /// <summary>Trusts exactly <paramref name="certificate"/>, whatever its name and issuer.</summary>
    public static BrokerTrust Pinned(X509Certificate2 certificate) =>
        new($"the certificate {certificate.Subject} ({certificate.GetCertHashString(HashAlgorithmName.SHA256)})", null, certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Whether the broker's certificate is accepted; when not, <paramref name="refusal"/> says why.</summary>
    public bool Accepts(X509Certificate? presented, SslPolicyErrors errors, out string? refusal)
    {
        refusal = Check(presented, errors);
        return refusal is null;
    }

    private string? Check(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null)
        {
            return "the broker presented no certificate";
        }

        using var certificate = new X509Certificate2(presented);
        if (_pinnedHash is not null)
        {
            return certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(_pinnedHash)
                ? null
                : $"{certificate.Subject} is not {Description}";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"{certificate.Subject} does not name the host connected to (its subject alternative names must)";
        }

        if (_authorities is null)
        {
            return errors == SslPolicyErrors.None ? null : $"{certificate.Subject}, issued by {certificate.Issuer}, is not trusted by {Description} ({errors})";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);

        // A plant network has no route to revocation lists; expiry, signature and issuer are checked.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }

        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"{certificate.Subject}, issued by {certificate.Issuer}, is not trusted by {Description}: {status}";
    }
}

/// <summary>A broker trust that cannot be set up; the message names the file and why.</summary>
public sealed class BrokerTrustException(string message) : Exception(message);
