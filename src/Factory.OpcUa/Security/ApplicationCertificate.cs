using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Factory.OpcUa.Security;

/// <summary>
/// Application instance certificates (OPC 10000-6, 6.2.2): self-signed, RSA 2048 with SHA-256, the
/// application URI and the host's names in the subject alternative name, key usage for signing
/// and key encipherment, for both client and server authentication.
/// </summary>
public static class ApplicationCertificate
{
    /// <summary>How long a new certificate is valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(5 * 365);

    /// <summary>A new self-signed application instance certificate with its private key.</summary>
    public static X509Certificate2 Create(string applicationUri, string applicationName, IReadOnlyList<string> hostNames, DateTimeOffset? notBefore = null, TimeSpan? validity = null)
    {
        using var key = RSA.Create(2048);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(applicationName);
        subject.AddOrganizationName("Factory");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(applicationUri));
        foreach (var host in hostNames)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyCertSign,
            true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        using var certificate = request.CreateSelfSigned(from, from + (validity ?? Validity));

        // Exportable, so that the store can write it to own/private.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>The application URI in the certificate's subject alternative name, or null.</summary>
    public static string? ApplicationUriOf(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null)
        {
            return null;
        }

        // GeneralName uniformResourceIdentifier is [6] IA5String.
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (reader.HasData)
            {
                var tag = reader.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6)
                {
                    return reader.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                }

                reader.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
        }

        return null;
    }
}
