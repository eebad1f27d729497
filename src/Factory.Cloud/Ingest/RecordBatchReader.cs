using System.Text.Json;
using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;

namespace Factory.Cloud.Ingest;

/// <summary>What the cloud read from one MQTT message of an edge.</summary>
/// <param name="Line">The line the message came from (from its topic).</param>
/// <param name="Records">The readable records, as one store write.</param>
/// <param name="Stored">The sequence numbers of the readable records.</param>
/// <param name="SetAside">Records that could not be read, each with the reason; acknowledged to the edge all the same.</param>
public sealed record ReadBatch(string Line, TelemetryBatch Records, IReadOnlyList<long> Stored, IReadOnlyList<SetAsideRecord> SetAside)
{
    public IEnumerable<long> AllSequences => Stored.Concat(SetAside.Select(s => s.Sequence));
}

/// <summary>A record of a batch that was set aside, with why.</summary>
public sealed record SetAsideRecord(long Sequence, string Kind, string Reason, string Body);

/// <summary>
/// Reads the MQTT messages an edge sends (<see cref="RecordBatch"/>) and checks every record
/// before anything is stored: a message that cannot be read at all is refused with the reason;
/// a record that cannot be read is set aside on its own, and the rest of its batch is stored.
/// </summary>
public static class RecordBatchReader
{
    /// <summary>The protocol versions this cloud reads.</summary>
    public static IReadOnlyList<int> Versions { get; } = [LinkTopics.Version];

