using System.Globalization;

namespace Factory.OpcUa.Encoding;

/// <summary>The kind of identifier a <see cref="NodeId"/> carries (OPC 10000-3, 8.2.3).</summary>
public enum IdType : byte
{
    Numeric = 0,
    String = 1,
    Guid = 2,
    Opaque = 3,
}

/// <summary>
/// Identifies a node in a server's address space (OPC 10000-3, 8.2): a namespace index and a
/// numeric, string, GUID or opaque identifier. The text form is that of OPC 10000-6, 5.3.1.10:
/// <c>ns=2;s=Line1.Pump3</c>, <c>i=85</c>, <c>g=...</c>, <c>b=base64</c>.
/// </summary>
public readonly struct NodeId : IEquatable<NodeId>
{
    private readonly object? _identifier;
    private readonly uint _numeric;

    public NodeId(uint value, ushort namespaceIndex = 0)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Numeric;
        _numeric = value;
        _identifier = null;
    }

    public NodeId(string value, ushort namespaceIndex)
    {
        ArgumentNullException.ThrowIfNull(value);
        NamespaceIndex = namespaceIndex;
        IdType = IdType.String;
        _numeric = 0;
        _identifier = value;
    }

    public NodeId(Guid value, ushort namespaceIndex)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Guid;
        _numeric = 0;
        _identifier = value;
    }

    public NodeId(byte[] value, ushort namespaceIndex)
    {
        ArgumentNullException.ThrowIfNull(value);
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Opaque;
        _numeric = 0;
        _identifier = value;
    }

    /// <summary>The null NodeId: numeric 0 in namespace 0.</summary>
    public static NodeId Null => default;

    public ushort NamespaceIndex { get; }
    public IdType IdType { get; }

    public bool IsNull => IdType switch
    {
        IdType.Numeric => _numeric == 0 && NamespaceIndex == 0,
        IdType.String => NamespaceIndex == 0 && ((string)_identifier!).Length == 0,
        IdType.Guid => NamespaceIndex == 0 && (Guid)_identifier! == Guid.Empty,
        _ => NamespaceIndex == 0 && ((byte[])_identifier!).Length == 0,
    };

    public uint NumericIdentifier => IdType == IdType.Numeric ? _numeric : throw WrongType(IdType.Numeric);
    public string StringIdentifier => IdType == IdType.String ? (string)_identifier! : throw WrongType(IdType.String);
    public Guid GuidIdentifier => IdType == IdType.Guid ? (Guid)_identifier! : throw WrongType(IdType.Guid);
    public byte[] OpaqueIdentifier => IdType == IdType.Opaque ? (byte[])_identifier! : throw WrongType(IdType.Opaque);

    /// <summary>The identifier as an object: a boxed uint, a string, a Guid or a byte array.</summary>
    public object Identifier => IdType == IdType.Numeric ? _numeric : _identifier!;

    public static implicit operator NodeId(uint value) => new(value);

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);
    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public bool Equals(NodeId other)
    {
        if (NamespaceIndex != other.NamespaceIndex || IdType != other.IdType)
        {
            return IsNull && other.IsNull;
        }

        return IdType switch
        {
            IdType.Numeric => _numeric == other._numeric,
            IdType.String => string.Equals((string)_identifier!, (string)other._identifier!, StringComparison.Ordinal),
            IdType.Guid => (Guid)_identifier! == (Guid)other._identifier!,
            _ => ((byte[])_identifier!).AsSpan().SequenceEqual((byte[])other._identifier!),
        };
    }

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode()
    {
        if (IsNull)
        {
            return 0;
        }

        return IdType switch
        {
            IdType.Numeric => HashCode.Combine(NamespaceIndex, _numeric),
            IdType.String => HashCode.Combine(NamespaceIndex, StringComparer.Ordinal.GetHashCode((string)_identifier!)),
            IdType.Guid => HashCode.Combine(NamespaceIndex, (Guid)_identifier!),
            _ => HashOpaque(NamespaceIndex, (byte[])_identifier!),
        };
    }

    public override string ToString()
    {
        var prefix = NamespaceIndex == 0 ? "" : $"ns={NamespaceIndex.ToString(CultureInfo.InvariantCulture)};";
        return IdType switch
        {
            IdType.Numeric => $"{prefix}i={_numeric.ToString(CultureInfo.InvariantCulture)}",
            IdType.String => $"{prefix}s={(string)_identifier!}",
            IdType.Guid => $"{prefix}g={(Guid)_identifier!:D}",
            _ => $"{prefix}b={Convert.ToBase64String((byte[])_identifier!)}",
        };
    }

    /// <summary>Parses the text form of OPC 10000-6, 5.3.1.10.</summary>
    /// <exception cref="FormatException">The text is not a NodeId; the message says why.</exception>
    public static NodeId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException($"'{text}' is not a NodeId: {error}");

    public static bool TryParse(string? text, out NodeId nodeId) => TryParse(text, out nodeId, out _);

    public static bool TryParse(string? text, out NodeId nodeId, out string error)
    {
        nodeId = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "it is empty";
            return false;
        }

        ushort ns = 0;
        var rest = text.AsSpan().Trim();
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semicolon = rest.IndexOf(';');
            if (semicolon < 0 || !ushort.TryParse(rest[3..semicolon], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                error = "the namespace index must be a number from 0 to 65535 followed by ';'";
                return false;
            }

            rest = rest[(semicolon + 1)..];
        }

        if (rest.Length < 2 || rest[1] != '=')
        {
            error = "expected i=, s=, g= or b= after the namespace";
            return false;
        }

        var value = rest[2..];
        switch (rest[0])
        {
            case 'i':
                if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
                {
                    error = "a numeric identifier must be a number from 0 to 4294967295";
                    return false;
                }

                nodeId = new NodeId(numeric, ns);
                break;
            case 's':
                nodeId = new NodeId(value.ToString(), ns);
                break;
            case 'g':
                if (!Guid.TryParse(value, out var guid))
                {
                    error = "a GUID identifier must look like 72962b91-fa75-4ae6-8d28-b404dc7daf63";
                    return false;
                }

                nodeId = new NodeId(guid, ns);
                break;
            case 'b':
                var bytes = new byte[value.Length];
                if (!Convert.TryFromBase64Chars(value, bytes, out var written))
                {
                    error = "an opaque identifier must be base64";
                    return false;
                }

                nodeId = new NodeId(bytes[..written], ns);
                break;
            default:
                error = $"unknown identifier type '{rest[0]}' (expected i, s, g or b)";
                return false;
        }

        error = "";
        return true;
    }

    private static int HashOpaque(ushort ns, byte[] bytes)
    {
        var hash = new HashCode();
        hash.Add(ns);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    private InvalidOperationException WrongType(IdType wanted) =>
        new($"NodeId {this} has a {IdType} identifier, not a {wanted} one.");
}
