namespace Factory.OpcUa.Encoding;

/// <summary>How the body of an <see cref="ExtensionObject"/> is encoded (OPC 10000-6, 5.2.2.15).</summary>
public enum ExtensionObjectEncoding : byte
{
    None = 0,
    Binary = 1,
    Xml = 2,
}

/// <summary>
/// A structure carried with the id of its encoding (OPC 10000-6, 5.2.2.15). The body is a decoded
/// <see cref="IEncodeable"/> when the decoder knows the type, else the raw bytes (or XML text),
/// so that a structure this stack does not know passes through unchanged.
/// </summary>
public readonly struct ExtensionObject : IEquatable<ExtensionObject>
{
    public ExtensionObject(IEncodeable body)
    {
        ArgumentNullException.ThrowIfNull(body);
        TypeId = body.BinaryEncodingId;
        Encoding = ExtensionObjectEncoding.Binary;
        Body = body;
    }

    public ExtensionObject(NodeId typeId, byte[] binaryBody)
    {
        ArgumentNullException.ThrowIfNull(binaryBody);
        TypeId = typeId;
        Encoding = ExtensionObjectEncoding.Binary;
        Body = binaryBody;
    }

    public ExtensionObject(NodeId typeId, XmlElement xmlBody)
    {
        TypeId = typeId;
        Encoding = ExtensionObjectEncoding.Xml;
        Body = xmlBody;
    }

    /// <summary>An extension object with a type id and no body.</summary>
    public ExtensionObject(NodeId typeId)
    {
        TypeId = typeId;
        Encoding = ExtensionObjectEncoding.None;
        Body = null;
    }

    public static ExtensionObject Null => default;

    /// <summary>The NodeId of the encoding (the DataTypeEncoding node), not of the data type.</summary>
    public NodeId TypeId { get; }
    public ExtensionObjectEncoding Encoding { get; }

    /// <summary>An <see cref="IEncodeable"/>, a byte array, an <see cref="XmlElement"/>, or null.</summary>
    public object? Body { get; }

    public bool IsNull => TypeId.IsNull && Body is null;

    /// <summary>The decoded body if it is a <typeparamref name="T"/>.</summary>
    public bool TryGetBody<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? body)
        where T : class, IEncodeable
    {
        body = Body as T;
        return body is not null;
    }

    public static bool operator ==(ExtensionObject left, ExtensionObject right) => left.Equals(right);
    public static bool operator !=(ExtensionObject left, ExtensionObject right) => !left.Equals(right);

    public bool Equals(ExtensionObject other) =>
        TypeId == other.TypeId && Encoding == other.Encoding && VariantComparer.BodiesEqual(Body, other.Body);

    public override bool Equals(object? obj) => obj is ExtensionObject other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(TypeId, Encoding);

    public override string ToString() => Body switch
    {
        null => $"ExtensionObject({TypeId})",
        byte[] bytes => $"ExtensionObject({TypeId}, {bytes.Length} bytes)",
        _ => Body.ToString() ?? "",
    };
}
