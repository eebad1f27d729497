using System.Diagnostics;
using System.Globalization;
using Factory.OpcUa.Fuzz;

// A deterministic mutation fuzzer of the OPC UA binary decoders. See docs/benchmarks.md.
//   dotnet run -c Release --project tests/Factory.OpcUa.Fuzz -- --iterations 1000000 --seed 1 [--target all|message|...] [--findings dir]
//   dotnet run -c Release --project tests/Factory.OpcUa.Fuzz -- --target message --replay artifacts/fuzz-findings/x.bin
//   dotnet run -c Release --project tests/Factory.OpcUa.Fuzz -- --list

FuzzOptions options;
try
{
    options = FuzzOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(FuzzOptions.Usage);
    return 2;
}

if (options.List)
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine(target.Name);
    }

    return 0;
}

if (options.Replay is not null)
{
    var target = FuzzTargets.Select(options.Target).Single();
    try
    {
        Console.WriteLine($"{target.Name}: {FuzzRunner.Replay(target, File.ReadAllBytes(options.Replay))}");
        return 0;
    }
    catch (Exception e)
    {
        Console.WriteLine($"{target.Name}: FINDING {e}");
        return 1;
    }
}

var targets = FuzzTargets.Select(options.Target);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Fuzzing {string.Join(", ", targets.Select(t => t.Name))} with seed {options.Seed}: {options.Iterations:N0} mutated inputs in total, findings to {options.FindingsDirectory}"));

var runner = new FuzzRunner(Console.Out, options.FindingsDirectory);
var reports = new List<TargetReport>();
var started = Stopwatch.GetTimestamp();
for (var i = 0; i < targets.Count; i++)
{
    // The total is shared out evenly; the first targets take the remainder.
    var share = (options.Iterations / targets.Count) + (i < options.Iterations % targets.Count ? 1 : 0);
    var report = runner.Run(targets[i], options.Seed, share);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{report.Name}: {report.Inputs:N0} inputs in {report.Elapsed.TotalSeconds:F1} s, {report.Findings:N0} findings"));
    reports.Add(report);
}

FuzzSummary.Write(Console.Out, reports, Stopwatch.GetElapsedTime(started));
return reports.Any(r => r.Findings > 0) ? 1 : 0;
