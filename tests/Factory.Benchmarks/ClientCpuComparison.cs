using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Factory.Benchmarks;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Types;

/// <summary>
/// CPU time per received data change: our OPC UA client against node-opcua's, both subscribed to
/// the same items on the same server in the same run. Each client runs in its own process and
/// measures only its own CPU time (user + system) over the same measurement window, so neither
/// the server nor the other client is counted.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- client-cpu [--items 1000] [--interval 100] [--warmup 5] [--duration 20]</c>
/// </remarks>
internal static class ClientCpuComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var items = BenchmarkArguments.Int(args, "--items", 1000);
        var intervalMs = BenchmarkArguments.Int(args, "--interval", 100);
        var warmupSeconds = BenchmarkArguments.Int(args, "--warmup", 5);
        var durationSeconds = BenchmarkArguments.Int(args, "--duration", 20);
        var peer = FindPeer();

        // The server: our own, in this process, with counters that all step every interval.
        await using var server = new UaServer(new ServerOptions { Port = 0, MinPublishingInterval = TimeSpan.FromMilliseconds(10) });
        var ns = server.AddressSpace.RegisterNamespace("urn:factory:client-cpu-benchmark");
        var variables = Enumerable.Range(0, items)
            .Select(i => server.AddressSpace.AddVariable(ObjectIds.ObjectsFolder, new NodeId($"Item{i:0000}", ns), $"Item{i:0000}", DataTypeIds.UInt32, new Variant(0u)))
            .ToArray();
        await server.StartAsync();
        using var ticking = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
            var tick = 0u;
            while (await timer.WaitForNextTickAsync(ticking.Token))
            {
                tick++;
                foreach (var variable in variables)
                {
                    variable.SetValue(new Variant(tick));
                }
            }
        });

        Console.WriteLine($"Server {server.EndpointUrl}: {items} UInt32 items, each changing every {intervalMs} ms ({items * 1000 / intervalMs:N0} changes/s per client)");
        Console.WriteLine($"Both clients: one subscription, publishing {intervalMs} ms, sampling 0, queue 100; warm-up {warmupSeconds} s, measured {durationSeconds} s");

        var common = new[] { "--warmup", (warmupSeconds * 1000).ToString(CultureInfo.InvariantCulture), "--duration", (durationSeconds * 1000).ToString(CultureInfo.InvariantCulture),
            "--publishing", intervalMs.ToString(CultureInfo.InvariantCulture), "--sampling", "0", "--queue", "100" };
        var prefix = $"ns={ns};s=Item";
        var ours = RunProcess("dotnet", [typeof(ClientCpuComparison).Assembly.Location, "client-cpu-worker", server.EndpointUrl, "--prefix", prefix, "--count", items.ToString(CultureInfo.InvariantCulture), .. common], null);
        var theirs = RunProcess("node", ["--no-warnings", "bench-client.mjs", server.EndpointUrl, "--prefix", prefix, "--count", items.ToString(CultureInfo.InvariantCulture), "--width", "4", .. common], peer);
        var results = await Task.WhenAll(ours, theirs);
        await ticking.CancelAsync();
        try
        {
            await ticker;
        }
        catch (OperationCanceledException)
        {
        }

        var ourCost = results[0]["cpuMicrosPerChange"]!.GetValue<double>();
        var theirCost = results[1]["cpuMicrosPerChange"]!.GetValue<double>();
        Console.WriteLine();
        Console.WriteLine("| client | changes received | CPU time (ms) | CPU µs per change |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| Factory.OpcUa (.NET) | {results[0]["changes"]:N0} | {results[0]["cpuMicros"]!.GetValue<double>() / 1000:N0} | {ourCost:N2} |");
        Console.WriteLine($"| node-opcua 2.182.2 (Node {NodeVersion()}) | {results[1]["changes"]:N0} | {results[1]["cpuMicros"]!.GetValue<double>() / 1000:N0} | {theirCost:N2} |");
        Console.WriteLine();
        Console.WriteLine($"Ratio ours / node-opcua: {ourCost / theirCost:N3} (target at most 0.333)");
        return ourCost <= theirCost / 3 ? 0 : 1;
    }

    /// <summary>The .NET side, run as its own process: subscribe, warm up, then count changes and CPU time.</summary>
    public static async Task<int> RunWorkerAsync(string[] args)
    {
        var endpoint = args[1];
        var prefix = Text(args, "--prefix");
        var count = BenchmarkArguments.Int(args, "--count", 100);
        var warmup = TimeSpan.FromMilliseconds(BenchmarkArguments.Int(args, "--warmup", 5000));
        var duration = TimeSpan.FromMilliseconds(BenchmarkArguments.Int(args, "--duration", 20000));
        var publishing = BenchmarkArguments.Int(args, "--publishing", 100);
        var sampling = BenchmarkArguments.Int(args, "--sampling", 0);
        var queue = (uint)BenchmarkArguments.Int(args, "--queue", 100);

        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = endpoint, ApplicationName = "client-cpu-benchmark" });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(publishing) });
        await subscription.AddItemsAsync([.. Enumerable.Range(0, count).Select(i => new MonitoredItemRequest(NodeId.Parse($"{prefix}{i:0000}"), sampling, queue))]);

        long changes = 0;
        var measuring = false;
        uint lastValue = 0;
        using var stop = new CancellationTokenSource(warmup + duration);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in subscription.ReadAllAsync(stop.Token))
                {
                    if (message is DataChangeMessage data)
                    {
                        foreach (var change in data.Changes)
                        {
                            // As little work as node-opcua's handler: count it and touch the value.
                            lastValue = change.Value.Value.Type == BuiltInType.UInt32 ? change.Value.Value.AsUInt32() : 0;
                            if (Volatile.Read(ref measuring))
                            {
                                changes++;
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        await Task.Delay(warmup);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await reader;
        Volatile.Write(ref measuring, false);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var result = new JsonObject
        {
            ["changes"] = changes,
            ["cpuMicros"] = cpu.TotalMicroseconds,
            ["cpuMicrosPerChange"] = changes == 0 ? null : cpu.TotalMicroseconds / changes,
            ["wallMs"] = wall.Elapsed.TotalMilliseconds,
            ["items"] = count,
            ["lastValue"] = lastValue,
        };
        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    private static async Task<JsonNode> RunProcess(string file, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lastLine = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || lastLine is null)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return JsonNode.Parse(lastLine) ?? throw new JsonException($"{file} printed no JSON");
    }

    private static string FindPeer()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "opcua-peer");
            if (File.Exists(Path.Combine(candidate, "bench-client.mjs")))
            {
                return Directory.Exists(Path.Combine(candidate, "node_modules"))
                    ? candidate
                    : throw new InvalidOperationException($"node-opcua is not installed: run npm ci --prefix {candidate}");
            }
        }

        throw new InvalidOperationException("tests/opcua-peer was not found above the benchmark's folder.");
    }

    private static string NodeVersion()
    {
        using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version.TrimStart('v');
    }

    private static string Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"{name} is required");
    }
}
