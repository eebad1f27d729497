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

return await FactoryApp.Create(AnsiConsole.Console, loggerFactory).RunAsync(args, stop.Token);
