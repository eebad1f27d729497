using System.Runtime.InteropServices;
using Factory.Host.Cli;
using Microsoft.Extensions.Logging;
using Spectre.Console;

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(Environment.GetEnvironmentVariable("FACTORY_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM (systemd, docker stop, kill) ends a long-running verb the way Ctrl+C does: the edge
// node closes its journal and sessions. Without this the hosts inside swallowed it and the
// process kept running.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    return await FactoryApp.Create(AnsiConsole.Console, loggerFactory).RunAsync(args, stop.Token);
}
catch (Spectre.Console.Cli.CommandAppException e)
{
    // A wrong or missing option: the message says which; a stack trace would only hide it.
    Console.Error.WriteLine($"factory: {e.Message}");
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}
