using System.Text;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;
using static Factory.Cloud.Storage.InfluxQl;

namespace Factory.Cloud.Storage;

/// <summary>The queries: InfluxQL over the schema of <see cref="InfluxSchema"/>.</summary>
public sealed partial class InfluxTelemetryStore
{
    private const int StatementsPerRequest = 100;

    public async Task<IReadOnlyList<SensorBucket>> QuerySensorAsync(SensorQuery query, CancellationToken cancellationToken)
    {
        var bucket = TelemetryRules.BucketNanoseconds(query);
        var from = TelemetryRules.Nanoseconds(query.From);
        var to = TelemetryRules.Nanoseconds(query.To);
        if (from >= to)
        {
            return [];
        }

        // sum(sum)/sum(count) is the count-weighted mean: InfluxQL 1.x cannot multiply inside an aggregate, so each point carries sum = mean × count.
        var statement =
            $"SELECT min(\"min\"), max(\"max\"), sum(\"sum\"), sum(\"count\"), last(\"last\") FROM {Identifier(InfluxSchema.Summaries)}" +
            $" WHERE {TagEquals("line", query.Line)} AND {TagEquals("machine", query.Machine)} AND {TagEquals("sensor", query.Sensor)}" +
            $" AND time >= {Time(from)} AND time < {Time(to)} GROUP BY time({bucket}ns) fill(none)";
        var results = await QueryAsync(statement, $"a query of sensor {query.Line}/{query.Machine}/{query.Sensor}", cancellationToken);
        return [.. results[0].Series.SelectMany(s => s.Rows).Select(r =>
        {
            var count = r[4].GetInt64();
            return new SensorBucket(TelemetryRules.FromNanoseconds(r[0].GetInt64()), r[1].GetDouble(), r[2].GetDouble(), r[3].GetDouble() / count, r[5].GetDouble(), count);
        })];
    }

    public async Task<IReadOnlyList<HealthBucket>> QueryHealthAsync(HealthQuery query, CancellationToken cancellationToken)
    {
        var bucket = TelemetryRules.BucketNanoseconds(query);
        var from = TelemetryRules.Nanoseconds(query.From);
        var to = TelemetryRules.Nanoseconds(query.To);
        if (from >= to)
        {
            return [];
        }

        var statement =
            $"SELECT mean(\"mean_score\"), max(\"max_score\"), last(\"threshold\"), last(\"state\"), count(\"state\") FROM {Identifier(InfluxSchema.Health)}" +
            $" WHERE {TagEquals("line", query.Line)} AND {TagEquals("machine", query.Machine)}" +
            $" AND time >= {Time(from)} AND time < {Time(to)} GROUP BY time({bucket}ns) fill(none)";
        var results = await QueryAsync(statement, $"a query of the health of {query.Line}/{query.Machine}", cancellationToken);
        return [.. results[0].Series.SelectMany(s => s.Rows).Select(r => new HealthBucket(
            TelemetryRules.FromNanoseconds(r[0].GetInt64()),
            r[1].ValueKind == System.Text.Json.JsonValueKind.Number ? r[1].GetDouble() : null,
            r[2].ValueKind == System.Text.Json.JsonValueKind.Number ? r[2].GetDouble() : null,
            r[3].ValueKind == System.Text.Json.JsonValueKind.Number ? r[3].GetDouble() : null,
            r[4].GetString() ?? "",
            r[5].GetInt64()))];
    }

    public async Task<DateTimeOffset?> LastDowntimeAsync(string line, string machine, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var statement =
            $"SELECT last(\"interval_s\") FROM {Identifier(InfluxSchema.Health)}" +
            $" WHERE {TagEquals("line", line)} AND {TagEquals("machine", machine)}" +
            $" AND (\"state\" = {Literal(DowntimeStates.Failed)} OR \"state\" = {Literal(DowntimeStates.Maintenance)}) AND time < {Time(TelemetryRules.Nanoseconds(before))}";
        var results = await QueryAsync(statement, $"a query of the last downtime of {line}/{machine}", cancellationToken);
        var row = results[0].Series.SelectMany(s => s.Rows).FirstOrDefault();
        return row is null ? null : TelemetryRules.FromNanoseconds(row[0].GetInt64()).AddSeconds(row[1].GetDouble());
    }

    public async Task<IReadOnlyList<MachineLatest>> LatestAsync(string? line, CancellationToken cancellationToken)
    {
        var where = line is null ? string.Empty : $" WHERE {TagEquals("line", line)}";
        var statements =
            $"SELECT * FROM {Identifier(InfluxSchema.Summaries)}{where} GROUP BY \"line\", \"machine\", \"sensor\" ORDER BY time DESC LIMIT 2;" +
            $"SELECT * FROM {Identifier(InfluxSchema.Health)}{where} GROUP BY \"line\", \"machine\" ORDER BY time DESC LIMIT 2";
        var results = await QueryAsync(statements, line is null ? "a query of the latest state of every line" : $"a query of the latest state of line {line}", cancellationToken);
        var sensors = results[0].Series.Select(s => Newest(s, ReadSummary)).OfType<SensorSummary>().ToList();
        var health = results[1].Series.Select(s => Newest(s, ReadHealth)).OfType<MachineHealth>().ToList();
        return LatestView.Combine(sensors, health);
    }

