namespace Factory.Plant.Config;

/// <summary>A place in the YAML text, both from 1.</summary>
internal readonly record struct Position(int Line, int Column)
{
    public static readonly Position Start = new(1, 1);
}

/// <summary>
/// Where each node of the document (named by its JSON pointer) stands in the YAML text, so that
/// an error found on the JSON tree, by the schema or by a rule, can name a line and column.
/// </summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Records a node; the first record of a pointer wins (a duplicate key keeps the first value).</summary>
    public void Record(string pointer, Position? key, Position value, bool isContainer) =>
        _entries.TryAdd(pointer, new Entry(key, value, isContainer));

    /// <summary>
    /// Gives the node at <paramref name="target"/> (an alias or a merged key) the positions of the
    /// nodes under <paramref name="source"/>, which is where its content is written.
    /// </summary>
    public void Copy(string source, string target, Position? key, Position value)
    {
        var below = _entries
            .Where(e => e.Key.StartsWith(source + "/", StringComparison.Ordinal))
            .Select(e => (Pointer: target + e.Key[source.Length..], e.Value))
            .ToList();
        var isContainer = _entries.TryGetValue(source, out var root) && root.IsContainer;
        Record(target, key, value, isContainer);
        foreach (var (pointer, entry) in below)
        {
            _entries.TryAdd(pointer, entry);
        }
    }

    /// <summary>
    /// Where to point for an error about <paramref name="pointer"/>: a scalar at its value, a
    /// mapping or list at its key (the <c>limits:</c> line), or <paramref name="atKey"/> always
    /// at the key. A pointer with no node (a missing field) falls back to its nearest parent.
    /// </summary>
    public Position Locate(string pointer, bool atKey = false)
    {
        for (var p = pointer; ; p = PointerText.Parent(p))
        {
            if (_entries.TryGetValue(p, out var entry))
            {
                return (atKey || entry.IsContainer) && entry.Key is { } key ? key : entry.Value;
            }

            if (p.Length == 0)
            {
                return Position.Start;
            }
        }
    }

    private readonly record struct Entry(Position? Key, Position Value, bool IsContainer);
}

/// <summary>JSON pointers (RFC 6901) as text: the paths errors name.</summary>
internal static class PointerText
{
    public static string Append(string parent, string key) =>
        parent + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string parent, int index) => parent + "/" + index;

    public static string Parent(string pointer) =>
        pointer.Length == 0 ? "" : pointer[..pointer.LastIndexOf('/')];

    public static IReadOnlyList<string> Segments(string pointer) =>
        pointer.Length == 0
            ? []
            : [.. pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    /// <summary>The pointer as shown to people: the document itself is "/".</summary>
    public static string Display(string pointer) => pointer.Length == 0 ? "/" : pointer;
}
