using BenchmarkDotNet.Running;

// Benchmarks that are whole programs rather than BenchmarkDotNet methods are picked by their
// first argument; everything else goes to BenchmarkDotNet, where every public class with
// [Benchmark] methods is offered and --filter picks them, e.g.
//   dotnet run -c Release --project tests/Factory.Benchmarks -- --filter '*PublishResponse*'
//   dotnet run -c Release --project tests/Factory.Benchmarks -- client-cpu
return args.FirstOrDefault() switch
{
    "client-cpu" => await ClientCpuComparison.RunAsync(args),
    "client-cpu-worker" => await ClientCpuComparison.RunWorkerAsync(args),
    "simulator-throughput" => await SimulatorThroughput.RunAsync(args),
    "alarm-journal-latency" => await AlarmJournalLatency.RunAsync(args),
    "edge-pipeline" => await Factory.Benchmarks.EdgePipelineBenchmark.RunPipelineAsync(args),
    "edge-memory" => await Factory.Benchmarks.EdgePipelineBenchmark.RunMemoryAsync(args),
    "influx-ingest" => await Factory.Benchmarks.InfluxIngestBenchmark.RunAsync(args),
    "link-replay" => await Factory.Benchmarks.LinkReplayBenchmark.RunAsync(args),
    "outbox-append" => await Factory.Benchmarks.OutboxBenchmark.RunAppendAsync(args),
    "outbox-replay" => await Factory.Benchmarks.OutboxBenchmark.RunReplayAsync(args),
    "rul-holdout" => Factory.Benchmarks.RulBenchmark.Run(args),
    "portal-pages" => await Factory.Benchmarks.PortalPageBenchmark.RunAsync(args),
    "machine-entities" => await Factory.Benchmarks.MachineEntitiesBenchmark.RunAsync(args),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
