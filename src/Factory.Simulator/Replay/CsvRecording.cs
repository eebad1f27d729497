using System.Globalization;
using System.Text;

namespace Factory.Simulator.Replay;

/// <summary>One row of a recording, or why it could not be read.</summary>
/// <param name="LineNumber">The line of the file, from 1 (the header is line 1).</param>
/// <param name="Values">The value of each served column, null where the cell is empty.</param>
/// <param name="Problem">Why the row is skipped; null for a good row.</param>
public sealed record RecordedRow(int LineNumber, DateTimeOffset Timestamp, double?[] Values, string? Problem)
{
    public bool IsMalformed => Problem is not null;
}

/// <summary>
/// A recorded multivariate data set in a CSV file: a header line, a timestamp column, and the
/// columns to serve. A column is served when most of its values in the first rows are numbers;
/// others (a text label, an id) are left out and reported. Rows are read lazily, so a file of
/// any size streams in constant memory.
/// </summary>
public sealed class CsvRecording
{
    private const int ColumnSampleRows = 200;

    private CsvRecording(string path, char delimiter, string[] header, int timestampIndex, int[] columnIndexes, IReadOnlyList<string> ignored)
    {
        Path = path;
        Delimiter = delimiter;
        Header = header;
        TimestampIndex = timestampIndex;
        ColumnIndexes = columnIndexes;
        Columns = [.. columnIndexes.Select(i => header[i])];
        IgnoredColumns = ignored;
    }

    public string Path { get; }

    public char Delimiter { get; }

    public IReadOnlyList<string> Header { get; }

    public int TimestampIndex { get; }

    /// <summary>The numeric columns served, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Columns left out because they do not hold numbers.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    private int[] ColumnIndexes { get; }

    /// <summary>Reads the header and the first rows to decide which columns are served.</summary>
    /// <exception cref="FormatException">No header, no such timestamp column, or no numeric column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CsvRecording Open(string path, string timestampColumn, char delimiter = ',')
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var headerLine = reader.ReadLine() ?? throw new FormatException($"{path} is empty: a header line naming the columns is needed.");
        if (!TrySplit(headerLine, delimiter, out var header, out var error))
        {
            throw new FormatException($"{path}:1: the header cannot be read: {error}");
        }

        header = [.. header.Select(h => h.Trim())];
        var timestampIndex = Array.IndexOf(header, timestampColumn);
        if (timestampIndex < 0)
        {
            throw new FormatException($"{path} has no column '{timestampColumn}' (columns: {string.Join(", ", header)}).");
        }

        var numbers = new int[header.Length];
        var others = new int[header.Length];
        for (var row = 0; row < ColumnSampleRows && reader.ReadLine() is { } line; row++)
        {
            if (!TrySplit(line, delimiter, out var cells, out _) || cells.Length != header.Length)
            {
                continue;
            }

            for (var i = 0; i < cells.Length; i++)
            {
                if (cells[i].Length == 0)
                {
                    continue;
                }

                if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    numbers[i]++;
                }
                else
                {
                    others[i]++;
                }
            }
        }

        var columns = Enumerable.Range(0, header.Length).Where(i => i != timestampIndex && numbers[i] > others[i]).ToArray();
        var ignored = Enumerable.Range(0, header.Length).Where(i => i != timestampIndex && !columns.Contains(i)).Select(i => header[i]).ToList();
        if (columns.Length == 0)
        {
            throw new FormatException($"{path} has no numeric column to serve besides '{timestampColumn}'.");
        }

        return new CsvRecording(path, delimiter, header, timestampIndex, columns, ignored);
    }

    /// <summary>Every data row in file order; malformed rows carry their problem instead of values.</summary>
    public IEnumerable<RecordedRow> ReadRows()
    {
        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        reader.ReadLine();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return ParseRow(line, lineNumber);
        }
    }

    private RecordedRow ParseRow(string line, int lineNumber)
    {
        if (!TrySplit(line, Delimiter, out var cells, out var error))
        {
            return Malformed(error);
        }

        if (cells.Length != Header.Count)
        {
            return Malformed($"{cells.Length} fields, the header has {Header.Count}");
        }

        if (!TryParseTimestamp(cells[TimestampIndex], out var timestamp))
        {
            return Malformed($"'{cells[TimestampIndex]}' in '{Header[TimestampIndex]}' is not a timestamp (ISO 8601 or Unix seconds)");
        }

        var values = new double?[ColumnIndexes.Length];
        for (var i = 0; i < ColumnIndexes.Length; i++)
        {
            var cell = cells[ColumnIndexes[i]];
            if (cell.Length == 0)
            {
                continue;
            }

            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return Malformed($"'{cell}' in '{Columns[i]}' is not a number");
            }

            values[i] = value;
        }

        return new RecordedRow(lineNumber, timestamp, values, null);

        RecordedRow Malformed(string problem) => new(lineNumber, default, [], problem);
    }

    /// <summary>ISO 8601 (UTC unless it has an offset), or Unix time in seconds (milliseconds above 10^11).</summary>
    internal static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            timestamp = default;
            if (double.IsNaN(number) || Math.Abs(number) > 1e14)
            {
                return false;
            }

            var milliseconds = Math.Abs(number) > 1e11 ? number : number * 1000;
            timestamp = DateTimeOffset.UnixEpoch + TimeSpan.FromMilliseconds(milliseconds);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
    }

    /// <summary>Splits a CSV line (RFC 4180 quoting, on one line).</summary>
    internal static bool TrySplit(string line, char delimiter, out string[] cells, out string error)
    {
        var result = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var i = 0;
        error = "";
        while (i <= line.Length)
        {
            if (i == line.Length)
            {
                if (quoted)
                {
                    cells = [];
                    error = "a quoted field is not closed";
                    return false;
                }

                result.Add(cell.ToString().Trim());
                break;
            }

            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                quoted = true;
            }
            else if (c == delimiter)
            {
                result.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }

            i++;
        }

        cells = [.. result];
        return true;
    }
}
