using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Factory.Simulator.Physics;

namespace Factory.Simulator.History;

/// <summary>What a history export wrote.</summary>
public sealed record HistorySummary(string OutputDirectory, int Machines, long Rows, int Onsets, int Failures, int Repairs, TimeSpan Elapsed);

/// <summary>
/// Runs a plant's physics faster than real time and writes run-to-failure histories with their
/// labels, in the format of docs/simulator.md ("History files"): per machine a CSV of every
/// sensor, the operating state and the health of each process at a fixed resolution;
/// <c>labels.csv</c> with one row per fault (onset, failure, repair); <c>events.csv</c> with every
/// event in time order; <c>manifest.json</c> describing all of it.
/// </summary>
public static class HistoryExport
{
    public const int FormatVersion = 1;

    /// <summary>Time from a failure to the start of its repair (the technician's response), used unless the options say otherwise.</summary>
    public static readonly TimeSpan DefaultRepairDelay = TimeSpan.FromHours(2);

    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ssZ";

    /// <summary>
    /// Writes <paramref name="duration"/> of history from the simulation's start, one row per
    /// machine every <paramref name="resolution"/>, into <paramref name="outputDirectory"/>
    /// (created if needed; files of an earlier export there are replaced). Machines are simulated
    /// in parallel; each has its own random streams, so the files are the same for the same seed.
    /// </summary>
    public static HistorySummary Write(PlantSimulation simulation, TimeSpan duration, TimeSpan resolution, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(outputDirectory);
        var machines = simulation.Machines.ToList();
        var start = simulation.Start;
        var end = start + duration;
        var events = new List<SimulationEvent>[machines.Count];
        var rows = new long[machines.Count];
        Parallel.For(
            0,
            machines.Count,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            i =>
            {
                var machine = machines[i];
                var path = Path.Combine(outputDirectory, MachineFile(machine));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                rows[i] = WriteMachine(machine, start, end, resolution, path, cancellationToken);
                events[i] = [];
                machine.DrainEvents(events[i]);
            });

        var all = events.SelectMany(e => e).Where(e => e.Time < end).OrderBy(e => e.Time).ThenBy(e => e.LineId, StringComparer.Ordinal).ThenBy(e => e.MachineId, StringComparer.Ordinal).ToList();
        var episodes = Episodes(all);
        WriteEvents(Path.Combine(outputDirectory, "events.csv"), all);
        WriteLabels(Path.Combine(outputDirectory, "labels.csv"), episodes);
        WriteManifest(Path.Combine(outputDirectory, "manifest.json"), simulation, machines, end, resolution, rows.Sum(), episodes);
        File.WriteAllText(Path.Combine(outputDirectory, "README.md"), Readme(simulation, end, resolution));
        return new HistorySummary(
            outputDirectory,
            machines.Count,
            rows.Sum(),
            all.Count(e => e.Kind == SimulationEventKind.FaultOnset),
            all.Count(e => e.Kind == SimulationEventKind.Failure),
            all.Count(e => e.Kind == SimulationEventKind.MaintenanceCompleted),
            watch.Elapsed);
    }

    /// <summary>The path of a machine's CSV inside the output folder.</summary>
    public static string MachineFile(MachineSimulation machine) => Path.Combine("machines", machine.LineId, $"{machine.MachineId}.csv");

    private static long WriteMachine(MachineSimulation machine, DateTimeOffset start, DateTimeOffset end, TimeSpan resolution, string path, CancellationToken cancellationToken)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.NewLine = "\n";
        var header = new StringBuilder("timestamp");
        foreach (var channel in machine.Channels)
        {
            header.Append(',').Append(channel.Sensor.Id);
        }

        header.Append(",state");
        foreach (var process in machine.ProcessIds)
        {
            header.Append(",health.").Append(process);
        }

        header.Append(",rul_hours");
        writer.WriteLine(header.ToString());

