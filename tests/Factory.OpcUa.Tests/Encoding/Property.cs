using System.Globalization;
using System.Runtime.CompilerServices;
using CsCheck;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// Runs a CsCheck property over a fixed, reproducible sequence of inputs. CsCheck's own
/// <c>Sample</c> seeds only its first iteration and draws the rest from a time-seeded generator;
/// CI needs the same inputs on every run, so the inputs come from one <see cref="PCG"/> seeded
/// with <see cref="Seed"/> and a stream per property, and CsCheck is only asked to shrink a failure.
/// </summary>
/// <remarks>
/// <c>FACTORY_PROPERTY_SEED</c> (an unsigned integer) changes the seed, to explore new inputs or to
/// repeat a reported failure; <c>FACTORY_PROPERTY_ITERATIONS</c> replaces every property's count.
/// </remarks>
internal static class Property
{
    public const ulong DefaultSeed = 20241128;

    public static ulong Seed { get; } = ulong.TryParse(Environment.GetEnvironmentVariable("FACTORY_PROPERTY_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    private static readonly int? IterationsOverride =
        int.TryParse(Environment.GetEnvironmentVariable("FACTORY_PROPERTY_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) ? iterations : null;

    public static void Check<T>(Gen<T> gen, Action<T> assert, int iterations = 500, [CallerMemberName] string name = "")
    {
        var count = IterationsOverride ?? iterations;
        var pcg = new PCG(StreamOf(name), Seed);
        for (var i = 0; i < count; i++)
        {
            var state = pcg.State;
            var value = gen.Generate(pcg, null, out _);
            try
            {
                assert(value);
            }
            catch (Exception e)
            {
                throw Failure(gen, assert, name, i, pcg.ToString(state), e);
            }
        }
    }

    private static Xunit.Sdk.XunitException Failure<T>(Gen<T> gen, Action<T> assert, string name, int iteration, string caseSeed, Exception first)
    {
        string shrunk;
        try
        {
            // Starting from the failing case, CsCheck looks for a smaller input that still fails.
            gen.Sample(assert, seed: caseSeed, iter: 2000, threads: 1);
            shrunk = "(the case did not fail again)";
        }
        catch (CsCheckException e)
        {
            shrunk = e.Message;
        }

        return new Xunit.Sdk.XunitException(
            $"Property {name} failed at iteration {iteration} (FACTORY_PROPERTY_SEED={Seed}; CsCheck seed of the case \"{caseSeed}\").{Environment.NewLine}" +
            $"First failure: {first.Message}{Environment.NewLine}Shrunk: {shrunk}");
    }

    /// <summary>FNV-1a of the property name: stable across runs and processes, unlike string.GetHashCode.</summary>
    private static uint StreamOf(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
