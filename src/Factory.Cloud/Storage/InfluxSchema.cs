using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace Factory.Cloud.Storage;

/// <summary>
/// How records become InfluxDB points (docs/telemetry-store.md): measurements, their fixed tag
/// sets, fields and timestamps. Line protocol is made by InfluxDB.Client's <see cref="PointData"/>,
/// which escapes names, tags and strings.
/// </summary>
internal static class InfluxSchema
{
    private const int MaxCachedSeries = 100_000;
    private static readonly ConcurrentDictionary<(string Measurement, string Line, string Machine, string Sensor), PointData> SeriesPoints = new();

    public const string Summaries = "sensor_summary";
    public const string Health = "machine_health";
    public const string Alarms = "alarm_event";
    public const string Windows = "anomaly_window";
    public const string Samples = "anomaly_sample";

    /// <summary>The points of <paramref name="batch"/>, each a line of line protocol without its line break.</summary>
    public static IEnumerable<string> Points(TelemetryBatch batch)
    {
        foreach (var s in batch.Summaries)
        {
            yield return Summary(s);
        }

        foreach (var h in batch.Health)
        {
            yield return MachineHealth(h);
        }

        foreach (var a in batch.Alarms)
        {
            yield return Alarm(a);
        }

        foreach (var w in batch.AnomalyWindows)
        {
            var window = TelemetryRules.Normalize(w);
            yield return Window(window);
            foreach (var trace in window.Sensors)
            {
                for (var i = 0; i < trace.TimesMs.Count; i++)
                {
                    yield return Sample(window, trace.Sensor, trace.TimesMs[i], trace.Values[i]);
                }
            }
        }
    }

    public static string Summary(SensorSummary s)
    {
        var point = Series(Summaries, s.Line, s.Machine, s.Sensor)
            .Field("min", s.Min)
            .Field("max", s.Max)
            .Field("mean", s.Mean)
            .Field("stddev", s.StdDev)
            .Field("last", s.Last)
            .Field("count", s.Count)
            .Field("sum", SumOf(s))
            .Field("interval_s", s.IntervalSeconds);
        if (s.Unit is not null)
        {
            point = point.Field("unit", s.Unit);
        }

        return point.Timestamp(TelemetryRules.Nanoseconds(s.Start), WritePrecision.Ns).ToLineProtocol();
    }

    /// <summary>mean × count, stored so that InfluxQL can weigh means by counts (1.x cannot multiply inside an aggregate).</summary>
    public static double SumOf(SensorSummary s) => s.Mean * s.Count;

    public static string MachineHealth(MachineHealth h)
    {
        var point = PointData.Builder.Measurement(Health)
            .Tag("line", h.Line)
            .Tag("machine", h.Machine)
            .Field("interval_s", h.IntervalSeconds)
            .Field("evaluations", (long)h.Evaluations)
            .Field("state", h.State)
            .Field("stale", h.Stale);
        Optional(point, "last_score", h.LastScore);
        Optional(point, "mean_score", h.MeanScore);
        Optional(point, "max_score", h.MaxScore);
        Optional(point, "threshold", h.Threshold);
        Optional(point, "model", h.Model);
        return Line(point, TelemetryRules.Nanoseconds(h.Start));
    }

    public static string Alarm(AlarmEvent a)
    {
        var point = PointData.Builder.Measurement(Alarms)
            .Tag("line", a.Line)
            .Tag("machine", a.Machine)
            .Field("schema_version", (long)a.SchemaVersion)
            .Field("sequence", a.Sequence)
            .Field("alarm_id", a.AlarmId)
            .Field("kind", a.Kind)
            .Field("priority", a.Priority)
            .Field("event_type", a.EventType)
            .Field("state", a.State)
            .Field("condition_active", a.ConditionActive)
            .Field("shelved", a.Shelved)
            .Field("suppressed", a.Suppressed)
            .Field("out_of_service", a.OutOfService)
            .Field("event_time_ns", TelemetryRules.Nanoseconds(a.Time))
            .Field("message", a.Message);
        Optional(point, "sensor", a.Sensor);
        Optional(point, "value", a.Value);
        Optional(point, "score", a.Score);
        Optional(point, "threshold", a.Threshold);
        Optional(point, "limit", a.Limit);
        Optional(point, "unit", a.Unit);
        Optional(point, "user", a.User);
        Optional(point, "comment", a.Comment);
        if (a.ShelvedUntil is { } until)
        {
            point.Field("shelved_until_ns", TelemetryRules.Nanoseconds(until));
        }

        return Line(point, TelemetryRules.AlarmNanoseconds(a));
    }

