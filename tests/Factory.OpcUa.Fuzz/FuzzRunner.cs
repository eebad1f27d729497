using System.Diagnostics;
using System.Globalization;

namespace Factory.OpcUa.Fuzz;

/// <summary>What happened to the inputs of one target.</summary>
public sealed class TargetReport(string name)
{
    public string Name { get; } = name;
    public int CorpusSize { get; set; }
    public long Inputs { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
    public long Findings { get; set; }
    public SortedDictionary<string, long> RejectedBy { get; } = new(StringComparer.Ordinal);
    public TimeSpan Elapsed { get; set; }
    public TimeSpan Slowest { get; set; }
    public double InputsPerSecond => Elapsed > TimeSpan.Zero ? Inputs / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The fuzzing loop: start from a target's valid corpus, mutate a pick from the pool, run the
/// input, count the outcome; accepted mutants join the pool so later mutations start from
/// further afield. Every choice comes from one <see cref="FuzzRandom"/> per target, so the seed
/// and the iteration count reproduce a run exactly.
/// </summary>
public sealed class FuzzRunner(TextWriter output, string findingsDirectory)
{
    private const int MaxPool = 4096;
    private const int SavedPerSignature = 3;

    private readonly Dictionary<string, int> _signatures = new(StringComparer.Ordinal);

    public TargetReport Run(IFuzzTarget target, ulong seed, long iterations)
    {
        var report = new TargetReport(target.Name);
        var random = FuzzRandom.For(seed, target.Name);
        var corpus = target.Corpus(new RandomValues(FuzzRandom.For(seed, target.Name + "/corpus"))).ToList();
        report.CorpusSize = corpus.Count;

        var started = Stopwatch.GetTimestamp();

        // The corpus is made of valid encodings, so a target that refuses one of them is wrong too.
        for (var i = 0; i < corpus.Count; i++)
        {
            Execute(target, corpus[i], seed, $"corpus entry {i}", report, rejectionIsFinding: true);
        }

        var pool = new List<byte[]>(corpus);
        for (long i = 0; i < iterations; i++)
        {
            var input = Mutator.Mutate(random.Pick(pool), random, pool);
            if (Execute(target, input, seed, $"iteration {i}", report, rejectionIsFinding: false) == Outcome.Accepted && pool.Count < MaxPool && random.OneIn(8))
            {
                pool.Add(input);
            }
        }

        report.Elapsed = Stopwatch.GetElapsedTime(started);
        return report;
    }

    /// <summary>Runs one saved input, as <c>--replay</c> does, and says what became of it.</summary>
    public static string Replay(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return "accepted";
        }
        catch (Exception e) when (target.IsRejection(e))
        {
            return $"rejected: {e.Message}";
        }
    }

    private Outcome Execute(IFuzzTarget target, byte[] input, ulong seed, string where, TargetReport report, bool rejectionIsFinding)
    {
        report.Inputs++;
        var started = Stopwatch.GetTimestamp();
        try
        {
            target.Run(input);
            report.Accepted++;
            return Outcome.Accepted;
        }
        catch (Exception e) when (!rejectionIsFinding && target.IsRejection(e))
        {
            report.Rejected++;
            var kind = FuzzTargets.RejectionKind(e);
            report.RejectedBy[kind] = report.RejectedBy.GetValueOrDefault(kind) + 1;
            return Outcome.Rejected;
        }
        catch (Exception e)
        {
            Record(target, input, seed, where, e, report);
            return Outcome.Finding;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > report.Slowest)
            {
                report.Slowest = elapsed;
            }
        }
    }

    private void Record(IFuzzTarget target, byte[] input, ulong seed, string where, Exception exception, TargetReport report)
    {
        report.Findings++;

        // Many inputs hit the same defect; report and keep the first few of each kind.
        var signature = $"{target.Name}|{exception.GetType().FullName}|{TopFrame(exception)}";
        var seen = _signatures.GetValueOrDefault(signature);
        _signatures[signature] = seen + 1;
        if (seen >= SavedPerSignature)
        {
            return;
        }

        var hex = Convert.ToHexString(input);
        output.WriteLine($"FINDING in target '{target.Name}', seed {seed}, {where}: {exception.GetType().Name}: {exception.Message}");
        output.WriteLine($"  input ({input.Length} bytes): {(hex.Length <= 512 ? hex : hex[..512] + "...")}");

        Directory.CreateDirectory(findingsDirectory);
        var file = Path.Combine(findingsDirectory, $"{target.Name}-seed{seed}-{where.Replace(' ', '-')}");
        File.WriteAllBytes(file + ".bin", input);
        File.WriteAllText(file + ".txt",
            $"target: {target.Name}{Environment.NewLine}seed: {seed}{Environment.NewLine}where: {where}{Environment.NewLine}" +
            $"replay: dotnet run -c Release --project tests/Factory.OpcUa.Fuzz -- --target {target.Name} --replay {file}.bin{Environment.NewLine}" +
            $"input: {hex}{Environment.NewLine}{Environment.NewLine}{exception}{Environment.NewLine}");
        output.WriteLine($"  saved to {file}.bin");
    }

    private static string TopFrame(Exception exception)
    {
        var trace = exception.StackTrace ?? "";
        var end = trace.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? trace : trace[..end]).Trim();
    }

    private enum Outcome
    {
        Accepted,
        Rejected,
        Finding,
    }
}

/// <summary>The summary table printed at the end of a run.</summary>
public static class FuzzSummary
{
    public static void Write(TextWriter output, IReadOnlyList<TargetReport> reports, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($"{"target",-16} {"corpus",7} {"inputs",12} {"accepted",12} {"rejected",12} {"findings",9} {"seconds",8} {"inputs/s",10} {"slowest ms",11}");
        foreach (var r in reports)
        {
            output.WriteLine(string.Create(c, $"{r.Name,-16} {r.CorpusSize,7:N0} {r.Inputs,12:N0} {r.Accepted,12:N0} {r.Rejected,12:N0} {r.Findings,9:N0} {r.Elapsed.TotalSeconds,8:F1} {r.InputsPerSecond,10:N0} {r.Slowest.TotalMilliseconds,11:F2}"));
        }

        var inputs = reports.Sum(r => r.Inputs);
        output.WriteLine(string.Create(c, $"{"total",-16} {reports.Sum(r => r.CorpusSize),7:N0} {inputs,12:N0} {reports.Sum(r => r.Accepted),12:N0} {reports.Sum(r => r.Rejected),12:N0} {reports.Sum(r => r.Findings),9:N0} {elapsed.TotalSeconds,8:F1} {inputs / Math.Max(elapsed.TotalSeconds, 1e-9),10:N0}"));

        var rejections = reports.SelectMany(r => r.RejectedBy)
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(group => string.Create(c, $"{group.Key} {group.Sum(pair => pair.Value):N0}"));
        output.WriteLine($"rejected by: {string.Join(", ", rejections)}");
        output.WriteLine(string.Create(c, $"findings: {reports.Sum(r => r.Findings):N0}"));
    }
}
