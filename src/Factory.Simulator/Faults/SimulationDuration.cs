using System.Globalization;
using System.Text;

namespace Factory.Simulator.Faults;

/// <summary>
/// Durations as people write them in scenarios and on the command line: a number and a unit,
/// repeated, e.g. <c>90s</c>, <c>2m</c>, <c>1h30m</c>, <c>3d</c>, <c>2w</c>, <c>500ms</c>.
/// </summary>
public static class SimulationDuration
{
    /// <summary>The units, longest first so that "ms" is not read as "m".</summary>
    private static readonly (string Unit, TimeSpan Length)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("h", TimeSpan.FromHours(1)),
        ("d", TimeSpan.FromDays(1)),
        ("w", TimeSpan.FromDays(7)),
    ];

    public const string Examples = "90s, 2m, 1h30m, 3d, 2w, 500ms";

    /// <summary>Parses a duration; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = "";
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            error = $"a duration is needed, e.g. {Examples}";
            return false;
        }

        var position = 0;
        var total = 0.0;
        while (position < s.Length)
        {
            var start = position;
            while (position < s.Length && (char.IsAsciiDigit(s[position]) || s[position] == '.'))
            {
                position++;
            }

            if (position == start || !double.TryParse(s.AsSpan(start, position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{s}' is not a duration: expected a number at position {start + 1} (examples: {Examples})";
                return false;
            }

            var unit = Units.FirstOrDefault(u => string.CompareOrdinal(s, position, u.Unit, 0, u.Unit.Length) == 0 &&
                                                 (u.Unit != "m" || position + 1 >= s.Length || s[position + 1] != 's'));
            if (unit.Unit is null)
            {
                error = position >= s.Length
                    ? $"'{s}' has no unit: write e.g. {s}s or {s}m (units: {UnitList()})"
                    : $"'{s}' has an unknown unit at position {position + 1} (units: {UnitList()})";
                return false;
            }

            total += number * unit.Length.TotalMilliseconds;
            position += unit.Unit.Length;
        }

        if (total > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            error = $"'{s}' is too long a duration";
            return false;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    /// <summary>The shortest text that parses back to <paramref name="duration"/> (to the millisecond).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var rest = duration;
        for (var i = Units.Length - 2; i >= 0; i--)
        {
            // Weeks (the last unit) are left out: "14d" reads better than "2w" in a log.
            var (unit, length) = Units[i];
            var count = (long)(rest.Ticks / length.Ticks);
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= TimeSpan.FromTicks(count * length.Ticks);
            }
        }

        return text.ToString();
    }

    private static string UnitList() => string.Join(", ", Units.Select(u => u.Unit));
}
