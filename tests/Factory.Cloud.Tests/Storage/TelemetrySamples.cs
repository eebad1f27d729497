using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;

namespace Factory.Cloud.Tests.Storage;

/// <summary>Records as an edge sends them, for the store tests.</summary>
internal static class TelemetrySamples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public static SensorSummary Summary(
        string line = "line-1",
        string machine = "cnc-01",
        string sensor = "spindle-temp",
        int index = 0,
        long count = 100,
        double min = 40,
        double max = 50,
        double mean = 45,
        double last = 47,
        string? unit = "°C") =>
        new(line, machine, sensor, T0.AddSeconds(10 * index), 10, count, min, max, mean, 1.25, last, unit);

    public static MachineHealth Health(string line = "line-1", string machine = "cnc-01", int index = 0, bool scored = true) =>
        scored
            ? new(line, machine, T0.AddSeconds(10 * index), 10, 10, 0.31 + index, 0.25, 0.4, 0.8, "pump-anomaly v3", "running", false)
            : new(line, machine, T0.AddSeconds(10 * index), 10, 0, null, null, null, null, null, "stopped", true);

    public static AlarmEvent Alarm(
        long sequence,
        DateTimeOffset time,
        string line = "line-1",
        string machine = "cnc-01",
        string message = "Spindle vibration RMS above HH limit 4.5 mm/s: 5.2 mm/s") =>
        new(
            AlarmEvent.CurrentSchemaVersion,
            sequence,
            $"{line}/{machine}/spindle-vibration-rms/hh",
            line,
            machine,
            "spindle-vibration-rms",
            AlarmKinds.HighHigh,
            AlarmPriorities.High,
            AlarmEventTypes.Activated,
            AlarmStates.Unacknowledged,
            ConditionActive: true,
            Shelved: false,
            Suppressed: false,
            OutOfService: false,
            time,
            Value: 5.2,
            Score: null,
            Threshold: null,
            Limit: 4.5,
            Unit: "mm/s",
            User: null,
            Comment: null,
            ShelvedUntil: null,
            message);

    /// <summary>An alarm event with every optional field set.</summary>
    public static AlarmEvent FullAlarm(long sequence, DateTimeOffset time, string line = "line-1", string machine = "cnc-01") =>
        Alarm(sequence, time, line, machine) with
        {
            Sensor = null,
            Kind = AlarmKinds.Anomaly,
            EventType = AlarmEventTypes.Shelved,
            Shelved = true,
            Score = 0.93,
            Threshold = 0.8,
            User = "anna.berg",
            Comment = "bearing change planned, see WO-1234",
            ShelvedUntil = time.AddHours(8),
        };

    public static AnomalyWindow Window(string line = "line-1", string machine = "cnc-01", int index = 0, params string[] sensors)
    {
        var trigger = T0.AddMinutes(index).AddMilliseconds(250);
        var from = trigger.AddSeconds(-2);
        var names = sensors.Length > 0 ? sensors : ["spindle-temp", "spindle-vibration-rms"];
        return new AnomalyWindow(
            line,
            machine,
            $"{line}/{machine}/anomaly",
            trigger,
            from,
            trigger.AddSeconds(1),
            0.93,
            0.8,
            [.. names.Select((s, k) => Trace(s, from, 3, k))]);
    }

    /// <summary>Samples every 100 ms over <paramref name="seconds"/>, values a function of time (so overlapping windows agree).</summary>
    public static SensorTrace Trace(string sensor, DateTimeOffset from, int seconds, int offset)
    {
        var times = Enumerable.Range(0, seconds * 10).Select(i => from.ToUnixTimeMilliseconds() + (100 * i)).ToList();
        return new SensorTrace(sensor, times, [.. times.Select(t => offset + Math.Sin(t / 1000.0))]);
    }

    public static TelemetryBatch Batch(
        IReadOnlyList<SensorSummary>? summaries = null,
        IReadOnlyList<MachineHealth>? health = null,
        IReadOnlyList<AlarmEvent>? alarms = null,
        IReadOnlyList<AnomalyWindow>? windows = null) =>
        new(summaries ?? [], health ?? [], alarms ?? [], windows ?? []);
}
