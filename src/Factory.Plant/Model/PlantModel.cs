namespace Factory.Plant.Model;

/// <summary>
/// A plant as its configuration file describes it (ISA-95: site, area, production line,
/// machine, sensor), after validation. Immutable; ids are unique where the file format says so.
/// </summary>
/// <param name="SchemaVersion">The version of the file format (plant-config/plant.schema.json).</param>
/// <param name="Site">The one site of the file.</param>
/// <param name="MachineTypes">The machine types the machines refer to.</param>
/// <param name="SourcePath">The file it was read from, for messages.</param>
public sealed record PlantConfig(int SchemaVersion, Site Site, IReadOnlyList<MachineType> MachineTypes, string SourcePath)
{
    /// <summary>The maintenance crews with their skills; empty when the file names none.</summary>
    public IReadOnlyList<Crew> Crews { get; init; } = [];

    public IEnumerable<Line> Lines => Site.Areas.SelectMany(a => a.Lines);

    public IEnumerable<Machine> Machines => Lines.SelectMany(l => l.Machines);

    public Line Line(string lineId) =>
        Lines.FirstOrDefault(l => l.Id == lineId) ?? throw new KeyNotFoundException($"{SourcePath} has no line '{lineId}'.");

    public MachineType TypeOf(Machine machine) => MachineTypes.First(t => t.Id == machine.Type);
}

public sealed record Site(string Id, string Name, string? TimeZone, IReadOnlyList<Area> Areas);

public sealed record Area(string Id, string Name, IReadOnlyList<Line> Lines);

/// <summary>A production line: the unit one edge node serves, with one OPC UA endpoint for its machines.</summary>
/// <param name="EdgeNode">The id of the edge node that serves the line.</param>
/// <param name="OpcUaEndpoint">Where the line's machines are read, e.g. opc.tcp://127.0.0.1:4841.</param>
/// <param name="Shifts">When the line produces; outside these times machines are idle or stopped.</param>
public sealed record Line(string Id, string Name, string EdgeNode, string OpcUaEndpoint, IReadOnlyList<Machine> Machines, IReadOnlyList<Shift> Shifts)
{
    /// <summary>The TCP port of <see cref="OpcUaEndpoint"/>; 4840, the OPC UA default, when the URL names none.</summary>
    public int OpcUaPort => Config.PlantRules.TryParseEndpoint(OpcUaEndpoint, out _, out var port) && port > 0 ? port : 4840;
}

/// <summary>A daily production shift in the site's time zone, e.g. 06:00 to 14:00 on weekdays.</summary>
public sealed record Shift(string Name, TimeOnly Start, TimeOnly End, IReadOnlyList<DayOfWeek> Days);

/// <summary>A machine of a line.</summary>
/// <param name="Type">The id of its <see cref="MachineType"/>, which decides the model it is scored with.</param>
/// <param name="StatusNodeId">The node that tells the machine's operating state (running, idle, stopped, failed).</param>
/// <param name="MaintenanceNodeId">A writable node; writing a maintenance action to it performs that maintenance.</param>
public sealed record Machine(
    string Id,
    string Name,
    string Type,
    Criticality Criticality,
    string StatusNodeId,
    string MaintenanceNodeId,
    IReadOnlyList<Sensor> Sensors);

/// <summary>A kind of machine: its physics family and the model package it is scored with.</summary>
/// <param name="Kind">The physics family (what the simulator simulates, what features make sense).</param>
/// <param name="Model">The name of the model package for this type in models/, if one is deployed.</param>
public sealed record MachineType(string Id, string Name, MachineKind Kind, string? Model)
{
    /// <summary>What maintenance on a machine of the type can be; the first is proposed for a predicted failure.</summary>
    public IReadOnlyList<MaintenanceTask> MaintenanceTasks { get; init; } = [];
}

/// <summary>A maintenance task of a machine type.</summary>
/// <param name="Id">The action written to the machine's maintenance node when the work is done, e.g. replace-bearing.</param>
/// <param name="Hours">The estimated duration.</param>
/// <param name="Skill">The skill a crew needs for it.</param>
public sealed record MaintenanceTask(string Id, string Name, double Hours, string Skill, IReadOnlyList<string> Parts);

/// <summary>A maintenance crew (or technician) and what it can do.</summary>
public sealed record Crew(string Id, string Name, IReadOnlyList<string> Skills);

/// <summary>A sensor of a machine, read from one OPC UA node.</summary>
/// <param name="Signal">What physical quantity it measures.</param>
/// <param name="NodeId">The OPC UA node id of its value, e.g. ns=2;s=line-1.cnc-1.spindle-vibration-rms.</param>
/// <param name="Unit">The engineering unit, e.g. mm/s, °C, A, bar, m³/h, rpm.</param>
/// <param name="Range">The engineering range: the values the sensor can report.</param>
/// <param name="SamplingIntervalMs">How often the value is sampled.</param>
/// <param name="Limits">Limit alarms, if any.</param>
/// <param name="Features">Window features computed at the edge, if not the defaults of the signal.</param>
public sealed record Sensor(
    string Id,
    string Name,
    SignalKind Signal,
    string NodeId,
    string Unit,
    ValueRange Range,
    int SamplingIntervalMs,
    LimitAlarms? Limits,
    FeatureWindow? Features);

public sealed record ValueRange(double Low, double High);

/// <summary>
/// Limit alarms of one sensor (ISA-18.2 absolute alarms): HH, H, L, LL with a deadband that
/// keeps a value hovering at a limit from chattering, and on- and off-delays.
/// </summary>
public sealed record LimitAlarms(
    LimitLevel? HighHigh,
    LimitLevel? High,
    LimitLevel? Low,
    LimitLevel? LowLow,
    double Deadband,
    int OnDelayMs,
    int OffDelayMs);

/// <summary>One limit and the priority of its alarm (default: from the limit's severity and the machine's criticality).</summary>
public sealed record LimitLevel(double Value, AlarmPriority? Priority);

/// <summary>Window features of a sensor, computed incrementally at the edge.</summary>
/// <param name="WindowSeconds">Length of the sliding window.</param>
/// <param name="Statistics">Which statistics to compute over it.</param>
public sealed record FeatureWindow(int WindowSeconds, IReadOnlyList<FeatureStatistic> Statistics);

public enum Criticality
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>ISA-18.2 alarm priorities.</summary>
public enum AlarmPriority
{
    Low,
    Medium,
    High,
    Urgent,
}

public enum MachineKind
{
    CncSpindle,
    CentrifugalPump,
    ConveyorDrive,
    HydraulicPress,
}

public enum SignalKind
{
    VibrationRms,
    VibrationPeak,
    BearingTemperature,
    WindingTemperature,
    MotorCurrent,
    CurrentImbalance,
    Speed,
    Torque,
    DischargePressure,
    SuctionPressure,
    Flow,
    HydraulicPressure,
    OilTemperature,
    BeltTension,
    Power,
}

public enum FeatureStatistic
{
    Mean,
    Rms,
    StandardDeviation,
    Min,
    Max,
    Slope,
    Kurtosis,
    CrestFactor,
}
