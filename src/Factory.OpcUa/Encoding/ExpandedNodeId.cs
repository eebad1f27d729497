using System.Globalization;

namespace Factory.OpcUa.Encoding;

/// <summary>
/// A NodeId that may name its namespace by URI instead of index and may live on another server
/// (OPC 10000-4, 7.16; encoding OPC 10000-6, 5.2.2.10).
/// </summary>
public readonly record struct ExpandedNodeId(NodeId NodeId, string? NamespaceUri = null, uint ServerIndex = 0)
{
    public static ExpandedNodeId Null => default;

    public bool IsNull => NodeId.IsNull && NamespaceUri is null && ServerIndex == 0;

    /// <summary>True when the id can be used as a local NodeId without a namespace table look-up.</summary>
    public bool IsLocal => NamespaceUri is null && ServerIndex == 0;

    public static implicit operator ExpandedNodeId(NodeId nodeId) => new(nodeId);

    public static implicit operator ExpandedNodeId(uint value) => new(new NodeId(value));

    public override string ToString()
    {
        var text = NodeId.ToString();
        if (NamespaceUri is not null)
        {
            // With a URI the index is 0 on the wire; the text form replaces "ns=" with "nsu=".
            var withoutNs = NodeId.NamespaceIndex == 0 ? text : text[(text.IndexOf(';', StringComparison.Ordinal) + 1)..];
            text = $"nsu={NamespaceUri};{withoutNs}";
        }

        return ServerIndex == 0 ? text : $"svr={ServerIndex.ToString(CultureInfo.InvariantCulture)};{text}";
    }
}
