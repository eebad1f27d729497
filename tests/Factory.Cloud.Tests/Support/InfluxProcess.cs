using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Factory.Cloud.Tests.Support;

/// <summary>
/// A real InfluxDB (Debian's influxd 1.6.7) run as a process on free 127.0.0.1 ports with a fresh
/// data folder: the test suite's and the influx-ingest benchmark's server. It can be stopped and
/// started again on the same data and port, to play an outage.
/// </summary>
public class InfluxProcess : IAsyncDisposable, IDisposable
{
    public const string Executable = "/usr/bin/influxd";
    public const string NotInstalled = "influxd is not installed: apt-get install -y influxdb";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly RecentLines _output = new();
    private Process? _process;
    private bool _disposed;

    public InfluxProcess()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"factory-influxd-{Guid.NewGuid():N}");
        HttpPort = FreePort();
        RpcPort = FreePort();
    }

    /// <summary>Data, meta and WAL folders and the configuration file; deleted at dispose.</summary>
    public string Folder { get; }

    public int HttpPort { get; }

    public int RpcPort { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{HttpPort}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts influxd (again, on the same data and port after a stop) and waits until /ping answers 204.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(NotInstalled);
        }

        if (IsRunning)
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        var config = Path.Combine(Folder, "influxdb.conf");
        await File.WriteAllTextAsync(config, Configuration(), cancellationToken);
        _output.Clear();

        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-config", config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with code {process.ExitCode} while starting on port {HttpPort}:\n{Output}");
            }

            try
            {
                using var ping = await http.GetAsync(new Uri(BaseUri, "ping"), cancellationToken);
                if (ping.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but not answering yet.
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                Kill();
                throw new TimeoutException($"influxd on port {HttpPort} did not answer /ping with 204 within {ReadyTimeout.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Stops influxd as an operator would (SIGTERM) and waits for it to exit; SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>Kills influxd at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>What influxd printed lately (the last 200 lines).</summary>
    public string Output => _output.ToString();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process?.Dispose();
        try
        {
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is cleaned by the system later.
        }
    }

    private void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private string Configuration()
    {
        // Every listener on 127.0.0.1; [ifql] off (it binds every interface otherwise); quiet logs;
        // no _internal monitoring database; the WAL fsync'ed before a write is answered.
        var dir = Folder.Replace("\\", "/", StringComparison.Ordinal);
        var text = new StringBuilder()
            .AppendLine("reporting-disabled = true")
            .AppendLine($"bind-address = \"127.0.0.1:{RpcPort}\"")
            .AppendLine()
            .AppendLine("[meta]")
            .AppendLine($"  dir = \"{dir}/meta\"")
            .AppendLine("  logging-enabled = false")
            .AppendLine()
            .AppendLine("[data]")
            .AppendLine($"  dir = \"{dir}/data\"")
            .AppendLine($"  wal-dir = \"{dir}/wal\"")
            .AppendLine("  wal-fsync-delay = \"0s\"")
            .AppendLine("  query-log-enabled = false")
            .AppendLine()
            .AppendLine("[monitor]")
            .AppendLine("  store-enabled = false")
            .AppendLine()
            .AppendLine("[http]")
            .AppendLine("  enabled = true")
            .AppendLine($"  bind-address = \"127.0.0.1:{HttpPort}\"")
            .AppendLine("  log-enabled = false")
            .AppendLine("  pprof-enabled = false")
            .AppendLine("  max-row-limit = 0")
            .AppendLine()
            .AppendLine("[ifql]")
            .AppendLine("  enabled = false")
            .AppendLine()
            .AppendLine("[logging]")
            .AppendLine("  level = \"warn\"")
            .AppendLine("  suppress-logo = true")
            .AppendLine()
            .AppendLine("[continuous_queries]")
            .AppendLine("  log-enabled = false")
            .AppendLine()
            .AppendLine("[subscriber]")
            .AppendLine("  enabled = false");
        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
