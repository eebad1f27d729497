using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Factory.OpcUa.Tests.Support;

/// <summary>
/// node-opcua, the independent OPC UA implementation our stack is proven against. Its scripts
/// live in tests/opcua-peer (npm, pinned by package-lock.json). A server runs as a separate
/// process on 127.0.0.1 on a free port with a fresh PKI folder and is stopped by PID. A missing
/// Node.js or npm install fails the test loudly with the command that fixes it.
/// </summary>
internal static class NodeOpcUaPeer
{
    public static string Directory { get; } = FindPeerDirectory();

    /// <summary>Runs client.mjs with the arguments; returns its stdout (JSON) or throws with its stderr.</summary>
    public static async Task<string> RunClientAsync(string endpointUrl, params string[] arguments)
    {
        var pki = TemporaryDirectory("peer-client-pki");
        try
        {
            var (exitCode, stdout, stderr) = await RunNodeAsync(["client.mjs", endpointUrl, .. arguments, "--pki", pki], TimeSpan.FromSeconds(90));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"node-opcua client {string.Join(' ', arguments)} exited with {exitCode}:\n{stdout}\n{stderr}");
            }

            return stdout;
        }
        finally
        {
            TryDelete(pki);
        }
    }

    /// <summary>
    /// Runs client.mjs with a PKI folder the caller keeps (so its certificate stays the same from
    /// run to run) and <paramref name="password"/> in PEER_PASSWORD; returns how it ended without throwing.
    /// </summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunSecureClientAsync(string endpointUrl, string pki, string? password, params string[] arguments) =>
        RunNodeAsync(
            ["client.mjs", endpointUrl, .. arguments, "--pki", pki],
            TimeSpan.FromSeconds(90),
            password is null ? null : new Dictionary<string, string> { ["PEER_PASSWORD"] = password });

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    internal static Process Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        info.ArgumentList.Add("--no-warnings");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js is not installed or not on PATH; the OPC UA interop tests need it (Debian: apt-get install -y nodejs npm, then: npm ci --prefix tests/opcua-peer).", e);
        }
    }

    internal static string TemporaryDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"factory-{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    internal static void TryDelete(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    private static string FindPeerDirectory()
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("FACTORY_REPOSITORY") is { Length: > 0 } repository)
        {
            roots.Add(repository);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            roots.Add(dir.FullName);
        }

        foreach (var root in roots)
        {
            var candidate = Path.Combine(root, "tests", "opcua-peer");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                if (!System.IO.Directory.Exists(Path.Combine(candidate, "node_modules", "node-opcua")))
                {
                    throw new InvalidOperationException($"node-opcua is not installed in {candidate}. Run: npm ci --prefix tests/opcua-peer (tests/run-all does this).");
                }

                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/opcua-peer/server.mjs was not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A node-opcua server process (tests/opcua-peer/server.mjs) and the manifest of what it serves.</summary>
internal sealed class NodeOpcUaServer : IAsyncDisposable
{
    private readonly string _pki;
    private readonly string _manifestPath;
    private readonly string[] _extraArguments;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private NodeOpcUaServer(int port, string[] extraArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        Port = port;
        _extraArguments = extraArguments;
        _environment = environment;
        _pki = NodeOpcUaPeer.TemporaryDirectory("peer-server-pki");
        _manifestPath = Path.Combine(_pki, "manifest.json");
    }

    public int Port { get; }
    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";
    public JsonObject Manifest { get; private set; } = [];
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>The server's PKI folder (node-opcua's layout: server/own/certs/certificate.pem, server/trusted/certs, server/rejected).</summary>
    public string Pki => _pki;

    /// <summary>What the server wrote on stderr so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<NodeOpcUaServer> StartAsync(int? port = null, params string[] extraArguments)
    {
        var server = new NodeOpcUaServer(port ?? FreePort.Next(), extraArguments);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>A server whose process gets <paramref name="environment"/> (PEER_PASSWORD for --user).</summary>
    public static async Task<NodeOpcUaServer> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extraArguments)
    {
        var server = new NodeOpcUaServer(FreePort.Next(), extraArguments, environment);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Kills the process (SIGKILL: a crash, not a shutdown).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Kills the server and starts a new one on the same port: every session and subscription is gone.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // A clean stop by PID; SIGKILL if it does not go within five seconds.
            _ = SystemSignals.Terminate(process.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        NodeOpcUaPeer.TryDelete(_pki);
    }

    private async Task StartProcessAsync()
    {
        _process?.Dispose();
        var process = NodeOpcUaPeer.Start(["server.mjs", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pki", _pki, "--manifest", _manifestPath, .. _extraArguments], _environment);
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"node-opcua server exited before it was ready:\n{Log}");
            }

            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                break;
            }
        }

        // Keep draining stdout so the process never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        Manifest = JsonNode.Parse(await File.ReadAllTextAsync(_manifestPath))!.AsObject();
    }
}

internal static class SystemSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM to a process: the polite stop a service manager would send.</summary>
    public static bool Terminate(int pid) => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Kill(pid, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
