using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Factory.OpcUa.Security;

/// <summary>A certificate in one of the PKI folder's lists, as <c>factory pki list</c> shows it.</summary>
public sealed record PkiEntry(string List, string Thumbprint, string Subject, string? ApplicationUri, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Path);

/// <summary>
/// An application's PKI folder, laid out as OPC UA applications commonly keep it:
/// <c>own/</c> (its application instance certificate, <c>own/certs/*.der</c>, and private key,
/// <c>own/private/*.pfx</c>, readable by its user only), <c>trusted/certs</c> (peers and CAs it
/// trusts), <c>issuers/certs</c> (CAs needed to build a chain, not trusted by themselves) and
/// <c>rejected/certs</c> (peers it refused, for an operator to look at and trust with
/// <c>factory pki trust</c>). Certificates are stored as DER, named by their SHA-1 thumbprint.
/// </summary>
public sealed class PkiStore
{
    public const string Own = "own";
    public const string Trusted = "trusted";
    public const string Issuers = "issuers";
    public const string Rejected = "rejected";

    public PkiStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        foreach (var list in new[] { Own, Trusted, Issuers, Rejected })
        {
            Directory.CreateDirectory(Path.Combine(Folder, list, "certs"));
        }

        Directory.CreateDirectory(Path.Combine(Folder, Own, "private"));
    }

    public string Folder { get; }

    /// <summary>
    /// The application instance certificate with its private key: the one in <c>own/</c>, or, on the
    /// first run, a new self-signed one for <paramref name="applicationUri"/> and <paramref name="hostNames"/>.
    /// </summary>
    /// <exception cref="PkiException">The one in own/ cannot be read, or is for another application URI.</exception>
    public X509Certificate2 OwnCertificate(string applicationUri, string applicationName, IReadOnlyList<string> hostNames)
    {
        var keys = Directory.GetFiles(Path.Combine(Folder, Own, "private"), "*.pfx");
        if (keys.Length > 0)
        {
            X509Certificate2 existing;
            try
            {
                existing = X509CertificateLoader.LoadPkcs12FromFile(keys[0], null, X509KeyStorageFlags.Exportable);
            }
            catch (CryptographicException e)
            {
                throw new PkiException($"{keys[0]}: cannot read the application's certificate and key: {e.Message}");
            }

            var uri = ApplicationCertificate.ApplicationUriOf(existing);
            if (uri != applicationUri)
            {
                throw new PkiException($"{keys[0]}: the application certificate is for '{uri}', not '{applicationUri}'; move it away to make a new one");
            }

            return existing;
        }

        var created = ApplicationCertificate.Create(applicationUri, applicationName, hostNames);
        var name = created.Thumbprint;
        File.WriteAllBytes(Path.Combine(Folder, Own, "certs", name + ".der"), created.RawData);
        var keyPath = Path.Combine(Folder, Own, "private", name + ".pfx");
        File.WriteAllBytes(keyPath, created.Export(X509ContentType.Pfx));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return created;
    }

    /// <summary>The certificates of a list (<see cref="Trusted"/>, <see cref="Issuers"/>, <see cref="Rejected"/>, <see cref="Own"/>).</summary>
    public IReadOnlyList<X509Certificate2> Certificates(string list)
    {
        var result = new List<X509Certificate2>();
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, list, "certs")).Order(StringComparer.Ordinal))
        {
            try
            {
                result.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
            catch (CryptographicException)
            {
                // Not a certificate (a stray file): listed by Entries as unreadable, never trusted.
            }
        }

        return result;
    }

    /// <summary>Every certificate of every list, for people.</summary>
    public IReadOnlyList<PkiEntry> Entries() =>
        [.. new[] { Own, Trusted, Issuers, Rejected }.SelectMany(list => Certificates(list).Select(c => new PkiEntry(
            list, c.Thumbprint, c.Subject, ApplicationCertificate.ApplicationUriOf(c), c.NotBefore.ToUniversalTime(), c.NotAfter.ToUniversalTime(), PathOf(list, c))))];

    /// <summary>Keeps a refused peer's certificate in rejected/ for an operator to decide on.</summary>
    public void AddRejected(X509Certificate2 certificate)
    {
        var path = PathOf(Rejected, certificate);
        if (!File.Exists(path) && !File.Exists(PathOf(Trusted, certificate)))
        {
            File.WriteAllBytes(path, certificate.RawData);
        }
    }

    /// <summary>Adds a certificate to trusted/ (a peer, or a CA whose certificates are then trusted).</summary>
    public void AddTrusted(X509Certificate2 certificate) => File.WriteAllBytes(PathOf(Trusted, certificate), certificate.RawData);

    /// <summary>Moves the certificate whose thumbprint starts with <paramref name="thumbprint"/> from rejected/ to trusted/.</summary>
    /// <returns>The certificate trusted.</returns>
    /// <exception cref="PkiException">None or several certificates of rejected/ match.</exception>
    public PkiEntry Trust(string thumbprint) => Move(thumbprint, Rejected, Trusted);

    /// <summary>Moves the certificate whose thumbprint starts with <paramref name="thumbprint"/> from trusted/ to rejected/: it is refused from the next connection on.</summary>
    /// <exception cref="PkiException">None or several certificates of trusted/ match.</exception>
    public PkiEntry Reject(string thumbprint) => Move(thumbprint, Trusted, Rejected);

    private PkiEntry Move(string thumbprint, string from, string to)
    {
        var matches = Entries().Where(e => e.List == from && e.Thumbprint.StartsWith(thumbprint.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count != 1)
        {
            throw new PkiException(matches.Count == 0
                ? $"No certificate in {Path.Combine(Folder, from)} has a thumbprint starting with '{thumbprint}' ('factory pki list' shows them)."
                : $"'{thumbprint}' matches {matches.Count} certificates in {Path.Combine(Folder, from)}: give more of the thumbprint.");
        }

        var entry = matches[0];
        var target = Path.Combine(Folder, to, "certs", Path.GetFileName(entry.Path));
        File.Move(entry.Path, target, overwrite: true);
        return entry with { List = to, Path = target };
    }

    private string PathOf(string list, X509Certificate2 certificate) => Path.Combine(Folder, list, "certs", certificate.Thumbprint + ".der");
}

/// <summary>A PKI folder that cannot be used as asked; the message names the file and why.</summary>
public sealed class PkiException(string message) : Exception(message);
