using System.Net;
using System.Net.Sockets;
using Factory.Host.Cli;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Factory.Host.Tests.Support;

/// <summary>The <c>factory</c> command run in process as a user runs it, and what its tests need around it.</summary>
internal static class FactoryCli
{
    /// <summary>plant-config/sample-plant.yaml of the repository.</summary>
    public static string SamplePlant { get; } = FindSamplePlant();

    /// <summary>Runs the command with <paramref name="args"/> on a console <paramref name="width"/> wide; a settings error is exit -1 with its message.</summary>
    public static Task<(int Exit, string Output)> RunAsync(string[] args, int width = 250, CancellationToken cancellationToken = default) =>
        RunAsync(args, [], width, cancellationToken);

    /// <summary>Runs the command with <paramref name="input"/> typed at its prompts, one line each.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string[] args, IReadOnlyList<string> input, int width = 250, CancellationToken cancellationToken = default)
    {
        var console = new TestConsole().Width(width);
        console.Profile.Capabilities.Interactive = input.Count > 0;
        foreach (var line in input)
        {
            console.Input.PushTextWithEnter(line);
        }

        var app = FactoryApp.Create(console, NullLoggerFactory.Instance);
        int exit;
        try
        {
            exit = await app.RunAsync(args, cancellationToken);
        }
        catch (Spectre.Console.Cli.CommandRuntimeException e)
        {
            // Settings validation failures surface as exceptions with PropagateExceptions.
            console.WriteLine(e.Message);
            exit = -1;
        }

        return (exit, console.Output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindSamplePlant()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "plant-config", "sample-plant.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("plant-config/sample-plant.yaml was not found above the test folder.");
    }
}
