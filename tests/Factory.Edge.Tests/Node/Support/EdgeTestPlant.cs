using Factory.Plant.Model;

namespace Factory.Edge.Tests.Node.Support;

/// <summary>
/// A line built in code for the edge's tests: two centrifugal pumps with vibration limits and a
/// conveyor, every sensor sampled every 200 ms with 5-second feature windows (so that scoring
/// starts within seconds), running around the clock.
/// </summary>
internal static class EdgeTestPlant
{
    public const string LineId = "line-1";
    public const int SamplingIntervalMs = 200;
    public const double VibrationHigh = 4.5;
    public const double VibrationHighHigh = 6;

    public static readonly MachineType[] Types =
    [
        new("centrifugal-pump", "Centrifugal pump", MachineKind.CentrifugalPump, "pump-anomaly"),
        new("conveyor-drive", "Belt conveyor drive", MachineKind.ConveyorDrive, null),
    ];

    public static PlantConfig Create(string endpoint, Func<Machine, Machine>? change = null)
    {
        change ??= m => m;
        var line = new Line(LineId, "Test line", "edge-test", endpoint,
        [
            change(Pump("pump-1")),
            change(Pump("pump-2")),
            change(Machine("conveyor-1", "conveyor-drive", Criticality.Low,
                ("vibration-rms", SignalKind.VibrationRms, "mm/s", 0, 25, null),
                ("motor-current", SignalKind.MotorCurrent, "A", 0, 30, null),
                ("belt-speed", SignalKind.Speed, "m/s", 0, 3, null),
                ("gearbox-oil-temperature", SignalKind.OilTemperature, "°C", 0, 120, null))),
        ], []);
        return new PlantConfig(1, new Site("plant-t", "Test plant", "UTC", [new Area("area-t", "Test area", [line])]), Types, "edge-test-plant.yaml");
    }

    public static Machine Pump(string id) =>
        Machine(id, "centrifugal-pump", Criticality.High,
            ("vibration-rms", SignalKind.VibrationRms, "mm/s", 0, 25,
                new LimitAlarms(new LimitLevel(VibrationHighHigh, null), new LimitLevel(VibrationHigh, null), null, null, Deadband: 0.3, OnDelayMs: 0, OffDelayMs: 0)),
            ("bearing-temperature", SignalKind.BearingTemperature, "°C", 0, 120, null),
            ("motor-current", SignalKind.MotorCurrent, "A", 0, 50, null),
            ("discharge-pressure", SignalKind.DischargePressure, "bar", 0, 10, null),
            ("flow", SignalKind.Flow, "m³/h", 0, 120, null));

    public static Machine Machine(string id, string type, Criticality criticality, params (string Id, SignalKind Signal, string Unit, double Low, double High, LimitAlarms? Limits)[] sensors) =>
        new(
            id,
            id.ToUpperInvariant(),
            type,
            criticality,
            $"ns=2;s={LineId}.{id}.status",
            $"ns=2;s={LineId}.{id}.maintenance",
            [.. sensors.Select(s => new Sensor(
                s.Id, s.Id.Replace('-', ' '), s.Signal, $"ns=2;s={LineId}.{id}.{s.Id}", s.Unit, new ValueRange(s.Low, s.High), SamplingIntervalMs, s.Limits,
                new FeatureWindow(5, Ml.Features.FeatureSchema.DefaultStatistics(s.Signal))))]);
}
