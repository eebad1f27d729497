namespace Factory.OpcUa.Encoding;

/// <summary>
/// A structure with a binary encoding (OPC 10000-6, 5.2.6): its fields written in order, no
/// field names, no padding.
/// </summary>
public interface IEncodeable
{
    /// <summary>The NodeId of the type's DefaultBinary encoding, sent before the body.</summary>
    NodeId BinaryEncodingId { get; }

    void Encode(BinaryEncoder encoder);
}

/// <summary>An <see cref="IEncodeable"/> that knows how to read itself.</summary>
public interface IEncodeable<TSelf> : IEncodeable
    where TSelf : IEncodeable<TSelf>
{
    static abstract NodeId EncodingId { get; }

    static abstract TSelf Decode(BinaryDecoder decoder);
}
