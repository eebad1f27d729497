namespace Factory.OpcUa.Encoding;

/// <summary>A name qualified by a namespace index (OPC 10000-3, 8.3): the BrowseName of a node.</summary>
public readonly record struct QualifiedName(string? Name, ushort NamespaceIndex = 0)
{
    public static QualifiedName Null => default;

    public bool IsNull => NamespaceIndex == 0 && string.IsNullOrEmpty(Name);

    public override string ToString() => NamespaceIndex == 0 ? Name ?? "" : $"{NamespaceIndex}:{Name}";

    /// <summary>Parses "2:Name" or "Name" (namespace 0).</summary>
    public static QualifiedName Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && ushort.TryParse(text.AsSpan(0, colon), out var ns)
            ? new QualifiedName(text[(colon + 1)..], ns)
            : new QualifiedName(text);
    }
}
