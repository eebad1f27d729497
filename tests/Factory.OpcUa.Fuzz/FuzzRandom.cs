namespace Factory.OpcUa.Fuzz;

/// <summary>
/// A small deterministic generator (xoshiro256** seeded through SplitMix64). It is written out
/// here rather than taken from <see cref="Random"/> so that a seed reproduces the same inputs on
/// every .NET version and machine, which is what makes a finding repeatable.
/// </summary>
public sealed class FuzzRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public FuzzRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>A generator for one named purpose (a target, a corpus), independent of the others.</summary>
    public static FuzzRandom For(ulong seed, string purpose) => new(seed ^ Fnv1a(purpose));

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)((NextUInt64() >> 33) % (ulong)maxExclusive);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>True with probability 1 / <paramref name="n"/>.</summary>
    public bool OneIn(int n) => Next(n) == 0;

    public bool NextBool() => (NextUInt64() & 1) != 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void NextBytes(Span<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)NextUInt64();
        }
    }

    /// <summary>FNV-1a: a hash of a name that, unlike string.GetHashCode, is the same in every process.</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));
}
