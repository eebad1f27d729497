using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;

namespace Factory.OpcUa.Tests.Crypto;

/// <summary>The PKI folder and the validation of peers' certificates.</summary>
public sealed class PkiTests : IDisposable
{
    private const string PeerUri = "urn:plant:line-1:plc";

    private readonly string _folder = Directory.CreateTempSubdirectory("factory-pki-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_first_run_makes_the_application_certificate_and_later_runs_use_it()
    {
        var store = new PkiStore(_folder);

        using var made = store.OwnCertificate("urn:factory:edge:line-1", "Factory edge line-1", ["edge-1.plant", "127.0.0.1"]);
        using var again = new PkiStore(_folder).OwnCertificate("urn:factory:edge:line-1", "Factory edge line-1", ["edge-1.plant"]);

        again.Thumbprint.Should().Be(made.Thumbprint);
        again.HasPrivateKey.Should().BeTrue();
        ApplicationCertificate.ApplicationUriOf(made).Should().Be("urn:factory:edge:line-1");
        made.GetRSAPublicKey()!.KeySize.Should().Be(2048);
        var names = made.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        names.EnumerateDnsNames().Should().Contain("edge-1.plant");
        names.EnumerateIPAddresses().Should().Contain(System.Net.IPAddress.Loopback);
        var key = Directory.GetFiles(Path.Combine(_folder, "own", "private")).Single();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "only the application's user reads its key");
        }

        FluentActions.Invoking(() => store.OwnCertificate("urn:factory:edge:line-2", "x", [])).Should().Throw<PkiException>()
            .WithMessage($"{key}: the application certificate is for 'urn:factory:edge:line-1', not 'urn:factory:edge:line-2'*");
    }

    [Fact]
    public void An_untrusted_peer_is_refused_and_kept_in_rejected_until_an_operator_trusts_it()
    {
        var store = new PkiStore(_folder);
        var validator = new CertificateValidator(store, TimeProvider.System);
        using var peer = ApplicationCertificate.Create(PeerUri, "PLC line 1", ["plc-1"]);

        Refusal(() => validator.Validate(peer, PeerUri)).Should().Be(StatusCodes.BadCertificateUntrusted);
        store.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected).Which.ApplicationUri.Should().Be(PeerUri);

        store.Trust(peer.Thumbprint[..10].ToLowerInvariant()).List.Should().Be(PkiStore.Trusted);
        validator.Validate(peer, PeerUri);
        store.Entries().Should().NotContain(e => e.List == PkiStore.Rejected);

        store.Reject(peer.Thumbprint);
        Refusal(() => validator.Validate(peer, PeerUri)).Should().Be(StatusCodes.BadCertificateUntrusted);
        FluentActions.Invoking(() => store.Trust("FFFFFFFFFF")).Should().Throw<PkiException>().WithMessage("No certificate in *rejected has a thumbprint starting with 'FFFFFFFFFF'*");
    }

    [Fact]
    public void A_peer_issued_by_a_trusted_ca_is_accepted_and_one_whose_ca_is_only_an_issuer_is_not()
    {
        var store = new PkiStore(_folder);
        var validator = new CertificateValidator(store, TimeProvider.System);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Plant CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var peer = Issue(ca, PeerUri, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, 2048);

        File.WriteAllBytes(Path.Combine(_folder, "issuers", "certs", "ca.der"), ca.RawData);
        Refusal(() => validator.Validate(peer, PeerUri)).Should().Be(StatusCodes.BadCertificateUntrusted, "an issuer helps build the chain; it is not trusted by itself");

        File.Move(Path.Combine(_folder, "issuers", "certs", "ca.der"), Path.Combine(_folder, "trusted", "certs", "ca.der"));
        validator.Validate(peer, PeerUri);
    }

    [Fact]
    public void Expired_misused_weak_and_misnamed_certificates_are_refused_with_their_reason()
    {
        var store = new PkiStore(_folder);
        var validator = new CertificateValidator(store, TimeProvider.System);
        using var expired = ApplicationCertificate.Create(PeerUri, "old", [], DateTimeOffset.UtcNow.AddDays(-10), TimeSpan.FromDays(1));
        store.AddTrusted(expired);
        Refusal(() => validator.Validate(expired, PeerUri)).Should().Be(StatusCodes.BadCertificateTimeInvalid);

        using var peer = ApplicationCertificate.Create(PeerUri, "PLC line 1", []);
        store.AddTrusted(peer);
        var misnamed = FluentActions.Invoking(() => validator.Validate(peer, "urn:somebody:else")).Should().Throw<ServiceResultException>().Which;
        misnamed.StatusCode.Code.Should().Be(StatusCodes.BadCertificateUriInvalid);
        misnamed.Message.Should().Contain($"the peer says it is 'urn:somebody:else', its certificate names '{PeerUri}'");

        using var selfKey = RSA.Create(2048);
        var signOnly = new CertificateRequest("CN=sign only", selfKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        signOnly.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var misused = signOnly.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Refusal(() => validator.Validate(misused, null)).Should().Be(StatusCodes.BadCertificateUseNotAllowed);

        using var weakKey = RSA.Create(1024);
        var weakRequest = new CertificateRequest("CN=weak", weakKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var weak = weakRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var refusal = FluentActions.Invoking(() => validator.Validate(weak, null)).Should().Throw<ServiceResultException>().Which;
        refusal.StatusCode.Code.Should().Be(StatusCodes.BadCertificatePolicyCheckFailed);
        refusal.Message.Should().Contain("its key is 1024 bits");
    }

    private static uint Refusal(Action validate) =>
        FluentActions.Invoking(validate).Should().Throw<ServiceResultException>().Which.StatusCode.Code;

    private static X509Certificate2 Issue(X509Certificate2 ca, string uri, X509KeyUsageFlags usage, int bits)
    {
        using var key = RSA.Create(bits);
        var request = new CertificateRequest("CN=peer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(uri));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(1), RandomNumberGenerator.GetBytes(12)).CopyWithPrivateKey(key);
    }
}
