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

        var summaries = new List<SensorSummary>();
        var health = new List<MachineHealth>();
        var alarms = new List<AlarmEvent>();
        var windows = new List<AnomalyWindow>();
        var stored = new List<long>();
        var setAside = new List<SetAsideRecord>();
        int? batchVersion = null;
        string? batchLine = null;
        var sawRecords = false;
        try
        {
            // One pass over the message: each record's body is read straight into its type, not
            // parsed into a document first (half the CPU of the cloud's ingest went there).
            var reader = new Utf8JsonReader(payload);
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("v"u8))
                {
                    Next(ref reader);
                    batchVersion = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : throw new JsonException("'v' is not a whole number");
                }
                else if (reader.ValueTextEquals("line"u8))
                {
                    Next(ref reader);
                    batchLine = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("'line' is not a string");
                }
                else if (reader.ValueTextEquals("records"u8))
                {
                    Expect(ref reader, JsonTokenType.StartArray);
                    sawRecords = true;
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        ReadRecord(ref reader, payload, line, summaries, health, alarms, windows, stored, setAside);
                    }
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            error = $"the message on {topic} is not a record batch: {e.Message}";
            return false;
        }

        if (batchVersion is null || batchLine is null || !sawRecords)
        {
            error = $"the message on {topic} is not a record batch: 'v', 'line' and 'records' are required";
            return false;
        }

        if (batchVersion != version || batchLine != line)
        {
            error = $"the message on {topic} says version {batchVersion} and line '{batchLine}'; its topic says version {version} and line '{line}'";
            return false;
        }

        batch = new ReadBatch(line, new TelemetryBatch(summaries, health, alarms, windows), stored, setAside);
        error = "";
        return true;
    }

    private static void ReadRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, string line, List<SensorSummary> summaries, List<MachineHealth> health, List<AlarmEvent> alarms, List<AnomalyWindow> windows, List<long> stored, List<SetAsideRecord> setAside)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a record is not a JSON object");
        }

        long sequence = 0;
        string? kind = null;
        object? body = null;
        long bodyStart = 0, bodyEnd = 0;
        string? problem = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                Next(ref reader);
                sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seq) ? seq : throw new JsonException("'seq' is not a whole number");
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                Next(ref reader);
                kind = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("'kind' is not a string");
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                Next(ref reader);
                var start = reader;
                bodyStart = reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    problem = "its body is not a JSON object";
                    reader.Skip();
                }
                else if (kind is null || !RecordKinds.All.Contains(kind))
                {
                    // The writer puts the kind first; a body that comes before it is read below.
                    reader.Skip();
                }
                else
                {
                    try
                    {
                        body = ReadBody(kind, ref reader);
                    }
                    catch (JsonException e)
                    {
                        // A body that does not fit its type is set aside; the reader goes on after it.
                        reader = start;
                        reader.Skip();
                        problem = $"its body cannot be read: {e.Message}";
                    }
                }

                bodyEnd = reader.BytesConsumed;
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (body is null && problem is null && bodyEnd > bodyStart && kind is not null && RecordKinds.All.Contains(kind))
        {
            var late = new Utf8JsonReader(payload[(int)bodyStart..(int)bodyEnd]);
            late.Read();
            try
            {
                body = ReadBody(kind, ref late);
            }
            catch (JsonException e)
            {
                problem = $"its body cannot be read: {e.Message}";
            }
        }

        problem ??= sequence <= 0 ? "its sequence number must be 1 or more"
            : kind is null || !RecordKinds.All.Contains(kind) ? $"kind '{kind}' is not one of {string.Join(", ", RecordKinds.All)}"
            : body switch
            {
                SensorSummary summary => Check(summary, line) ?? Add(summaries, summary),
                MachineHealth h => Check(h, line) ?? Add(health, h),
                AlarmEvent alarm => Check(alarm, line) ?? Add(alarms, alarm),
                AnomalyWindow window => Check(window, line) ?? Add(windows, window),
                _ => "its body is missing",
            };
        if (problem is null)
        {
            stored.Add(sequence);
        }
        else
        {
            setAside.Add(new SetAsideRecord(sequence, kind ?? "", $"record {sequence} ({kind}) of line {line}: {problem}", System.Text.Encoding.UTF8.GetString(payload[(int)bodyStart..(int)bodyEnd])));
        }
    }

    private static object? ReadBody(string kind, ref Utf8JsonReader reader) => kind switch
    {
        RecordKinds.Summary => JsonSerializer.Deserialize(ref reader, LinkJsonContext.Default.SensorSummary),
        RecordKinds.Health => JsonSerializer.Deserialize(ref reader, LinkJsonContext.Default.MachineHealth),
        RecordKinds.Alarm => JsonSerializer.Deserialize(ref reader, LinkJsonContext.Default.AlarmEvent),
        RecordKinds.AnomalyWindow => JsonSerializer.Deserialize(ref reader, LinkJsonContext.Default.AnomalyWindow),
        _ => throw new JsonException($"kind '{kind}' has no body type"),
    };

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the message ends too early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
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

    private static string? Finite(params ReadOnlySpan<(string Name, double? Value)> values)
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
