using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;

/// <summary>
/// Value changes per second that one simulator process serves, counted at OPC UA clients. A plant
/// of <c>--lines</c> lines × <c>--machines</c> machines × <c>--sensors</c> sensors sampled every
/// <c>--interval</c> ms is written as a plant configuration, <c>factory simulate</c> serves it in its
/// own process (one endpoint per line), and this process subscribes to every sensor of every line
/// (one client and one subscription per line, sampling 0) and counts the data changes that arrive
/// in the measurement window. The simulator's CPU time is read from the OS for the same window.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Factory.Benchmarks -- simulator-throughput [--lines 3] [--machines 100] [--sensors 10] [--interval 50] [--warmup 10] [--duration 30]</c>
/// </remarks>
internal static class SimulatorThroughput
{
    private static readonly (string Signal, string Unit, double High)[] Sensors =
    [
        ("vibration-rms", "mm/s", 50), ("vibration-peak", "mm/s", 100), ("bearing-temperature", "°C", 150), ("winding-temperature", "°C", 180),
        ("motor-current", "A", 100), ("current-imbalance", "%", 20), ("speed", "rpm", 3000), ("torque", "N·m", 200),
        ("power", "kW", 50), ("oil-temperature", "°C", 120),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var lines = Option(args, "--lines", 3);
        var machines = Option(args, "--machines", 100);
        var sensors = Math.Min(Option(args, "--sensors", 10), Sensors.Length);
        var intervalMs = Option(args, "--interval", 50);
        var warmup = TimeSpan.FromSeconds(Option(args, "--warmup", 10));
        var duration = TimeSpan.FromSeconds(Option(args, "--duration", 30));
        var repository = FindRepository();

        Console.WriteLine("Building the factory command (Release) ...");
        var build = await RunToEndAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "quiet", Path.Combine(repository, "src", "Factory.Host")]);
        if (build != 0)
        {
            Console.Error.WriteLine("Building src/Factory.Host failed.");
            return 1;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"factory-simulator-throughput-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var ports = Enumerable.Range(0, lines).Select(_ => FreePort()).ToArray();
        var config = Path.Combine(folder, "plant.yaml");
        await File.WriteAllTextAsync(config, Plant(ports, machines, sensors, intervalMs));
        var nominal = lines * machines * sensors * 1000.0 / intervalMs;
        Console.WriteLine($"Plant: {lines} lines x {machines} machines x {sensors} sensors every {intervalMs} ms = {nominal:N0} values/s nominal; no shifts (running around the clock), no random faults.");

        var factory = Path.Combine(repository, "src", "Factory.Host", "bin", "Release", "net10.0", "factory.dll");
        var simulatorSeconds = (warmup + duration + TimeSpan.FromSeconds(60)).TotalSeconds;
        using var simulator = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { factory, "simulate", "--config", config, "--no-random-faults", "--status-interval", "3600", "--duration", simulatorSeconds.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dotnet did not start");
        _ = simulator.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = simulator.StandardError.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            var counters = new long[lines];
            var overflows = new long[lines];
            var gaps = new long[lines];
            var measuring = 0;
            using var stop = new CancellationTokenSource();
            var clients = new List<UaClient>();
            var readers = new List<Task>();
            for (var line = 0; line < lines; line++)
            {
                var client = await ConnectAsync($"opc.tcp://127.0.0.1:{ports[line]}");
                clients.Add(client);
                var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100), KeepAliveCount = 10, LifetimeCount = 600 });
                var items = Enumerable.Range(1, machines).SelectMany(m => Enumerable.Range(0, sensors).Select(s => new MonitoredItemRequest(NodeId.Parse($"ns=2;s=line-{line + 1}.m-{m:000}.{Sensors[s].Signal}"), 0, 20)));
                var created = await subscription.AddItemsAsync(items);
                if (created.Any(i => i.Status.IsBad))
                {
                    Console.Error.WriteLine($"line-{line + 1}: {created.Count(i => i.Status.IsBad)} items could not be monitored, e.g. {created.First(i => i.Status.IsBad)}");
                    return 1;
                }

                var index = line;
                readers.Add(Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var message in subscription.ReadAllAsync(stop.Token))
                        {
                            if (Volatile.Read(ref measuring) == 0)
                            {
                                continue;
                            }

                            if (message is DataChangeMessage data)
                            {
                                Interlocked.Add(ref counters[index], data.Changes.Count);
                                Interlocked.Add(ref overflows[index], data.Changes.Count(c => (c.Value.StatusCode.Code & 0x0480) == 0x0480));
                            }
                            else if (message is DataGap)
                            {
                                Interlocked.Increment(ref gaps[index]);
                            }
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        // The measurement is over.
                    }
                }));
            }

            Console.WriteLine($"Subscribed to {lines * machines * sensors:N0} sensors on {lines} endpoints; warming up {warmup.TotalSeconds} s, measuring {duration.TotalSeconds} s ...");
            await Task.Delay(warmup);
            var simulatorCpu = CpuTime(simulator);
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            Volatile.Write(ref measuring, 1);
            await Task.Delay(duration);
            Volatile.Write(ref measuring, 0);
            var elapsed = watch.Elapsed.TotalSeconds;
            var simulatorCpuUsed = (CpuTime(simulator) - simulatorCpu).TotalSeconds;
            var ownCpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds;
            await stop.CancelAsync();
            await Task.WhenAll(readers);

            var total = counters.Sum();
            for (var line = 0; line < lines; line++)
            {
                Console.WriteLine($"  line-{line + 1}: {counters[line] / elapsed,10:N0} changes/s  (queue overflows {overflows[line]}, gaps {gaps[line]})");
            }

            Console.WriteLine($"Total: {total / elapsed:N0} value changes/s received ({total:N0} in {elapsed:0.0} s) = {100 * total / elapsed / nominal:0.0} % of nominal");
            Console.WriteLine($"CPU: simulator process {simulatorCpuUsed / elapsed:0.00} cores ({1e6 * simulatorCpuUsed / Math.Max(1, total):0.00} µs per change), client process {ownCpuUsed / elapsed:0.00} cores; machine has {Environment.ProcessorCount} cores");
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            return 0;
        }
        finally
        {
            if (!simulator.HasExited)
            {
                simulator.Kill(entireProcessTree: true);
                await simulator.WaitForExitAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Plant(int[] ports, int machines, int sensors, int intervalMs)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("schemaVersion: 1");
        yaml.AppendLine("machineTypes:");
        yaml.AppendLine("  - { id: cnc-spindle, name: CNC spindle, kind: cnc-spindle }");
        yaml.AppendLine("  - { id: centrifugal-pump, name: Centrifugal pump, kind: centrifugal-pump }");
        yaml.AppendLine("  - { id: conveyor-drive, name: Conveyor drive, kind: conveyor-drive }");
        yaml.AppendLine("  - { id: hydraulic-press, name: Hydraulic press, kind: hydraulic-press }");
        yaml.AppendLine("site:");
        yaml.AppendLine("  id: bench");
        yaml.AppendLine("  name: Benchmark plant");
        yaml.AppendLine("  timeZone: UTC");
        yaml.AppendLine("  areas:");
        yaml.AppendLine("    - id: hall");
        yaml.AppendLine("      name: Hall");
        yaml.AppendLine("      lines:");
        string[] types = ["cnc-spindle", "centrifugal-pump", "conveyor-drive", "hydraulic-press"];
        for (var line = 1; line <= ports.Length; line++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        - id: line-{line}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"          name: Line {line}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"          edgeNode: edge-line-{line}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"          opcUa: {{ endpoint: opc.tcp://127.0.0.1:{ports[line - 1]} }}");
            yaml.AppendLine("          machines:");
            for (var m = 1; m <= machines; m++)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"            - id: m-{m:000}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"              type: {types[(m - 1) % 4]}");
                yaml.AppendLine("              criticality: medium");
                yaml.AppendLine("              sensors:");
                foreach (var (signal, unit, high) in Sensors.Take(sensors))
                {
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"                - {{ id: {signal}, signal: {signal}, nodeId: \"ns=2;s=line-{line}.m-{m:000}.{signal}\", unit: \"{unit}\", range: {{ low: 0, high: {high} }}, samplingIntervalMs: {intervalMs} }}");
                }
            }
        }

        return yaml.ToString();
    }

    private static async Task<UaClient> ConnectAsync(string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = url, MaxSubscriptionBacklog = 100_000 });
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // The simulator is still starting.
                await Task.Delay(500);
            }
        }
    }

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task<int> RunToEndAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Factory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Factory.sln was not found above the benchmark's folder.");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
