namespace Factory.Simulator.Randomness;

/// <summary>
/// Random values that are a function of simulated time rather than of how often it is sampled:
/// the value at a knot is a hash of the stream and the knot number. The operating profile of a
/// machine (its jobs, its load) is therefore the same whether a history is written at 60 s
/// resolution or the plant is served at 100 ms, and the same for a given seed.
/// </summary>
internal static class TimeNoise
{
    /// <summary>Uniform in [0, 1) for knot <paramref name="knot"/> of <paramref name="stream"/>.</summary>
    public static double Uniform(ulong stream, long knot) => (StableHash.Derive(stream, knot) >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Smooth noise in [-1, 1]: random values at knots <paramref name="period"/> seconds apart,
    /// joined by cosine interpolation, so it wanders on that time scale without jumps.
    /// </summary>
    public static double Smooth(ulong stream, double seconds, double period)
    {
        var position = seconds / period;
        var knot = (long)Math.Floor(position);
        var fraction = position - knot;
        var a = (2 * Uniform(stream, knot)) - 1;
        var b = (2 * Uniform(stream, knot + 1)) - 1;
        var weight = (1 - Math.Cos(fraction * Math.PI)) / 2;
        return a + ((b - a) * weight);
    }
}
