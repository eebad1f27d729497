namespace Factory.Contracts.Telemetry;

/// <summary>
/// The raw samples of a machine around the moment its anomaly alarm was raised: what a reliability
/// engineer looks at to understand it, and what retraining learns from. (line, machine, trigger)
/// identifies it.
/// </summary>
/// <param name="Line">The line id.</param>
/// <param name="Machine">The machine id.</param>
/// <param name="AlarmId">The anomaly alarm that was raised.</param>
/// <param name="Trigger">When the alarm was raised (the machine's clock).</param>
/// <param name="From">Start of the window: the trigger minus the configured time before.</param>
/// <param name="To">End of the window: the trigger plus the configured time after.</param>
/// <param name="Score">The score that raised the alarm.</param>
/// <param name="Threshold">The threshold it crossed.</param>
/// <param name="Sensors">Every sensor's samples in the window.</param>
public sealed record AnomalyWindow(
    string Line,
    string Machine,
    string AlarmId,
    DateTimeOffset Trigger,
    DateTimeOffset From,
    DateTimeOffset To,
    double? Score,
    double? Threshold,
    IReadOnlyList<SensorTrace> Sensors);

/// <summary>One sensor's samples: parallel arrays of source times (Unix milliseconds, UTC) and values.</summary>
public sealed record SensorTrace(string Sensor, IReadOnlyList<long> TimesMs, IReadOnlyList<double> Values);
