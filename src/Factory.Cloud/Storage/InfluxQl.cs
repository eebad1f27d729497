using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Factory.Cloud.Storage;

/// <summary>Writing InfluxQL safely: every identifier and string literal escaped.</summary>
internal static class InfluxQl
{
    /// <summary>A double-quoted identifier (measurement, tag or field key, database).</summary>
    public static string Identifier(string name) => Quote(name, '"');

    /// <summary>A single-quoted string literal (a tag value compared in WHERE).</summary>
    public static string Literal(string value) => Quote(value, '\'');

    /// <summary>A nanosecond timestamp as InfluxQL compares it with <c>time</c>.</summary>
    public static string Time(long nanoseconds) => nanoseconds.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>"tag" = 'value'</c>.</summary>
    public static string TagEquals(string tag, string value) => $"{Identifier(tag)} = {Literal(value)}";

    private static string Quote(string text, char quote)
    {
        var quoted = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': quoted.Append(@"\\"); break;
                case '\n': quoted.Append(@"\n"); break;
                default:
                    if (c == quote)
                    {
                        quoted.Append('\\');
                    }

                    quoted.Append(c);
                    break;
            }
        }

        return quoted.Append(quote).ToString();
    }
}

/// <summary>A statement's error in an InfluxQL answer.</summary>
internal sealed class InfluxStatementException(string message) : Exception(message);

/// <summary>The answer to one InfluxQL statement: its series.</summary>
internal sealed record InfluxResult(IReadOnlyList<InfluxSeries> Series)
{
    public static IReadOnlyList<InfluxResult> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new InfluxStatementException(error.GetString() ?? "error");
        }

        var results = new List<InfluxResult>();
        foreach (var result in root.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var statementError))
            {
                throw new InfluxStatementException(statementError.GetString() ?? "error");
            }

            if (result.TryGetProperty("partial", out var partial) && partial.ValueKind == JsonValueKind.True)
            {
                // The server's max-row-limit cut the answer short: a silent half answer would be wrong.
                throw new InfluxStatementException("the answer was cut short by the server's [http] max-row-limit; raise it or set it to 0");
            }

            var series = new List<InfluxSeries>();
            if (result.TryGetProperty("series", out var list))
            {
                foreach (var s in list.EnumerateArray())
                {
                    var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (s.TryGetProperty("tags", out var t))
                    {
                        foreach (var tag in t.EnumerateObject())
                        {
                            tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
                        }
                    }

                    var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                    var rows = s.TryGetProperty("values", out var values)
                        ? values.EnumerateArray().Select(v => v.EnumerateArray().Select(e => e.Clone()).ToArray()).ToList()
                        : [];
                    series.Add(new InfluxSeries(s.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty, tags, columns, rows));
                }
            }

            results.Add(new InfluxResult(series));
        }

        return results;
    }
}

/// <summary>One series of an answer: its tags (those grouped by), columns and rows.</summary>
internal sealed record InfluxSeries(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows)
{
    public InfluxRow Row(int index) => new(this, Rows[index]);

    public IEnumerable<InfluxRow> AllRows() => Rows.Select(r => new InfluxRow(this, r));
}

/// <summary>One row, read by column name; a tag grouped by is read from the series.</summary>
internal readonly record struct InfluxRow(InfluxSeries Series, JsonElement[] Values)
{
    public long Time => Values[0].GetInt64();

    public string Tag(string name) =>
        Series.Tags.TryGetValue(name, out var value) ? value : String(name) ?? throw new KeyNotFoundException($"no tag '{name}' in the answer");

    public double Double(string column) => NullableDouble(column) ?? throw Missing(column);

    public double? NullableDouble(string column) => Value(column) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    public long Long(string column) => NullableLong(column) ?? throw Missing(column);

    public long? NullableLong(string column) => Value(column) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;

    public string? String(string column) => Value(column) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public string RequiredString(string column) => String(column) ?? throw Missing(column);

    public bool Bool(string column) => Value(column) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : throw Missing(column);

    private JsonElement? Value(string column)
    {
        for (var i = 0; i < Series.Columns.Count; i++)
        {
            if (Series.Columns[i] == column)
            {
                return Values[i].ValueKind == JsonValueKind.Null ? null : Values[i];
            }
        }

        return null;
    }

    private static KeyNotFoundException Missing(string column) => new($"the field '{column}' is missing from a stored point");
}
