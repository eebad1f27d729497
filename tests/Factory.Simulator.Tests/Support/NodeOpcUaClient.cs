using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Factory.Simulator.Tests.Support;

/// <summary>
/// node-opcua's client (tests/opcua-peer/client.mjs), the independent OPC UA implementation our
/// server is proven against, run as a process that prints JSON. A missing Node.js or npm install
/// fails the test loudly with the command that fixes it.
/// </summary>
internal static class NodeOpcUaClient
{
    public static async Task<string> RunAsync(string endpointUrl, params string[] arguments)
    {
        var directory = Repository.PathOf("tests", "opcua-peer");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "node-opcua")))
        {
            throw new InvalidOperationException($"node-opcua is not installed in {directory}. Run: npm ci --prefix tests/opcua-peer (tests/run-all does this).");
        }

        var pki = Path.Combine(Path.GetTempPath(), $"factory-sim-peer-{Guid.NewGuid():N}");
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--no-warnings", "client.mjs", endpointUrl, .. arguments, "--pki", pki])
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js is not installed or not on PATH (Debian: apt-get install -y nodejs npm, then: npm ci --prefix tests/opcua-peer).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node client.mjs {string.Join(' ', arguments)} did not finish:\n{await stderr}");
            }
            finally
            {
                try
                {
                    Directory.Delete(pki, recursive: true);
                }
                catch (IOException)
                {
                    // The OS cleans its temp folder.
                }
                catch (UnauthorizedAccessException)
                {
                    // Likewise.
                }
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node-opcua client {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
            }

            return await stdout;
        }
    }

    /// <summary>The JSON lines of a subscribe run (one per data change, then the summary).</summary>
    public static List<JsonNode> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
}
