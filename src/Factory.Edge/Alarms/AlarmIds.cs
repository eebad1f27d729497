namespace Factory.Edge.Alarms;

/// <summary>
/// Alarm ids: <c>line/machine/sensor/hh|h|l|ll</c> for limit alarms, <c>line/machine/anomaly</c>
/// and <c>line/machine/stale-data</c> for machine alarms. Plant ids are kebab-case and never
/// contain '/', so an id can be read back into its parts.
/// </summary>
public static class AlarmIds
{
    public static string Limit(string line, string machine, string sensor, AlarmKind kind) =>
        kind.IsLimit()
            ? $"{line}/{machine}/{sensor}/{AlarmNames.Of(kind)}"
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "a limit alarm is HH, H, L or LL");

    public static string Anomaly(string line, string machine) => $"{line}/{machine}/{AlarmNames.Of(AlarmKind.Anomaly)}";

    public static string StaleData(string line, string machine) => $"{line}/{machine}/{AlarmNames.Of(AlarmKind.StaleData)}";

    /// <summary>Reads an id back into its parts; false if it is not one of the forms above.</summary>
    public static bool TryParse(string id, out string line, out string machine, out string? sensor, out AlarmKind kind)
    {
        line = machine = string.Empty;
        sensor = null;
        kind = default;
        var parts = id.Split('/');
        if (parts.Length is < 3 or > 4 || parts.Any(string.IsNullOrEmpty) || !TryParseKind(parts[^1], out kind))
        {
            return false;
        }

        if (parts.Length == 4 != kind.IsLimit())
        {
            return false;
        }

        line = parts[0];
        machine = parts[1];
        sensor = parts.Length == 4 ? parts[2] : null;
        return true;
    }

    private static bool TryParseKind(string text, out AlarmKind kind)
    {
        foreach (var candidate in Enum.GetValues<AlarmKind>())
        {
            if (AlarmNames.Of(candidate) == text)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
