using System.Globalization;
using Factory.Plant.Model;

namespace Factory.Edge.Alarms;

/// <summary>
/// What one alarm of a line is, from the plant configuration: its id, what raises it, where, its
/// priority and what its messages say.
/// </summary>
/// <param name="Id">See <see cref="AlarmIds"/>.</param>
/// <param name="MachineName">The machine's name, for messages ("Machining centre MC-01").</param>
/// <param name="Sensor">The sensor id of a limit alarm; null for anomaly and stale data.</param>
/// <param name="SensorName">The sensor's name, for messages ("Spindle vibration RMS").</param>
/// <param name="Limit">The limit of a limit alarm.</param>
/// <param name="Unit">The sensor's engineering unit.</param>
public sealed record AlarmDefinition(
    string Id,
    string Line,
    string Machine,
    string MachineName,
    string? Sensor,
    string? SensorName,
    AlarmKind Kind,
    AlarmPriority Priority,
    double? Limit,
    string? Unit)
{
    /// <summary>
    /// What a supervisor reads when the condition becomes active, e.g.
    /// "Spindle vibration RMS above HH limit 4.5 mm/s: 5.2 mm/s".
    /// </summary>
    /// <param name="value">The process value; for stale data, the seconds without data.</param>
    public string Message(double? value, double? score = null, double? threshold = null) => Kind switch
    {
        _ when Kind.IsLimit() => string.Create(
            CultureInfo.InvariantCulture,
            $"{SensorName ?? Sensor} {(Kind.IsHighLimit() ? "above" : "below")} {AlarmNames.Abbreviation(Kind)} limit {Quantity(Limit)}{(value is { } v ? ": " + Quantity(v) : string.Empty)}"),
        AlarmKind.Anomaly => score is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"{MachineName} behaves abnormally: anomaly score {Number(s)}{(threshold is { } t ? " above threshold " + Number(t) : string.Empty)}")
            : $"{MachineName} behaves abnormally",
        AlarmKind.StaleData => value is { } seconds
            ? string.Create(CultureInfo.InvariantCulture, $"No data from {MachineName} for {seconds:0} s")
            : $"No data from {MachineName}",
        _ => Id,
    };

    private string Quantity(double? value) =>
        value is not { } v ? "?" : string.IsNullOrEmpty(Unit) ? Number(v) : $"{Number(v)} {Unit}";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
