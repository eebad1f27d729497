using Factory.Edge.Alarms;
using Factory.Plant.Model;

namespace Factory.Edge.Tests.Alarms.Support;

/// <summary>
/// A small line with the alarms the tests need: a machining centre (high criticality) with the
/// sample plant's vibration limits, a coolant pump (critical) with flow limits, and a conveyor
/// (medium criticality) with twelve zone temperatures whose H alarms come out Low priority.
/// </summary>
internal static class TestLine
{
    public const string Line = "line-1";
    public const string Cnc = "cnc-01";
    public const string Pump = "coolant-pump-01";
    public const string Conveyor = "conveyor-01";

    public const string VibrationHh = "line-1/cnc-01/spindle-vibration-rms/hh";
    public const string VibrationH = "line-1/cnc-01/spindle-vibration-rms/h";
    public const string FlowL = "line-1/coolant-pump-01/flow/l";
    public const string FlowLl = "line-1/coolant-pump-01/flow/ll";
    public const string FlowH = "line-1/coolant-pump-01/flow/h";
    public const string CncAnomaly = "line-1/cnc-01/anomaly";

    /// <summary>08:00 UTC on a production day.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The sample plant's machine-tool vibration limits: H 2.8, HH 4.5 (priority high), deadband 0.2, on 2 s, off 5 s.</summary>
    public static readonly LimitAlarms Vibration = new(new LimitLevel(4.5, AlarmPriority.High), new LimitLevel(2.8, null), null, null, 0.2, 2000, 5000);

    /// <summary>The sample plant's pump flow limits: LL 25, L 40, H 160, deadband 2, on 5 s, off 5 s.</summary>
    public static readonly LimitAlarms Flow = new(null, new LimitLevel(160, null), new LimitLevel(40, null), new LimitLevel(25, null), 2, 5000, 5000);

    public static Line Create()
    {
        var cnc = new Machine(Cnc, "Machining centre MC-01", "cnc-spindle", Criticality.High, "ns=2;s=line-1.cnc-01.status", "ns=2;s=line-1.cnc-01.maintenance",
        [
            Sensor(Cnc, "spindle-vibration-rms", "Spindle vibration RMS", SignalKind.VibrationRms, "mm/s", Vibration),
            Sensor(Cnc, "spindle-bearing-temperature", "Spindle front bearing temperature", SignalKind.BearingTemperature, "°C",
                new LimitAlarms(new LimitLevel(85, AlarmPriority.Urgent), new LimitLevel(70, null), null, null, 2, 10000, 30000)),
        ]);
        var pump = new Machine(Pump, "Coolant supply pump 1", "centrifugal-pump", Criticality.Critical, "ns=2;s=line-1.coolant-pump-01.status", "ns=2;s=line-1.coolant-pump-01.maintenance",
        [
            Sensor(Pump, "flow", "Coolant flow", SignalKind.Flow, "m³/h", Flow),
        ]);
        var conveyor = new Machine(Conveyor, "Belt conveyor 1", "conveyor-drive", Criticality.Medium, "ns=2;s=line-1.conveyor-01.status", "ns=2;s=line-1.conveyor-01.maintenance",
        [
            .. Enumerable.Range(1, 12).Select(i => Sensor(Conveyor, Zone(i), $"Zone {i} bearing temperature", SignalKind.BearingTemperature, "°C",
                new LimitAlarms(null, new LimitLevel(70, null), null, null, 2, 0, 0))),
        ]);
        return new Line(Line, "Machining line 1", "edge-line-1", "opc.tcp://127.0.0.1:4841", [cnc, pump, conveyor], []);
    }

    public static AlarmCatalog Catalog() => AlarmCatalog.For(Create());

    public static AlarmBook Book(AlarmBookOptions? options = null) => new(Catalog(), options);

    public static string Zone(int i) => $"zone-{i:00}-temperature";

    /// <summary>The H alarm of conveyor zone <paramref name="i"/> (1 to 12): priority Low.</summary>
    public static string ZoneH(int i) => $"line-1/conveyor-01/{Zone(i)}/h";

    private static Sensor Sensor(string machine, string id, string name, SignalKind signal, string unit, LimitAlarms limits) =>
        new(id, name, signal, $"ns=2;s=line-1.{machine}.{id}", unit, new ValueRange(-1000, 1000), 100, limits, null);
}
