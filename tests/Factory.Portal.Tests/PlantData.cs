using Factory.Cloud.Storage;
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
}
