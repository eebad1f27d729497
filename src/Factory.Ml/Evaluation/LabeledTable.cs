using System.Globalization;
using System.Text;

namespace Factory.Ml.Evaluation;

/// <summary>How <see cref="LabeledTable.Read"/> reads a labeled CSV file.</summary>
public sealed record LabeledTableFormat
{
    /// <summary>The column that holds the label: a number, non-zero for an anomaly.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>A column of time stamps, not a sensor (optional).</summary>
    public string? TimestampColumn { get; init; }

    /// <summary>Further columns that are not sensors (another label, an id).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    public char Separator { get; init; } = ',';
}

/// <summary>
/// A labeled multivariate recording: one row per time, sensor values and a label. Every column but the
/// label, time stamp and ignored columns whose values are numbers (judged on the first
/// <see cref="TypeSniffRows"/> rows: mostly numbers) is a sensor; other columns are listed as not read.
/// </summary>
public sealed record LabeledTable(string Path, IReadOnlyList<string> Sensors, IReadOnlyList<string> NotRead, IReadOnlyList<float[]> Rows, IReadOnlyList<bool> Anomalous, IReadOnlyList<int> LineNumbers)
{
    /// <summary>Rows looked at to decide whether a column is numeric.</summary>
    public const int TypeSniffRows = 200;

    /// <summary>Reads a CSV file with a header row. Fields may be quoted (RFC 4180, on one line).</summary>
    /// <exception cref="FormatException">A missing label column, a row with the wrong number of fields, a label or sensor value that is not a number: naming file, line and column.</exception>
    public static LabeledTable Read(string path, LabeledTableFormat format)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var headerLine = reader.ReadLine() ?? throw new FormatException($"{path}: the file is empty; it needs a header row.");
        var header = Split(headerLine, format.Separator, path, 1);
        var labelIndex = IndexOf(header, format.LabelColumn, path, "--label-column");
        var timestampIndex = format.TimestampColumn is { } t ? IndexOf(header, t, path, "--timestamp-column") : -1;
        var ignored = format.IgnoredColumns.Select(c => IndexOf(header, c, path, "--ignore-columns")).ToHashSet();

        var lines = new List<(int Number, string[] Fields)>();
        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = Split(line, format.Separator, path, number);
            if (fields.Length != header.Length)
            {
                throw new FormatException($"{path}:{number}: {fields.Length} fields; the header has {header.Length} (separator '{format.Separator}').");
            }

            lines.Add((number, fields));
        }

        var candidates = Enumerable.Range(0, header.Length).Where(c => c != labelIndex && c != timestampIndex && !ignored.Contains(c)).ToList();
        var sensors = candidates.Where(c => MostlyNumbers(lines.Take(TypeSniffRows).Select(l => l.Fields[c]))).ToList();
        if (sensors.Count == 0)
        {
            throw new FormatException($"{path}: no numeric column besides the label '{format.LabelColumn}'; there is nothing to score.");
        }

        var rows = new List<float[]>(lines.Count);
        var labels = new List<bool>(lines.Count);
        foreach (var (line, fields) in lines)
        {
            labels.Add(Number(fields[labelIndex], path, line, header[labelIndex]) != 0);
            var row = new float[sensors.Count];
            for (var s = 0; s < sensors.Count; s++)
            {
                row[s] = (float)Number(fields[sensors[s]], path, line, header[sensors[s]]);
            }

            rows.Add(row);
        }

        return new LabeledTable(
            path,
            sensors.Select(c => header[c]).ToList(),
            candidates.Except(sensors).Select(c => header[c]).ToList(),
            rows,
            labels,
            lines.Select(l => l.Number).ToList());
    }

    private static int IndexOf(string[] header, string name, string path, string option)
    {
        var index = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.Ordinal));
        return index >= 0 ? index : throw new FormatException($"{path}:1: no column '{name}' ({option}); the columns are {string.Join(", ", header)}.");
    }

    private static bool MostlyNumbers(IEnumerable<string> values)
    {
        int numbers = 0, total = 0;
        foreach (var value in values)
        {
            total++;
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                numbers++;
            }
        }

        return total > 0 && numbers * 2 > total;
    }

    private static double Number(string text, string path, int line, string column) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"{path}:{line}: column '{column}': '{text}' is not a number.");

    private static string[] Split(string line, char separator, string path, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"{path}:{number}: a quoted field is not closed on its line.");
        }

        fields.Add(field.ToString().Trim());
        return [.. fields];
    }
}
