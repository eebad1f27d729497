using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Cloud.Storage;
using Factory.Ml.Rul;
using Factory.Plant.Model;

namespace Factory.Host.Commands.Models;

/// <summary>A machine of the history: its line, id and type.</summary>
public sealed record HistoryMachine(string Line, string Machine, string Type);

/// <summary>Where <c>factory models train-rul</c> reads its history, and what it found there.</summary>
public sealed record RulHistory(string Source, IReadOnlyList<(HistoryMachine Machine, MachineSeries Series)> Machines, IReadOnlyList<MachineFailure> Failures, DateTimeOffset From, DateTimeOffset To);

/// <summary>The history's files or the cloud refused: the message names the file (and line) or the request and the problem.</summary>
public sealed class RulHistoryException(string message) : Exception(message);

/// <summary>
/// The two sources of RUL training history, both cut into the same steps: a folder written by
/// <c>factory simulate history</c> (every row of the time range, averaged per step; failures from
/// its <c>labels.csv</c>), and the cloud's telemetry store over its HTTP API (10 s summaries
/// aggregated per step by the store; failures from a labels file in the same format, as a
/// maintenance log gives them).
/// </summary>
public static class RulHistorySources
{
    /// <summary>Reads a <c>factory simulate history</c> folder: the machines of <paramref name="type"/> between <paramref name="from"/> and <paramref name="to"/> (null: all of it).</summary>
    /// <exception cref="RulHistoryException">A file is missing or malformed; the message names it and the line.</exception>
    public static RulHistory FromFolder(string folder, string type, TimeSpan step, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new RulHistoryException($"{manifestPath}: no such file; --history takes a folder written by 'factory simulate history'.");
        }

