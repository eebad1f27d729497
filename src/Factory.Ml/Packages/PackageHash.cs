using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Factory.Ml.Packages;

/// <summary>
/// The content hash of a package: SHA-256 over every entry, payload entries first in ordinal
/// order of name, then <c>manifest.json</c> with the 64 hex digits of its <c>contentHash</c>
/// replaced by 64 '0' characters. Each entry is framed as its name in UTF-8, a zero byte, its
/// length as a little-endian 64-bit integer, and its bytes, so no two sets of entries hash alike.
/// </summary>
internal static class PackageHash
{
    public static readonly string Placeholder = new('0', 64);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string ContentHash(IReadOnlyDictionary<string, byte[]> payload, byte[] manifestWithPlaceholder)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in payload.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Append(sha, name, bytes);
        }

        Append(sha, ModelPackage.ManifestEntry, manifestWithPlaceholder);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The manifest's bytes with its content hash zeroed, or null when the hash does not occur exactly once.</summary>
    public static byte[]? WithPlaceholder(byte[] manifest, string contentHash)
    {
        var quoted = Encoding.UTF8.GetBytes($"\"{contentHash}\"");
        var span = manifest.AsSpan();
        var at = span.IndexOf(quoted);
        if (at < 0 || span[(at + 1)..].IndexOf(quoted) >= 0)
        {
            return null;
        }

        var copy = manifest.ToArray();
        Encoding.UTF8.GetBytes(Placeholder).CopyTo(copy, at + 1);
        return copy;
    }

    private static void Append(IncrementalHash sha, string name, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, bytes.LongLength);
        sha.AppendData(Encoding.UTF8.GetBytes(name));
        sha.AppendData([0]);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
