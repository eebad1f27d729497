using System.Globalization;

namespace Factory.Ml.Rul;

/// <summary>
/// The C-MAPSS turbofan text format (NASA PCoE): one row per engine cycle, space separated, 26
/// columns: unit, cycle, three operational settings, 21 sensors. Truth files hold one RUL per test
/// unit, in unit order.
/// </summary>
public static class CmapssFile
{
    /// <summary>Columns of a row: unit, cycle, 3 settings, 21 sensors.</summary>
    public const int ColumnCount = 26;

    /// <summary>The names of the value columns of a <see cref="RulDataset"/> read from C-MAPSS: setting1..3, s1..s21.</summary>
    public static IReadOnlyList<string> ValueColumns { get; } =
        [.. Enumerable.Range(1, 3).Select(i => $"setting{i}"), .. Enumerable.Range(1, 21).Select(i => $"s{i}")];

    /// <summary>Reads a train or test file; units in the order they first appear.</summary>
    /// <exception cref="FormatException">A row that is not 26 numbers, a unit's cycles out of order, or a unit split over the file: the message names file, line and column.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RulDataset Read(string path)
    {
        var units = new List<RulUnit>();
        var seen = new HashSet<int>();
        int? current = null;
        List<double> times = [];
        List<double[]> rows = [];
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != ColumnCount)
            {
                throw new FormatException($"{path}:{lineNumber}: expected {ColumnCount} space-separated columns (unit, cycle, 3 settings, 21 sensors), found {fields.Length}.");
            }

            var values = new double[ColumnCount];
            for (var c = 0; c < ColumnCount; c++)
            {
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]) || !double.IsFinite(values[c]))
                {
                    throw new FormatException($"{path}:{lineNumber}: column {c + 1} ({ColumnName(c)}): '{fields[c]}' is not a number.");
                }
            }

            var unit = (int)values[0];
            if (unit != values[0] || unit < 1)
            {
                throw new FormatException($"{path}:{lineNumber}: column 1 (unit): '{fields[0]}' is not a positive whole number.");
            }

            if (unit != current)
            {
                if (current is { } done)
                {
                    units.Add(new RulUnit(done.ToString(CultureInfo.InvariantCulture), times, rows));
                }

                if (!seen.Add(unit))
                {
                    throw new FormatException($"{path}:{lineNumber}: column 1 (unit): unit {unit} appears again after other units; a unit's rows must be together.");
                }

                current = unit;
                times = [];
                rows = [];
            }

            if (times.Count > 0 && values[1] <= times[^1])
            {
                throw new FormatException($"{path}:{lineNumber}: column 2 (cycle): cycle {fields[1]} of unit {unit} does not follow cycle {times[^1].ToString(CultureInfo.InvariantCulture)}.");
            }

            times.Add(values[1]);
            rows.Add(values[2..]);
        }

        if (current is { } last)
        {
            units.Add(new RulUnit(last.ToString(CultureInfo.InvariantCulture), times, rows));
        }

        if (units.Count == 0)
        {
            throw new FormatException($"{path}: no rows; a C-MAPSS file has one row per unit and cycle.");
        }

        return new RulDataset(ValueColumns, units);
    }

    /// <summary>Reads a truth file: one RUL (a non-negative number) per line, for the test units in order.</summary>
    /// <exception cref="FormatException">A line that is not one non-negative number, naming file and line.</exception>
    public static IReadOnlyList<double> ReadTruth(string path)
    {
        var truth = new List<double>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rul) || !double.IsFinite(rul) || rul < 0)
            {
                throw new FormatException($"{path}:{lineNumber}: '{text}' is not a remaining useful life (one non-negative number per line).");
            }

            truth.Add(rul);
        }

        return truth;
    }

    private static string ColumnName(int column) => column switch
    {
        0 => "unit",
        1 => "cycle",
        _ => ValueColumns[column - 2],
    };
}
