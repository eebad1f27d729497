namespace Factory.Simulator.Randomness;

/// <summary>
/// Hashes that are the same in every process and on every platform, for deriving the seeds of
/// random streams from names. <see cref="string.GetHashCode()"/> is randomised per process, so a
/// seed derived from it would make "the same seed" give a different plant on every run.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>, finished with <see cref="Mix"/>.</summary>
    public static ulong Of(string text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>A seed for the stream named by <paramref name="parts"/> under <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, params ReadOnlySpan<string> parts)
    {
        var hash = Mix(seed ^ 0x9E3779B97F4A7C15);
        foreach (var part in parts)
        {
            hash = Mix(hash ^ Of(part));
        }

        return hash;
    }

    /// <summary>Combines a stream seed with a number (a time knot, an index) into a well-mixed value.</summary>
    public static ulong Derive(ulong seed, long value) => Mix(seed ^ Mix(unchecked((ulong)value) + 0x9E3779B97F4A7C15));

    /// <summary>The SplitMix64 finaliser: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
