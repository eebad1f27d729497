using System.Collections.Frozen;

namespace Factory.OpcUa.Encoding;

/// <summary>
/// The structures a decoder can turn into objects, by the NodeId of their binary encoding. A
/// structure not listed stays as raw bytes in its <see cref="ExtensionObject"/>.
/// </summary>
public sealed class EncodeableTypes
{
    private readonly FrozenDictionary<NodeId, Func<BinaryDecoder, IEncodeable>> _decoders;

    private EncodeableTypes(FrozenDictionary<NodeId, Func<BinaryDecoder, IEncodeable>> decoders) => _decoders = decoders;

    /// <summary>An empty table: every structure stays as bytes.</summary>
    public static EncodeableTypes Empty { get; } = new(FrozenDictionary<NodeId, Func<BinaryDecoder, IEncodeable>>.Empty);

    public int Count => _decoders.Count;

    public bool TryGetDecoder(NodeId encodingId, out Func<BinaryDecoder, IEncodeable> decode) =>
        _decoders.TryGetValue(encodingId, out decode!);

    public bool Contains(NodeId encodingId) => _decoders.ContainsKey(encodingId);

    /// <summary>A new table with <typeparamref name="T"/> added.</summary>
    public EncodeableTypes With<T>()
        where T : IEncodeable<T> => With(T.EncodingId, static d => T.Decode(d));

    public EncodeableTypes With(NodeId encodingId, Func<BinaryDecoder, IEncodeable> decode)
    {
        var all = new Dictionary<NodeId, Func<BinaryDecoder, IEncodeable>>(_decoders) { [encodingId] = decode };
        return new EncodeableTypes(all.ToFrozenDictionary());
    }

    /// <summary>A table of <paramref name="entries"/>; used to build the stack's own table once.</summary>
    public static EncodeableTypes Of(IEnumerable<KeyValuePair<NodeId, Func<BinaryDecoder, IEncodeable>>> entries) =>
        new(entries.ToFrozenDictionary());
}
