using System.Globalization;

namespace Factory.OpcUa.Fuzz;

/// <summary>The command line of the fuzzer.</summary>
public sealed record FuzzOptions(long Iterations, ulong Seed, string Target, string FindingsDirectory, string? Replay, bool List)
{
    public const string Usage =
        "usage: Factory.OpcUa.Fuzz [--iterations N] [--seed S] [--target all|name[,name...]] [--findings dir]\n" +
        "       Factory.OpcUa.Fuzz --target name --replay file\n" +
        "       Factory.OpcUa.Fuzz --list";

    public static FuzzOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FuzzOptions(100_000, 1, "all", Path.Combine("artifacts", "fuzz-findings"), null, false);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");

            options = args[i] switch
            {
                "--iterations" => options with { Iterations = ParseCount(Value()) },
                "--seed" => options with { Seed = ulong.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : throw new ArgumentException("--seed takes an unsigned integer.") },
                "--target" => options with { Target = Value() },
                "--findings" => options with { FindingsDirectory = Value() },
                "--replay" => options with { Replay = Value() },
                "--list" => options with { List = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        if (options.Replay is not null && FuzzTargets.Select(options.Target).Count != 1)
        {
            throw new ArgumentException("--replay needs exactly one --target.");
        }

        // Validates the names now, so a typo fails before any work.
        FuzzTargets.Select(options.Target);
        return options;
    }

    /// <summary>A count such as 1000000, 1_000_000 or 1e6.</summary>
    private static long ParseCount(string text)
    {
        var cleaned = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (long.TryParse(cleaned, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 0)
        {
            return count;
        }

        if (double.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real >= 0 && real <= long.MaxValue)
        {
            return (long)real;
        }

        throw new ArgumentException($"--iterations takes a non-negative count, not '{text}'.");
    }
}