        Span<char> buffer = stackalloc char[64];
        long rows = 0;
        for (var t = start; t < end; t += resolution)
        {
            if ((rows & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            machine.AdvanceTo(t);
            t.UtcDateTime.TryFormat(buffer, out var n, TimeFormat, CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            foreach (var channel in machine.Channels)
            {
                writer.Write(',');
                machine.Sample(channel).TryFormat(buffer, out n, "G6", CultureInfo.InvariantCulture);
                writer.Write(buffer[..n]);
            }

            writer.Write(',');
            writer.Write(machine.State.Text());
            foreach (var process in machine.Processes)
            {
                writer.Write(',');
                process.Health(t).TryFormat(buffer, out n, "0.####", CultureInfo.InvariantCulture);
                writer.Write(buffer[..n]);
            }

            writer.Write(',');
            if (machine.RemainingLife is { } life)
            {
                life.TotalHours.TryFormat(buffer, out n, "0.##", CultureInfo.InvariantCulture);
                writer.Write(buffer[..n]);
            }

            writer.WriteLine();
            rows++;
        }

        return rows;
    }

    private sealed class Episode(SimulationEvent onset)
    {
        public SimulationEvent Onset { get; } = onset;
        public DateTimeOffset? Failure { get; set; }
        public DateTimeOffset? MaintenanceStart { get; set; }
        public DateTimeOffset? MaintenanceEnd { get; set; }
        public string? Action { get; set; }

        public string Outcome => Failure is not null ? "failure" : MaintenanceEnd is not null ? "prevented" : "censored";
    }

    private static List<Episode> Episodes(List<SimulationEvent> events)
    {
        var episodes = new List<Episode>();
        var open = new Dictionary<(string, string, string), Episode>();
        foreach (var e in events)
        {
            var key = (e.LineId, e.MachineId, e.Process);
            switch (e.Kind)
            {
                case SimulationEventKind.FaultOnset:
                    var episode = new Episode(e);
                    open[key] = episode;
                    episodes.Add(episode);
                    break;
                case SimulationEventKind.Failure when open.TryGetValue(key, out var failed):
                    failed.Failure = e.Time;
                    break;
                case SimulationEventKind.MaintenanceStarted when open.TryGetValue(key, out var maintained):
                    maintained.MaintenanceStart ??= e.Time;
                    break;
                case SimulationEventKind.MaintenanceCompleted when open.Remove(key, out var renewed):
                    renewed.MaintenanceEnd = e.Time;
                    renewed.Action = e.Action;
                    break;
            }
        }

        return episodes;
    }

    private static void WriteEvents(string path, List<SimulationEvent> events)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine("time,line,machine,event,process,cause,action,scheduled_failure");
        foreach (var e in events)
        {
            writer.WriteLine(string.Join(',', Time(e.Time), e.LineId, e.MachineId, e.EventName, e.Process, Cause(e), e.Action ?? "", Time(e.ScheduledFailure)));
        }
    }

    private static void WriteLabels(string path, List<Episode> episodes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine("line,machine,process,cause,onset,scheduled_failure,failure,maintenance_start,maintenance_end,action,outcome");
        foreach (var e in episodes)
        {
            writer.WriteLine(string.Join(
                ',',
                e.Onset.LineId,
                e.Onset.MachineId,
                e.Onset.Process,
                Cause(e.Onset),
                Time(e.Onset.Time),
                Time(e.Onset.ScheduledFailure),
                Time(e.Failure),
                Time(e.MaintenanceStart),
                Time(e.MaintenanceEnd),
                e.Action ?? "",
                e.Outcome));
        }
    }

    private static void WriteManifest(string path, PlantSimulation simulation, List<MachineSimulation> machines, DateTimeOffset end, TimeSpan resolution, long rows, List<Episode> episodes)
    {
        var options = simulation.Options;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", "factory-simulator-history");
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteString("generator", $"factory simulate history (Factory.Simulator {typeof(HistoryExport).Assembly.GetName().Version})");
        json.WriteString("documentation", "docs/simulator.md#history-files");
        json.WriteNumber("seed", options.Seed);
        json.WriteStartObject("config");
        json.WriteString("path", simulation.Plant.SourcePath);
        json.WriteString("sha256", ConfigHash(simulation));
        json.WriteEndObject();
        json.WriteString("start", Time(simulation.Start));
        json.WriteString("end", Time(end));
        json.WriteNumber("resolutionSeconds", resolution.TotalSeconds);
        json.WriteString("timeZone", simulation.Plant.Site.TimeZone ?? "UTC");
        json.WriteBoolean("randomFaults", options.RandomFaults);
        if (options.RepairAfter is { } repair)
        {
            json.WriteNumber("repairDelaySeconds", repair.TotalSeconds);
        }
        else
        {
            json.WriteNull("repairDelaySeconds");
        }

        json.WriteStartArray("injectedFaults");
        foreach (var fault in options.Faults)
        {
            json.WriteStartObject();
            json.WriteString("line", fault.LineId);
            json.WriteString("machine", fault.MachineId);
            json.WriteString("process", fault.Process);
            json.WriteString("onset", Time(simulation.Start + fault.StartAfter));
            json.WriteString("failure", Time(simulation.Start + fault.StartAfter + fault.FailAfter));
            json.WriteString("source", fault.Source);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("rows", rows);
        json.WriteStartObject("files");
        json.WriteString("labels", "labels.csv");
        json.WriteString("events", "events.csv");
        json.WriteEndObject();
        json.WriteStartObject("counts");
        json.WriteNumber("faults", episodes.Count);
        json.WriteNumber("failures", episodes.Count(e => e.Failure is not null));
        json.WriteNumber("prevented", episodes.Count(e => e.Outcome == "prevented"));
        json.WriteNumber("censored", episodes.Count(e => e.Outcome == "censored"));
        json.WriteEndObject();
        json.WriteStartArray("machines");
        foreach (var machine in machines)
        {
            json.WriteStartObject();
            json.WriteString("line", machine.LineId);
            json.WriteString("machine", machine.MachineId);
            json.WriteString("name", machine.Machine.Name);
            json.WriteString("type", machine.Machine.Type);
            json.WriteString("kind", machine.Kind.ToString());
            json.WriteString("file", MachineFile(machine).Replace('\\', '/'));
            json.WriteStartArray("sensors");
            foreach (var channel in machine.Channels)
            {
                json.WriteStartObject();
                json.WriteString("column", channel.Sensor.Id);
                json.WriteString("name", channel.Sensor.Name);
                json.WriteString("signal", channel.Signal.ToString());
                json.WriteString("unit", channel.Sensor.Unit);
                json.WriteNumber("low", channel.Low);
                json.WriteNumber("high", channel.High);
                json.WriteString("nodeId", channel.Sensor.NodeId);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("processes");
            foreach (var process in machine.ProcessIds)
            {
                json.WriteStringValue(process);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string ConfigHash(PlantSimulation simulation)
    {
        var path = simulation.Plant.SourcePath;
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : JsonSerializer.SerializeToUtf8Bytes(simulation.Plant);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static string Readme(PlantSimulation simulation, DateTimeOffset end, TimeSpan resolution) => $"""
        # Simulated run-to-failure history

        Written by `factory simulate history` (format version {FormatVersion}) from `{simulation.Plant.SourcePath}`
        with seed {simulation.Options.Seed}, from {Time(simulation.Start)} to {Time(end)} at {resolution.TotalSeconds} s resolution.
        The same command with the same seed and configuration writes the same files.

        - `manifest.json`: what is here: seed, configuration hash, period, injected faults, each machine's file, columns, units and processes.
        - `machines/<line>/<machine>.csv`: `timestamp` (UTC, ISO 8601), one column per sensor (named by sensor id, in the sensor's unit),
          `state` (running, idle, stopped, failed, maintenance), `health.<process>` (1 new to 0 failed) per degradation process,
          `rul_hours` (time to the next scheduled failure; empty while failed or in maintenance).
        - `labels.csv`: one row per fault: line, machine, process, cause (random or injected), onset, scheduled_failure, failure
          (empty if it did not fail before the end), maintenance_start, maintenance_end, action, outcome (failure, prevented, censored).
        - `events.csv`: every event in time order: onset, failure, maintenance-start, maintenance-end.

        Times are UTC. The physics behind each process and its signature in the sensors: docs/simulator.md in the Factory repository.

        """;

    private static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) : "";

    private static string Cause(SimulationEvent e) => e.Cause?.ToString().ToLowerInvariant() ?? "";
}