    public static string Window(AnomalyWindow w)
    {
        var sensors = w.Sensors
            .Select(s => new WindowSensor(s.Sensor, s.TimesMs.Count == 0 ? null : s.TimesMs.Min(), s.TimesMs.Count == 0 ? null : s.TimesMs.Max()))
            .ToList();
        var point = PointData.Builder.Measurement(Windows)
            .Tag("line", w.Line)
            .Tag("machine", w.Machine)
            .Field("alarm_id", w.AlarmId)
            .Field("from_ns", TelemetryRules.Nanoseconds(w.From))
            .Field("to_ns", TelemetryRules.Nanoseconds(w.To))
            .Field("sensors", JsonSerializer.Serialize(sensors, InfluxSchemaJsonContext.Default.ListWindowSensor));
        Optional(point, "score", w.Score);
        Optional(point, "threshold", w.Threshold);
        return Line(point, TelemetryRules.Nanoseconds(w.Trigger));
    }

    public static string Sample(AnomalyWindow w, string sensor, long timeMs, double value) =>
        Series(Samples, w.Line, w.Machine, sensor).Field("value", value).Timestamp(timeMs * 1_000_000, WritePrecision.Ns).ToLineProtocol();

    public static List<WindowSensor> WindowSensors(string json) =>
        JsonSerializer.Deserialize(json, InfluxSchemaJsonContext.Default.ListWindowSensor)
        ?? throw new JsonException("null sensor list");

    /// <summary>Line protocol text of points, one per line, as /write takes it.</summary>
    public static string Text(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The measurement and tags of a series, made once: PointData is immutable, and its tags are
    /// the larger part of its cost per point. Bounded: emptied when it grows past what a plant has.
    /// </summary>
    private static PointData Series(string measurement, string line, string machine, string sensor)
    {
        var key = (measurement, line, machine, sensor);
        if (SeriesPoints.TryGetValue(key, out var known))
        {
            return known;
        }

        // Count takes every lock of the dictionary: only on a miss.
        if (SeriesPoints.Count > MaxCachedSeries)
        {
            SeriesPoints.Clear();
        }

        return SeriesPoints.GetOrAdd(key, static k => PointData.Measurement(k.Measurement).Tag("line", k.Line).Tag("machine", k.Machine).Tag("sensor", k.Sensor));
    }

    private static void Optional(PointData.Builder point, string field, double? value)
    {
        if (value is { } v)
        {
            point.Field(field, v);
        }
    }

    private static void Optional(PointData.Builder point, string field, string? value)
    {
        if (value is not null)
        {
            point.Field(field, value);
        }
    }

    private static string Line(PointData.Builder point, long nanoseconds) =>
        point.Timestamp(nanoseconds, WritePrecision.Ns).ToPointData().ToLineProtocol();
}

/// <summary>One sensor of a stored anomaly window: its id and the times of its first and last sample (Unix ms), null without samples.</summary>
internal sealed record WindowSensor(
    [property: JsonPropertyName("sensor")] string Sensor,
    [property: JsonPropertyName("first")] long? FirstMs,
    [property: JsonPropertyName("last")] long? LastMs);

[JsonSerializable(typeof(List<WindowSensor>))]
internal sealed partial class InfluxSchemaJsonContext : JsonSerializerContext;
