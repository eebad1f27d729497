using System.Globalization;
using Factory.Simulator.Replay;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Factory.Host.Commands.Simulate;

/// <summary>
/// <c>factory simulate replay</c>: streams a recorded data set (CSV) as OPC UA values at its
/// recorded pace; malformed rows are reported with their line number and skipped.
/// </summary>
public sealed class SimulateReplayCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : SimulatorCommand<ReplaySettings>(console)
{
    protected override async Task<int> RunAsync(ReplaySettings settings, CancellationToken cancellationToken)
    {
        var recording = CsvRecording.Open(settings.Csv, settings.TimestampColumn, settings.Delimiter[0]);
        await using var replay = new CsvReplay(recording, new ReplayOptions { EndpointUrl = settings.Endpoint, Speed = settings.Speed, Loop = settings.Loop }, loggerFactory);
        await replay.StartAsync(cancellationToken);
        Line($"Replaying {settings.Csv} on {replay.EndpointUrl} at {settings.Speed.ToString("0.###", CultureInfo.InvariantCulture)}x{(settings.Loop ? ", looping" : "")}:");
        foreach (var column in recording.Columns)
        {
            Line($"  {CsvReplay.NodeIdOf(column)}");
        }

        if (recording.IgnoredColumns.Count > 0)
        {
            Line($"Not served (not numeric): {string.Join(", ", recording.IgnoredColumns)}", Color.Yellow);
        }

        Line("Ctrl+C stops the replay.");
        try
        {
            var summary = await replay.RunAsync(row => Line($"{settings.Csv}:{row.LineNumber}: {row.Problem}; row skipped", Color.Yellow), cancellationToken);
            Line($"Replayed {summary.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows ({summary.Malformed} skipped).");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Line($"Stopped after {replay.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows.");
        }

        return 0;
    }
}
