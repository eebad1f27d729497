namespace Factory.Simulator.Randomness;

/// <summary>
/// A deterministic stream of random numbers (xoshiro256**, seeded through SplitMix64). Written
/// out rather than taken from <see cref="Random"/> so that a seed gives the same plant on every
/// .NET version and platform. One stream per consumer (a sensor's noise, a process's lifetimes),
/// so that adding a sensor does not change the lifetimes of another machine.
/// </summary>
internal sealed class RandomStream
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public RandomStream(ulong seed)
    {
        var x = seed;
        _s0 = Next(ref x);
        _s1 = Next(ref x);
        _s2 = Next(ref x);
        _s3 = Next(ref x);

        static ulong Next(ref ulong state)
        {
            state += 0x9E3779B97F4A7C15;
            return StableHash.Mix(state);
        }
    }

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

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1]: safe to take the logarithm of.</summary>
    public double NextPositiveDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Marsaglia's polar method).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double u, v, s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    /// <summary>Exponential with mean 1.</summary>
    public double NextExponential() => -Math.Log(NextPositiveDouble());

    /// <summary>
    /// A Weibull lifetime with the given shape and scale, conditional on having survived
    /// <paramref name="age"/> already: the total life (age included).
    /// </summary>
    public double NextWeibullLife(double shape, double scale, double age = 0)
    {
        // Inverse of the conditional survival function S(t | t > a) = exp((a/η)^k - (t/η)^k).
        var cumulativeHazard = Math.Pow(age / scale, shape) + NextExponential();
        return scale * Math.Pow(cumulativeHazard, 1 / shape);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