    /// <summary>
    /// The newest whole row of a series. InfluxDB 1.x reads each field with its own cursor, so a
    /// point being written while the query runs can come back with some fields still null (seen
    /// with several cloud nodes writing every second): the row before it is taken instead.
    /// </summary>
    private static T? Newest<T>(InfluxSeries series, Func<InfluxRow, T> read)
        where T : class
    {
        foreach (var row in series.AllRows())
        {
            try
            {
                return read(row);
            }
            catch (KeyNotFoundException)
            {
                // Caught half-written; the next row is complete.
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<AlarmEvent>> AlarmHistoryAsync(AlarmHistoryQuery query, CancellationToken cancellationToken)
    {
        var from = TelemetryRules.Nanoseconds(query.From);
        var to = TelemetryRules.Nanoseconds(query.To);
        if (query.Limit < 1 || from >= to)
        {
            return [];
        }

        // An event is kept at its millisecond plus its sequence in nanoseconds: select by the
        // milliseconds, then exactly by the event time kept as a field.
        var where = new StringBuilder()
            .Append($" WHERE \"event_time_ns\" >= {Time(from)} AND \"event_time_ns\" < {Time(to)}");
        if (query.Line is not null)
        {
            where.Append($" AND {TagEquals("line", query.Line)}");
        }

        if (query.Machine is not null)
        {
            where.Append($" AND {TagEquals("machine", query.Machine)}");
        }

        var what = $"a query of the alarm history{(query.Line is null ? string.Empty : $" of line {query.Line}")}";
        var select = $"SELECT * FROM {Identifier(InfluxSchema.Alarms)}{where}";
        var results = await QueryAsync(
            $"{select} AND time >= {Time(FloorMillisecond(from))} AND time < {Time(CeilingMillisecond(to))} ORDER BY time DESC LIMIT {query.Limit}",
            what,
            cancellationToken);
        var events = results[0].Series.SelectMany(s => s.AllRows()).Select(ReadAlarm).ToList();
        if (events.Count == query.Limit)
        {
            // The limit may cut through a millisecond whose events are ordered by exact time, not by
            // where they are kept: take all of that millisecond and cut after sorting.
            var oldest = FloorMillisecond(TelemetryRules.AlarmNanoseconds(events[^1]));
            var edge = await QueryAsync($"{select} AND time >= {Time(oldest)} AND time < {Time(oldest + 1_000_000)}", what, cancellationToken);
            events = [.. events.Concat(edge[0].Series.SelectMany(s => s.AllRows()).Select(ReadAlarm)).DistinctBy(a => (a.Line, a.Sequence))];
        }

        events.Sort(TelemetryRules.NewestFirst);
        return events.Count > query.Limit ? events[..query.Limit] : events;
    }

    public async Task<IReadOnlyList<AnomalyWindow>> AnomalyWindowsAsync(string line, string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var fromNs = TelemetryRules.Nanoseconds(from);
        var toNs = TelemetryRules.Nanoseconds(to);
        if (fromNs >= toNs)
        {
            return [];
        }

        var machineIs = $"{TagEquals("line", line)} AND {TagEquals("machine", machine)}";
        var what = $"a query of the anomaly windows of {line}/{machine}";
        var results = await QueryAsync(
            $"SELECT * FROM {Identifier(InfluxSchema.Windows)} WHERE {machineIs} AND time >= {Time(fromNs)} AND time < {Time(toNs)} ORDER BY time ASC",
            what,
            cancellationToken);
        var windows = results[0].Series.SelectMany(s => s.AllRows()).Select(r => (Row: r, Sensors: InfluxSchema.WindowSensors(r.RequiredString("sensors")))).ToList();

        // Each sensor's samples between its first and last sample of the window; overlapping windows
        // of a machine share these series (the same samples), which is why one window's range is kept.
        var traces = windows.SelectMany(w => w.Sensors.Where(s => s.FirstMs is not null)).ToList();
        var samples = new List<InfluxResult>();
        foreach (var chunk in traces.Chunk(StatementsPerRequest))
        {
            var statements = string.Join(";", chunk.Select(s =>
                $"SELECT \"value\" FROM {Identifier(InfluxSchema.Samples)} WHERE {machineIs} AND {TagEquals("sensor", s.Sensor)}" +
                $" AND time >= {Time(s.FirstMs!.Value * 1_000_000)} AND time <= {Time(s.LastMs!.Value * 1_000_000)}"));
            samples.AddRange(await QueryAsync(statements, what, cancellationToken));
        }

        var next = 0;
        return [.. windows.Select(w => new AnomalyWindow(
            line,
            machine,
            w.Row.RequiredString("alarm_id"),
            TelemetryRules.FromNanoseconds(w.Row.Time),
            TelemetryRules.FromNanoseconds(w.Row.Long("from_ns")),
            TelemetryRules.FromNanoseconds(w.Row.Long("to_ns")),
            w.Row.NullableDouble("score"),
            w.Row.NullableDouble("threshold"),
            [.. w.Sensors.Select(s =>
            {
                if (s.FirstMs is null)
                {
                    return new SensorTrace(s.Sensor, [], []);
                }

                var rows = samples[next++].Series.SelectMany(x => x.Rows).ToList();
                return new SensorTrace(s.Sensor, [.. rows.Select(r => r[0].GetInt64() / 1_000_000)], [.. rows.Select(r => r[1].GetDouble())]);
            })]))];
    }

    public async Task<long> CountSummariesAsync(string? line, CancellationToken cancellationToken)
    {
        var where = line is null ? string.Empty : $" WHERE {TagEquals("line", line)}";
        var results = await QueryAsync(
            $"SELECT count(\"count\") FROM {Identifier(InfluxSchema.Summaries)}{where}",
            line is null ? "a count of the summaries" : $"a count of the summaries of line {line}",
            cancellationToken);
        return results[0].Series.SelectMany(s => s.Rows).Sum(r => r[1].GetInt64());
    }

    private static SensorSummary ReadSummary(InfluxRow r) => new(
        r.Tag("line"),
        r.Tag("machine"),
        r.Tag("sensor"),
        TelemetryRules.FromNanoseconds(r.Time),
        r.Double("interval_s"),
        r.Long("count"),
        r.Double("min"),
        r.Double("max"),
        r.Double("mean"),
        r.Double("stddev"),
        r.Double("last"),
        r.String("unit"));

    private static MachineHealth ReadHealth(InfluxRow r) => new(
        r.Tag("line"),
        r.Tag("machine"),
        TelemetryRules.FromNanoseconds(r.Time),
        r.Double("interval_s"),
        (int)r.Long("evaluations"),
        r.NullableDouble("last_score"),
        r.NullableDouble("mean_score"),
        r.NullableDouble("max_score"),
        r.NullableDouble("threshold"),
        r.String("model"),
        r.RequiredString("state"),
        r.Bool("stale"));

    private static AlarmEvent ReadAlarm(InfluxRow r) => new(
        (int)r.Long("schema_version"),
        r.Long("sequence"),
        r.RequiredString("alarm_id"),
        r.Tag("line"),
        r.Tag("machine"),
        r.String("sensor"),
        r.RequiredString("kind"),
        r.RequiredString("priority"),
        r.RequiredString("event_type"),
        r.RequiredString("state"),
        r.Bool("condition_active"),
        r.Bool("shelved"),
        r.Bool("suppressed"),
        r.Bool("out_of_service"),
        TelemetryRules.FromNanoseconds(r.Long("event_time_ns")),
        r.NullableDouble("value"),
        r.NullableDouble("score"),
        r.NullableDouble("threshold"),
        r.NullableDouble("limit"),
        r.String("unit"),
        r.String("user"),
        r.String("comment"),
        r.NullableLong("shelved_until_ns") is { } until ? TelemetryRules.FromNanoseconds(until) : null,
        r.RequiredString("message"));

    private static long FloorMillisecond(long nanoseconds) =>
        nanoseconds < TelemetryRules.MinNanoseconds + 1_000_000 ? TelemetryRules.MinNanoseconds : TelemetryRules.BucketStart(nanoseconds, 1_000_000);

    private static long CeilingMillisecond(long nanoseconds) =>
        nanoseconds > TelemetryRules.MaxNanoseconds - 1_000_000 ? TelemetryRules.MaxNanoseconds : FloorMillisecond(nanoseconds) + 1_000_000;
}

/// <summary>The answer of LatestAsync from the newest summaries and health, as both stores give it: machines by line and id, sensors by id.</summary>
internal static class LatestView
{
    public static IReadOnlyList<MachineLatest> Combine(IEnumerable<SensorSummary> sensors, IEnumerable<MachineHealth> health)
    {
        var healthOf = health.ToDictionary(h => (h.Line, h.Machine));
        var sensorsOf = sensors.ToLookup(s => (s.Line, s.Machine));
        return [.. sensorsOf.Select(g => g.Key).Concat(healthOf.Keys).Distinct()
            .OrderBy(m => m.Line, StringComparer.Ordinal).ThenBy(m => m.Machine, StringComparer.Ordinal)
            .Select(m => new MachineLatest(
                m.Line,
                m.Machine,
                healthOf.GetValueOrDefault(m),
                [.. sensorsOf[m].OrderBy(s => s.Sensor, StringComparer.Ordinal)]))];
    }
}
