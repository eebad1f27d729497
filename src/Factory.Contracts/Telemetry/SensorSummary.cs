namespace Factory.Contracts.Telemetry;

/// <summary>
/// One sensor over one interval of its machine's clock, as the edge sends it to the cloud instead
/// of every sample. (line, machine, sensor, start) identifies it: the cloud stores it under that
/// key, so a redelivered summary replaces itself.
/// </summary>
/// <param name="Line">The line id.</param>
/// <param name="Machine">The machine id.</param>
/// <param name="Sensor">The sensor id.</param>
/// <param name="Start">Start of the interval (UTC, a whole multiple of the interval), by the samples' source timestamps.</param>
/// <param name="IntervalSeconds">Length of the interval: 10 s by default; larger when the edge downsampled its backlog.</param>
/// <param name="Count">Good samples in the interval (at least 1: an interval without samples is not sent).</param>
/// <param name="Min">Smallest sample value.</param>
/// <param name="Max">Largest sample value.</param>
/// <param name="Mean">Mean of the sample values.</param>
/// <param name="StdDev">Population standard deviation of the sample values.</param>
/// <param name="Last">The value of the newest sample.</param>
/// <param name="Unit">Engineering unit, e.g. mm/s.</param>
public sealed record SensorSummary(
    string Line,
    string Machine,
    string Sensor,
    DateTimeOffset Start,
    double IntervalSeconds,
    long Count,
    double Min,
    double Max,
    double Mean,
    double StdDev,
    double Last,
    string? Unit);
