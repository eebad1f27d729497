using BenchmarkDotNet.Running;

// Every public class with [Benchmark] methods in this assembly is offered; pick with --filter,
// e.g. dotnet run -c Release --project tests/Factory.Benchmarks -- --filter '*PublishResponse*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
