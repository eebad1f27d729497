using Factory.Plant.Model;

namespace Factory.Simulator.Tests.Support;

/// <summary>
/// Plants built in code for tests: one machine of each kind per line with the sensors a
/// reliability engineer would fit, on endpoints with port 0 (a free port) unless told otherwise.
/// </summary>
internal static class TestPlant
{
    public static readonly MachineType[] Types =
    [
        new("cnc-spindle", "CNC machining centre spindle", MachineKind.CncSpindle, null),
        new("centrifugal-pump", "Centrifugal pump", MachineKind.CentrifugalPump, null),
        new("conveyor-drive", "Belt conveyor drive", MachineKind.ConveyorDrive, null),
        new("hydraulic-press", "Hydraulic press", MachineKind.HydraulicPress, null),
    ];

    public static PlantConfig Create(int lines = 1, IReadOnlyList<Shift>? shifts = null, string? timeZone = "Europe/Berlin", int samplingIntervalMs = 1000, Func<int, string>? endpoint = null) =>
        new(
            1,
            new Site("plant-a", "Plant A", timeZone, [new Area("assembly", "Assembly hall", [.. Enumerable.Range(1, lines).Select(i => Line(i, shifts ?? [], samplingIntervalMs, endpoint?.Invoke(i) ?? "opc.tcp://127.0.0.1:0"))])]),
            Types,
            "test-plant.yaml");

    /// <summary>Day shifts, Monday to Friday, 06:00 to 14:00 and 14:00 to 22:00.</summary>
    public static IReadOnlyList<Shift> TwoShifts { get; } =
    [
        new("early", new TimeOnly(6, 0), new TimeOnly(14, 0), [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]),
        new("late", new TimeOnly(14, 0), new TimeOnly(22, 0), [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]),
    ];

    public static Line Line(int number, IReadOnlyList<Shift> shifts, int samplingIntervalMs, string endpoint)
    {
        var id = $"line-{number}";
        return new Line(id, $"Line {number}", $"edge-{number}", endpoint,
        [
            Machine(id, "cnc-1", "cnc-spindle", samplingIntervalMs,
                ("spindle-vibration-rms", SignalKind.VibrationRms, "mm/s", 0, 25),
                ("spindle-vibration-peak", SignalKind.VibrationPeak, "mm/s", 0, 100),
                ("spindle-bearing-temperature", SignalKind.BearingTemperature, "°C", 0, 120),
                ("spindle-winding-temperature", SignalKind.WindingTemperature, "°C", 0, 180),
                ("spindle-current", SignalKind.MotorCurrent, "A", 0, 60),
                ("spindle-current-imbalance", SignalKind.CurrentImbalance, "%", 0, 20),
                ("spindle-speed", SignalKind.Speed, "rpm", 0, 15000),
                ("spindle-belt-tension", SignalKind.BeltTension, "N", 0, 2000)),
            Machine(id, "pump-1", "centrifugal-pump", samplingIntervalMs,
                ("vibration-rms", SignalKind.VibrationRms, "mm/s", 0, 25),
                ("bearing-temperature", SignalKind.BearingTemperature, "°C", 0, 120),
                ("motor-current", SignalKind.MotorCurrent, "A", 0, 50),
                ("suction-pressure", SignalKind.SuctionPressure, "bar", -1, 3),
                ("discharge-pressure", SignalKind.DischargePressure, "bar", 0, 10),
                ("flow", SignalKind.Flow, "m³/h", 0, 120)),
            Machine(id, "conveyor-1", "conveyor-drive", samplingIntervalMs,
                ("vibration-rms", SignalKind.VibrationRms, "mm/s", 0, 25),
                ("motor-current", SignalKind.MotorCurrent, "A", 0, 30),
                ("belt-speed", SignalKind.Speed, "m/s", 0, 3),
                ("belt-tension", SignalKind.BeltTension, "kN", 0, 20),
                ("gearbox-oil-temperature", SignalKind.OilTemperature, "°C", 0, 120)),
            Machine(id, "press-1", "hydraulic-press", samplingIntervalMs,
                ("hydraulic-pressure", SignalKind.HydraulicPressure, "bar", 0, 400),
                ("oil-temperature", SignalKind.OilTemperature, "°C", 0, 100),
                ("motor-current", SignalKind.MotorCurrent, "A", 0, 100),
                ("winding-temperature", SignalKind.WindingTemperature, "°C", 0, 180),
                ("current-imbalance", SignalKind.CurrentImbalance, "%", 0, 20),
                ("vibration-rms", SignalKind.VibrationRms, "mm/s", 0, 25)),
        ], shifts);
    }

    public static Machine Machine(string lineId, string id, string type, int samplingIntervalMs, params (string Id, SignalKind Signal, string Unit, double Low, double High)[] sensors) =>
        new(
            id,
            id.ToUpperInvariant(),
            type,
            Criticality.High,
            $"ns=2;s={lineId}.{id}.status",
            $"ns=2;s={lineId}.{id}.maintenance",
            [.. sensors.Select(s => new Sensor(s.Id, s.Id.Replace('-', ' '), s.Signal, $"ns=2;s={lineId}.{id}.{s.Id}", s.Unit, new ValueRange(s.Low, s.High), samplingIntervalMs, null, null))]);
}
