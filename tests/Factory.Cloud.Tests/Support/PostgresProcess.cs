using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Factory.Cloud.Database;
using Npgsql;

namespace Factory.Cloud.Tests.Support;

/// <summary>
/// A real PostgreSQL (Debian's postgresql 15) run as a process on a free 127.0.0.1 port with a
/// fresh cluster: <c>initdb</c> with a user <see cref="User"/> whose password is checked
/// (scram-sha-256 over TCP), then <c>postgres</c>. PostgreSQL refuses to run as root, so as root
/// (CI) both run as the <c>postgres</c> user the package made, through <c>runuser</c>.
/// </summary>
public class PostgresProcess : IAsyncDisposable
{
    public const string NotInstalled = "PostgreSQL is not installed: apt-get install -y postgresql";

    /// <summary>The cluster's superuser, as the cloud nodes connect.</summary>
    public const string User = "factory";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly RecentLines _output = new();
    private Process? _process;

    public PostgresProcess()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"factory-postgres-{Guid.NewGuid():N}");
        Port = FreePort();
    }

    /// <summary>The cluster's folder (data, socket, password file); deleted at dispose.</summary>
    public string Folder { get; }

    public int Port { get; }

    public string Password { get; } = RandomNumberGenerator.GetHexString(24);

    /// <summary>The connection string of a database on this server, without the password (it goes apart, as FACTORY_DATABASE_PASSWORD).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username={User}";

    /// <summary>The cloud's database <paramref name="database"/> on this server, with the password; created at first use.</summary>
    public CloudDatabase Database(string database) => CloudDatabase.PostgreSql(ConnectionString(database), Password);

    /// <summary>Runs initdb, starts postgres and waits until it accepts the user's password.</summary>
    public async Task StartAsync()
    {
        var bin = BinDirectory() ?? throw new InvalidOperationException(NotInstalled);
        Directory.CreateDirectory(Folder);
        if (!OperatingSystem.IsWindows())
        {
            // rwxrwxrwx: the postgres user makes the cluster in it.
            File.SetUnixFileMode(Folder, (UnixFileMode)0x1FF);
        }
        var passwordFile = Path.Combine(Folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        var data = Path.Combine(Folder, "data");
        await RunAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", User, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync");
        File.Delete(passwordFile);

        var start = Command(
            Path.Combine(bin, "postgres"),
            "-D", data, "-p", $"{Port}", "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={Folder}",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var connection = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Password = Password, Timeout = 2 }.ConnectionString;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {process.ExitCode} while starting on port {Port}:\n{Output}");
            }

            try
            {
                await using var open = new NpgsqlConnection(connection);
                await open.OpenAsync();
                return;
            }
            catch (NpgsqlException e)
            {
                if (clock.Elapsed > ReadyTimeout)
                {
                    throw new TimeoutException($"postgres on port {Port} did not accept {User} within {ReadyTimeout.TotalSeconds:0} s ({e.Message}):\n{Output}", e);
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>What postgres printed lately (the last 200 lines).</summary>
    public string Output => _output.ToString();

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the system later.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The newest installed server's programs (/usr/lib/postgresql/N/bin), or null.</summary>
    private static string? BinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")) && File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    /// <summary>The program as the postgres user when this process is root (PostgreSQL will not run as root).</summary>
    private static ProcessStartInfo Command(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        if (Environment.UserName == "root")
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = Command(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with code {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One PostgreSQL per test class that uses it (xunit class fixture); it fails the class loudly when PostgreSQL is missing.</summary>
public sealed class PostgresFixture : PostgresProcess, IAsyncLifetime
{
    public Task InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