        var machines = new List<(HistoryMachine Machine, string File)>();
        DateTimeOffset start, end;
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var root = manifest.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetString() != "factory-simulator-history")
            {
                throw new RulHistoryException($"{manifestPath}: not a simulator history manifest (field 'format' is not 'factory-simulator-history').");
            }

            start = root.GetProperty("start").GetDateTimeOffset();
            end = root.GetProperty("end").GetDateTimeOffset();
            foreach (var machine in root.GetProperty("machines").EnumerateArray())
            {
                var entry = new HistoryMachine(machine.GetProperty("line").GetString()!, machine.GetProperty("machine").GetString()!, machine.GetProperty("type").GetString()!);
                if (entry.Type == type)
                {
                    machines.Add((entry, machine.GetProperty("file").GetString()!));
                }
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new RulHistoryException($"{manifestPath}: not a readable simulator history manifest: {e.Message}");
        }

        var rangeFrom = from ?? start;
        var rangeTo = to ?? end;
        var series = new (HistoryMachine, MachineSeries)[machines.Count];
        Parallel.For(0, machines.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (machine, file) = machines[i];
            series[i] = (machine, ReadMachineFile(Path.Combine(folder, file), machine, step, rangeFrom, rangeTo));
        });

        var failures = ReadLabels(Path.Combine(folder, "labels.csv"));
        return new RulHistory($"{folder} (simulator history)", series, failures, rangeFrom, rangeTo);
    }

    /// <summary>
    /// Reads the machines of <paramref name="type"/> from the cloud's telemetry store through
    /// <c>/api/telemetry/sensor</c>: per sensor, the mean of each step between <paramref name="from"/>
    /// and <paramref name="to"/>; failures from <paramref name="labelsPath"/>. <paramref name="token"/> is a user's API token.
    /// </summary>
    /// <exception cref="RulHistoryException">The cloud refused or cannot be reached, or the labels are malformed.</exception>
    public static async Task<RulHistory> FromCloudAsync(Uri cloud, string token, PlantConfig plant, string type, string labelsPath, TimeSpan step, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var failures = ReadLabels(labelsPath);
        using var http = ApiTokenSource.Client(cloud, token, TimeSpan.FromMinutes(2));
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var result = new List<(HistoryMachine, MachineSeries)>();
        foreach (var line in plant.Lines)
        {
            foreach (var machine in line.Machines.Where(m => m.Type == type))
            {
                var sensors = machine.Sensors.Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
                var columns = new Dictionary<DateTimeOffset, double[]>();
                for (var s = 0; s < sensors.Count; s++)
                {
                    var request = $"api/telemetry/sensor?line={Uri.EscapeDataString(line.Id)}&machine={Uri.EscapeDataString(machine.Id)}&sensor={Uri.EscapeDataString(sensors[s])}"
                        + $"&from={Uri.EscapeDataString(from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}&bucketSeconds={step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
                    List<SensorBucket>? buckets;
                    try
                    {
                        using var response = await http.GetAsync(request, cancellationToken);
                        if (!response.IsSuccessStatusCode)
                        {
                            throw new RulHistoryException($"{cloud}{request}: the cloud answered {(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                        }

                        buckets = await response.Content.ReadFromJsonAsync<List<SensorBucket>>(json, cancellationToken);
                    }
                    catch (HttpRequestException e)
                    {
                        throw new RulHistoryException($"{cloud}: the cloud cannot be reached: {e.Message}");
                    }
                    catch (JsonException e)
                    {
                        throw new RulHistoryException($"{cloud}{request}: not a list of sensor buckets: {e.Message}");
                    }

                    foreach (var bucket in buckets ?? [])
                    {
                        if (!columns.TryGetValue(bucket.Start, out var row))
                        {
                            columns[bucket.Start] = row = [.. Enumerable.Repeat(double.NaN, sensors.Count)];
                        }

                        row[s] = bucket.Mean;
                    }
                }

                var times = columns.Keys.Order().ToList();
                result.Add((new HistoryMachine(line.Id, machine.Id, type), new MachineSeries(line.Id, machine.Id, sensors, times, [.. times.Select(t => columns[t])])));
            }
        }

        return new RulHistory($"{cloud} telemetry store, failures from {labelsPath}", result, failures, from, to);
    }

    /// <summary>Failures from a labels file in the simulator's format: a header with <c>line</c>, <c>machine</c>, <c>failure</c> and <c>maintenance_end</c>; rows without a failure time are faults that did not fail.</summary>
    /// <exception cref="RulHistoryException">The file is missing or a row is malformed; the message names file:line and the column.</exception>
    public static IReadOnlyList<MachineFailure> ReadLabels(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RulHistoryException($"{path}: cannot be read: {e.Message}");
        }

        if (lines.Length == 0)
        {
            throw new RulHistoryException($"{path}:1: empty; a labels file starts with a header naming line, machine, failure and maintenance_end.");
        }

        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new RulHistoryException($"{path}:1: no column '{name}' in the header; a labels file needs line, machine, failure and maintenance_end.");
        var (line, machine, failed, repaired) = (Column("line"), Column("machine"), Column("failure"), Column("maintenance_end"));
        var failures = new List<MachineFailure>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (lines[n].Length == 0)
            {
                continue;
            }

            var fields = lines[n].Split(',');
            if (fields.Length != header.Length)
            {
                throw new RulHistoryException($"{path}:{n + 1}: {fields.Length} fields, the header has {header.Length}.");
            }

            if (fields[failed].Length == 0)
            {
                continue;
            }

            failures.Add(new MachineFailure(fields[line], fields[machine], Time(path, n + 1, "failure", fields[failed]), fields[repaired].Length == 0 ? null : Time(path, n + 1, "maintenance_end", fields[repaired])));
        }

        return failures;
    }

    private static DateTimeOffset Time(string path, int line, string column, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new RulHistoryException($"{path}:{line}: column '{column}': '{text}' is not a time (ISO 8601, e.g. 2026-01-05T00:01:00Z).");

    private static MachineSeries ReadMachineFile(string path, HistoryMachine machine, TimeSpan step, DateTimeOffset from, DateTimeOffset to)
    {
        using var reader = OpenText(path);
        var header = reader.ReadLine()?.Split(',') ?? throw new RulHistoryException($"{path}:1: empty; a machine history starts with its header.");
        if (header[0] != "timestamp")
        {
            throw new RulHistoryException($"{path}:1: the first column is '{header[0]}', not 'timestamp'.");
        }

        var stateColumn = Array.IndexOf(header, "state");
        if (stateColumn < 1)
        {
            throw new RulHistoryException($"{path}:1: no 'state' column after the sensors.");
        }

        // Sensor columns are those before 'state'; the model reads them in id order, as from the store.
        var sensors = header[1..stateColumn].Select((name, i) => (Name: name, Column: i + 1)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var times = new List<DateTimeOffset>();
        var values = new List<double[]>();
        var sums = new double[sensors.Count];
        var counts = new int[sensors.Count];
        var current = DateTimeOffset.MinValue;
        var stepTicks = step.Ticks;
        var number = 1;
        while (reader.ReadLine() is { } text)
        {
            number++;
            var fields = text.Split(',');
            if (fields.Length != header.Length)
            {
                throw new RulHistoryException($"{path}:{number}: {fields.Length} fields, the header has {header.Length}.");
            }

            var time = Time(path, number, "timestamp", fields[0]);
            if (time < from || time >= to)
            {
                continue;
            }

            var bucket = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % stepTicks), TimeSpan.Zero);
            if (bucket != current)
            {
                Flush();
                current = bucket;
            }

            for (var s = 0; s < sensors.Count; s++)
            {
                var field = fields[sensors[s].Column];
                if (field.Length == 0)
                {
                    continue;
                }

                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new RulHistoryException($"{path}:{number}: column '{sensors[s].Name}': '{field}' is not a number.");
                }

                sums[s] += value;
                counts[s]++;
            }
        }

        Flush();
        return new MachineSeries(machine.Line, machine.Machine, [.. sensors.Select(s => s.Name)], times, values);

        void Flush()
        {
            if (current == DateTimeOffset.MinValue || counts.All(c => c == 0))
            {
                return;
            }

            times.Add(current);
            values.Add([.. sums.Select((sum, s) => counts[s] > 0 ? sum / counts[s] : double.NaN)]);
            Array.Clear(sums);
            Array.Clear(counts);
        }
    }

    private static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RulHistoryException($"{path}: cannot be read: {e.Message}");
        }
    }
}
