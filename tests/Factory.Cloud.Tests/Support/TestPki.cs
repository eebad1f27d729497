using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Factory.Cloud.Tests.Support;

/// <summary>
/// A plant's certificate authority and a broker certificate it issued for 127.0.0.1 and localhost,
/// as PEM files in a folder (what an operator's PKI would hand out), plus an authority nobody trusts
/// with a broker certificate of its own.
/// </summary>
public sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("factory-pki-").FullName;
        using var ca = Authority("CN=Factory Test Plant CA", out var caKey);
        using var rogue = Authority("CN=Somebody Else CA", out var rogueKey);
        Write(Issue(ca, "CN=broker.plant"), "broker.pem", "broker-key.pem");
        Write(Issue(rogue, "CN=impostor"), "impostor.pem", "impostor-key.pem");
        File.WriteAllText(CaPem, ca.ExportCertificatePem());
        caKey.Dispose();
        rogueKey.Dispose();
    }

    public string Directory { get; }

    public string CaPem => Path.Combine(Directory, "ca.pem");

    public string BrokerPem => Path.Combine(Directory, "broker.pem");

    public string BrokerKeyPem => Path.Combine(Directory, "broker-key.pem");

    public string ImpostorPem => Path.Combine(Directory, "impostor.pem");

    public string ImpostorKeyPem => Path.Combine(Directory, "impostor-key.pem");

    public X509Certificate2 Broker => X509Certificate2.CreateFromPemFile(BrokerPem, BrokerKeyPem);

    public X509Certificate2 Impostor => X509Certificate2.CreateFromPemFile(ImpostorPem, ImpostorKeyPem);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static X509Certificate2 Authority(string subject, out RSA key)
    {
        key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <param name="authority">The authority's certificate, with its private key.</param>
    private static X509Certificate2 Issue(X509Certificate2 authority, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(16));
        return certificate.CopyWithPrivateKey(key);
    }

    private void Write(X509Certificate2 certificate, string certificateFile, string? keyFile)
    {
        File.WriteAllText(Path.Combine(Directory, certificateFile), certificate.ExportCertificatePem());
        if (keyFile is not null)
        {
            File.WriteAllText(Path.Combine(Directory, keyFile), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }

        certificate.Dispose();
    }
}