    /// <summary>Reads one message; false with the reason (naming what and where) if none of it can be used.</summary>
    public static bool TryRead(string topic, ReadOnlySpan<byte> payload, out ReadBatch batch, out string error)
    {
        batch = null!;
        if (!LinkTopics.TryParseRecords(topic, out var version, out var line))
        {
            error = $"topic '{topic}' is not factory/v<version>/lines/<line>/records";
            return false;
        }

        if (!Versions.Contains(version))
        {
            error = $"protocol version {version} of line {line} is not one this cloud reads ({string.Join(", ", Versions)}); upgrade the cloud or run the edge at version {LinkTopics.Version}";
            return false;
        }

        RecordBatch? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, LinkJsonContext.Default.RecordBatch);
        }
        catch (JsonException e)
        {
            error = $"the message on {topic} is not a record batch: {e.Message}";
            return false;
        }

        if (message is null || message.Records is null || message.Line is null)
        {
            error = $"the message on {topic} is not a record batch: 'v', 'line' and 'records' are required";
            return false;
        }

        if (message.V != version || message.Line != line)
        {
            error = $"the message on {topic} says version {message.V} and line '{message.Line}'; its topic says version {version} and line '{line}'";
            return false;
        }

        var summaries = new List<SensorSummary>();
        var health = new List<MachineHealth>();
        var alarms = new List<AlarmEvent>();
        var windows = new List<AnomalyWindow>();
        var stored = new List<long>(message.Records.Count);
        var setAside = new List<SetAsideRecord>();
        foreach (var record in message.Records)
        {
            if (record is null)
            {
                error = $"the message on {topic} holds a null record";
                return false;
            }

            var reason = ReadRecord(line, record, summaries, health, alarms, windows);
            if (reason is null)
            {
                stored.Add(record.Seq);
            }
            else
            {
                setAside.Add(new SetAsideRecord(record.Seq, record.Kind ?? "", $"record {record.Seq} ({record.Kind}) of line {line}: {reason}", record.Body.ValueKind == JsonValueKind.Undefined ? "" : record.Body.GetRawText()));
            }
        }

        batch = new ReadBatch(line, new TelemetryBatch(summaries, health, alarms, windows), stored, setAside);
        error = "";
        return true;
    }

    private static string? ReadRecord(string line, LinkRecord record, List<SensorSummary> summaries, List<MachineHealth> health, List<AlarmEvent> alarms, List<AnomalyWindow> windows)
    {
        if (record.Seq <= 0)
        {
            return "its sequence number must be 1 or more";
        }

        if (record.Body.ValueKind != JsonValueKind.Object)
        {
            return "its body is not a JSON object";
        }

        try
        {
            switch (record.Kind)
            {
                case RecordKinds.Summary:
                    var summary = record.Body.Deserialize(LinkJsonContext.Default.SensorSummary)!;
                    return Check(summary, line) ?? Add(summaries, summary);
                case RecordKinds.Health:
                    var machineHealth = record.Body.Deserialize(LinkJsonContext.Default.MachineHealth)!;
                    return Check(machineHealth, line) ?? Add(health, machineHealth);
                case RecordKinds.Alarm:
                    var alarm = record.Body.Deserialize(LinkJsonContext.Default.AlarmEvent)!;
                    return Check(alarm, line) ?? Add(alarms, alarm);
                case RecordKinds.AnomalyWindow:
                    var window = record.Body.Deserialize(LinkJsonContext.Default.AnomalyWindow)!;
                    return Check(window, line) ?? Add(windows, window);
                default:
                    return $"kind '{record.Kind}' is not one of {string.Join(", ", RecordKinds.All)}";
            }
        }
        catch (JsonException e)
        {
            return $"its body cannot be read: {e.Message}";
        }
    }

    private static string? Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return null;
    }

    private static string? Check(SensorSummary s, string line) =>
        Ids(s.Line, s.Machine, line) ?? Required(s.Sensor, "sensor")
        ?? (s.Start == default ? "'start' is missing" : null)
        ?? (!(s.IntervalSeconds > 0) || !double.IsFinite(s.IntervalSeconds) ? "'intervalSeconds' must be above 0" : null)
        ?? (s.Count < 1 ? "'count' must be 1 or more" : null)
        ?? Finite(("min", s.Min), ("max", s.Max), ("mean", s.Mean), ("stdDev", s.StdDev), ("last", s.Last))
        ?? (s.Min > s.Max ? $"'min' {s.Min} is above 'max' {s.Max}" : null);

    private static string? Check(MachineHealth h, string line) =>
        Ids(h.Line, h.Machine, line)
        ?? (h.Start == default ? "'start' is missing" : null)
        ?? (!(h.IntervalSeconds > 0) || !double.IsFinite(h.IntervalSeconds) ? "'intervalSeconds' must be above 0" : null)
        ?? (h.Evaluations < 0 ? "'evaluations' must not be negative" : null)
        ?? Required(h.State, "state")
        ?? Finite(("lastScore", h.LastScore), ("meanScore", h.MeanScore), ("maxScore", h.MaxScore), ("threshold", h.Threshold));

    private static string? Check(AlarmEvent a, string line) =>
        Ids(a.Line, a.Machine, line) ?? Required(a.AlarmId, "alarmId") ?? Required(a.Kind, "kind") ?? Required(a.Priority, "priority")
        ?? Required(a.EventType, "eventType") ?? Required(a.State, "state") ?? Required(a.Message, "message")
        ?? (a.Sequence < 1 ? "'sequence' must be 1 or more" : null)
        ?? (a.Time == default ? "'time' is missing" : null)
        ?? (a.SchemaVersion != AlarmEvent.CurrentSchemaVersion ? $"alarm schema version {a.SchemaVersion} is not {AlarmEvent.CurrentSchemaVersion}" : null)
        ?? Finite(("value", a.Value), ("score", a.Score), ("threshold", a.Threshold), ("limit", a.Limit));

    private static string? Check(AnomalyWindow w, string line)
    {
        var problem = Ids(w.Line, w.Machine, line) ?? Required(w.AlarmId, "alarmId")
            ?? (w.Trigger == default ? "'trigger' is missing" : null)
            ?? (w.From > w.To ? "'from' is after 'to'" : null)
            ?? (w.Sensors is null ? "'sensors' is missing" : null);
        if (problem is not null)
        {
            return problem;
        }

        foreach (var trace in w.Sensors!)
        {
            if (trace?.Sensor is not { Length: > 0 } || trace.TimesMs is null || trace.Values is null || trace.TimesMs.Count != trace.Values.Count)
            {
                return $"a sensor trace needs 'sensor' and as many 'timesMs' as 'values'";
            }

            if (trace.Values.Any(v => !double.IsFinite(v)))
            {
                return $"sensor {trace.Sensor} has a value that is not a finite number";
            }
        }

        return null;
    }

    private static string? Ids(string? recordLine, string? machine, string line) =>
        recordLine != line ? $"it says line '{recordLine}' but came from line '{line}'" : Required(machine, "machine");

    private static string? Required(string? value, string name) => string.IsNullOrEmpty(value) ? $"'{name}' is missing" : null;

    private static string? Finite(params (string Name, double? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (value is { } v && !double.IsFinite(v))
            {
                return $"'{name}' is not a finite number";
            }
        }

        return null;
    }
}
