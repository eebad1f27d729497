using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Factory.EndToEnd.Tests.Support;

/// <summary>TLS and users for <see cref="MosquittoProcess"/>: PEM certificate and key, and a password file.</summary>
public sealed record MosquittoSecurity(string CertificateFile, string KeyFile, string PasswordFile);

/// <summary>
/// Debian's Mosquitto as a plain process on a free loopback port, with persistence in a fresh
/// folder: an external broker the tests can stop, kill with SIGKILL and start again. With
/// <see cref="MosquittoSecurity"/> it speaks MQTT over TLS only and lets in the password file's users only.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/mosquitto";
    private readonly string _directory = Directory.CreateTempSubdirectory("factory-mosquitto-").FullName;
    private readonly MosquittoSecurity? _security;
    private Process? _process;

    public MosquittoProcess(MosquittoSecurity? security = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException("mosquitto is not installed: apt-get install -y mosquitto mosquitto-clients");
        }

        Port = FreePort();
        _security = security;
        var access = security is null
            ? "allow_anonymous true"
            : $"""
                certfile {security.CertificateFile}
                keyfile {security.KeyFile}
                tls_version tlsv1.2
                allow_anonymous false
                password_file {security.PasswordFile}
                """;
        File.WriteAllText(ConfigPath, $"""
            listener {Port} 127.0.0.1
            {access}
            persistence true
            persistence_location {_directory}/
            autosave_interval 30
            max_queued_messages 1000000
            max_inflight_messages 100
            log_dest stdout
            log_type error
            log_type warning
            user root
            """);
    }

    public int Port { get; }

    public string Address => $"{(_security is null ? "mqtt" : "mqtts")}://127.0.0.1:{Port}";

    public bool Running => _process is { HasExited: false };

    private string ConfigPath => Path.Combine(_directory, "mosquitto.conf");

    /// <summary>Starts the broker and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Binary, ["-c", ConfigPath]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited at start with code {_process.ExitCode}; its configuration is {ConfigPath}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on port {Port} within 15 s");
    }

    /// <summary>Stops the broker as a service stop does (SIGTERM: it saves its state first).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signal(process.Id, "TERM");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>Kills the broker with SIGKILL: what it received since its last save is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
