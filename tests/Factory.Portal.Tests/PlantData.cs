using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;

namespace Factory.Portal.Tests;

/// <summary>What edges would have sent for two machines: a summary and a health record each, one of them anomalous.</summary>
internal static class PlantData
{
    public static readonly DateTimeOffset At = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static Task WriteAsync(ITelemetryStore store) => store.WriteAsync(
        new TelemetryBatch(
            [
                new SensorSummary("line-1", "cnc-01", "spindle-vibration-rms", At, 10, 100, 1.1, 1.9, 1.5, 0.2, 1.6, "mm/s"),
                new SensorSummary("line-2", "pump-07", "flow", At, 10, 10, 40, 42, 41, 0.5, 41.2, "m3/h"),
            ],
            [
                new MachineHealth("line-1", "cnc-01", At, 10, 10, 0.4, 0.38, 0.45, 1.0, "cnc-spindle-anomaly version 1", "running", false),
                new MachineHealth("line-2", "pump-07", At, 10, 10, 7.25, 6.9, 7.4, 2.0, "centrifugal-pump-anomaly version 3", "running", false),
            ],
            [],
            []),
        default);

    /// <summary>Six hours of 10 s summaries of the pump's flow and of its health before <see cref="At"/>, slowly rising, and an alarm in them.</summary>
    public static Task WriteHistoryAsync(ITelemetryStore store)
    {
        var summaries = new List<SensorSummary>();
        var health = new List<MachineHealth>();
        for (var t = At.AddHours(-6); t < At; t = t.AddSeconds(10))
        {
            var hours = (t - At.AddHours(-6)).TotalHours;
            var mean = 40 + hours + Math.Sin(hours * 3);
            summaries.Add(new SensorSummary("line-2", "pump-07", "flow", t, 10, 10, mean - 0.5, mean + 0.5, mean, 0.2, mean, "m3/h"));
            var score = 0.5 + (hours / 3);
            health.Add(new MachineHealth("line-2", "pump-07", t, 10, 10, score, score, score + 0.1, 2.0, "centrifugal-pump-anomaly version 3", "running", false));
        }

        var alarm = new AlarmEvent(
            1, 1, "line-2/pump-07/flow/hi", "line-2", "pump-07", "flow", "limit", "high", "activated", "unacknowledged",
            true, false, false, false, At.AddHours(-1), 45.2, null, null, 45, "m3/h", null, null, null, "Flow above H limit 45 m3/h: 45.2 m3/h");
        return store.WriteAsync(new TelemetryBatch(summaries, health, [alarm], []), default);
    }
}
