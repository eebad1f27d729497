using System.Collections.Concurrent;
using System.Diagnostics;

namespace Factory.EndToEnd.Tests.Support;

/// <summary>
/// The <c>factory</c> command as a separate process (<c>dotnet factory.dll …</c>, built beside the
/// tests), so that a test can kill it with SIGKILL as a power cut would and start it again.
/// </summary>
public sealed class FactoryProcess : IAsyncDisposable
{
    private readonly string[] _arguments;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public FactoryProcess(params string[] arguments)
    {
        _arguments = arguments;
    }

    /// <summary>Variables set in its environment (secrets, as an operator gives them).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>What it printed so far (the last 2,000 lines).</summary>
    public string Output => string.Join('\n', _output);

    public bool Running => _process is { HasExited: false };

    public void Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "factory.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(dll);
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown code runs, unflushed buffers are lost.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as a service stop: the process shuts down cleanly.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            MosquittoProcess.Signal(process.Id, "TERM");
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                process.Kill();
                throw new InvalidOperationException("factory did not stop within 20 s of SIGTERM:\n" + Output);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }
    }
}
