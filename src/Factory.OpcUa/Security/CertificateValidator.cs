using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Security;

/// <summary>
/// Decides whether a peer's application instance certificate is accepted (OPC 10000-4, 6.1.3):
/// its validity period, its key's size and usage, its chain to a certificate in the PKI folder's
/// trusted/ list (itself, for a self-signed peer, or a CA through issuers/), and the application URI
/// the peer claims. A certificate not trusted is kept in rejected/ for an operator to decide on
/// (<c>factory pki trust</c>).
/// </summary>
public sealed class CertificateValidator(PkiStore store, TimeProvider time)
{
    /// <summary>Accepts the certificate or throws why not.</summary>
    /// <param name="applicationUri">The URI the peer gave in its ApplicationDescription; null when none is claimed.</param>
    /// <exception cref="ServiceResultException">BadCertificateTimeInvalid, BadCertificatePolicyCheckFailed, BadCertificateUseNotAllowed, BadCertificateUntrusted, BadCertificateInvalid or BadCertificateUriInvalid, with the reason.</exception>
    public void Validate(X509Certificate2 certificate, string? applicationUri)
    {
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            throw Refuse(StatusCodes.BadCertificateTimeInvalid, certificate, $"valid from {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, not now");
        }

        using (var key = certificate.GetRSAPublicKey())
        {
            if (key is null || key.KeySize is < SecurityPolicy.MinimumKeyBits or > SecurityPolicy.MaximumKeyBits)
            {
                throw Refuse(StatusCodes.BadCertificatePolicyCheckFailed, certificate, $"its key is {(key is null ? "not RSA" : $"{key.KeySize} bits")}; the security policies take RSA keys of {SecurityPolicy.MinimumKeyBits} to {SecurityPolicy.MaximumKeyBits} bits");
            }
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages ?? X509KeyUsageFlags.None;
        if (!usage.HasFlag(X509KeyUsageFlags.DigitalSignature) || !(usage.HasFlag(X509KeyUsageFlags.KeyEncipherment) || usage.HasFlag(X509KeyUsageFlags.DataEncipherment)))
        {
            throw Refuse(StatusCodes.BadCertificateUseNotAllowed, certificate, $"its key usage ({usage}) does not allow signing and key encipherment");
        }

        Trust(certificate);

        if (applicationUri is not null && ApplicationCertificate.ApplicationUriOf(certificate) is var inCertificate && inCertificate != applicationUri)
        {
            throw Refuse(StatusCodes.BadCertificateUriInvalid, certificate, $"the peer says it is '{applicationUri}', its certificate names '{inCertificate ?? "no application URI"}'");
        }
    }

    private void Trust(X509Certificate2 certificate)
    {
        var trusted = store.Certificates(PkiStore.Trusted);
        if (trusted.Any(t => t.Thumbprint == certificate.Thumbprint))
        {
            return;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(store.Certificates(PkiStore.Issuers).ToArray());

        // Revocation lists are not kept in the folder yet; validity, signatures and issuers are checked.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        if (chain.Build(certificate))
        {
            return;
        }

        var statuses = chain.ChainStatus.Select(s => s.Status).ToList();
        if (statuses.Any(s => s is X509ChainStatusFlags.NotSignatureValid or X509ChainStatusFlags.Cyclic or X509ChainStatusFlags.InvalidBasicConstraints))
        {
            throw Refuse(StatusCodes.BadCertificateInvalid, certificate, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));
        }

        store.AddRejected(certificate);
        throw Refuse(StatusCodes.BadCertificateUntrusted, certificate, $"neither it nor its issuer is in {Path.Combine(store.Folder, PkiStore.Trusted)}; it was put in {Path.Combine(store.Folder, PkiStore.Rejected)} ('factory pki trust {certificate.Thumbprint[..8]}' trusts it)");
    }

    private static ServiceResultException Refuse(uint status, X509Certificate2 certificate, string why) =>
        new(status, $"certificate {certificate.Subject} ({certificate.Thumbprint}): {why}");
}
