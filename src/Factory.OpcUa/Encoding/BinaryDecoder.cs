using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Factory.OpcUa.Encoding;

/// <summary>
/// Reads the OPC UA binary encoding (OPC 10000-6, 5.2) from a buffer. Every read is bounds
/// checked and every length prefix is checked against <see cref="EncodingLimits"/> and against
/// the bytes left before anything is allocated; any violation throws a
/// <see cref="DecodingException"/> and nothing else.
/// </summary>
public sealed class BinaryDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _buffer;
    private readonly int _start;
    private readonly EncodingLimits _limits;
    private readonly EncodeableTypes _types;
    private int _position;
    private int _end;
    private int _depth;

    public BinaryDecoder(ReadOnlyMemory<byte> buffer, EncodeableTypes? types = null, EncodingLimits? limits = null)
    {
        if (!MemoryMarshal.TryGetArray(buffer, out var segment))
        {
            segment = new ArraySegment<byte>(buffer.ToArray());
        }

        _buffer = segment.Array!;
        _start = segment.Offset;
        _position = segment.Offset;
        _end = segment.Offset + segment.Count;
        _types = types ?? EncodeableTypes.Empty;
        _limits = limits ?? EncodingLimits.Default;
    }

    public BinaryDecoder(byte[] buffer, EncodeableTypes? types = null, EncodingLimits? limits = null)
        : this(buffer.AsMemory(), types, limits) { }

    /// <summary>Bytes read so far.</summary>
    public int Position => _position - _start;

    /// <summary>Bytes left to read.</summary>
    public int Remaining => _end - _position;

    public EncodeableTypes Types => _types;
    public EncodingLimits Limits => _limits;

    public bool ReadBoolean() => ReadByte() != 0;

    public sbyte ReadSByte() => unchecked((sbyte)ReadByte());

    public byte ReadByte()
    {
        Need(1);
        return _buffer[_position++];
    }

    public short ReadInt16()
    {
        var value = BinaryPrimitives.ReadInt16LittleEndian(Take(2));
        return value;
    }

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public string? ReadString()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            return null;
        }

        if (length > _limits.MaxStringLength)
        {
            throw Error(StatusCodes.BadEncodingLimitsExceeded, $"a String of {length} bytes exceeds the limit of {_limits.MaxStringLength}");
        }

        var bytes = Take(length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(StatusCodes.BadDecodingError, "a String is not valid UTF-8");
        }
    }

    public DateTime ReadDateTime() => UaDateTime.FromWire(ReadInt64());

    public Guid ReadGuid() => new(Take(16));

    public byte[]? ReadByteString()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            return null;
        }

        if (length > _limits.MaxByteStringLength)
        {
            throw Error(StatusCodes.BadEncodingLimitsExceeded, $"a ByteString of {length} bytes exceeds the limit of {_limits.MaxByteStringLength}");
        }

        return Take(length).ToArray();
    }

    /// <summary>Raw bytes with no length prefix.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public XmlElement ReadXmlElement() => new(ReadString());

    public StatusCode ReadStatusCode() => new(ReadUInt32());

    public NodeId ReadNodeId() => ReadNodeIdBody(ReadByte());

    public ExpandedNodeId ReadExpandedNodeId()
    {
        var encoding = ReadByte();
        var nodeId = ReadNodeIdBody((byte)(encoding & 0x3F));
        string? namespaceUri = null;
        uint serverIndex = 0;
        if ((encoding & 0x80) != 0)
        {
            namespaceUri = ReadString();
        }

        if ((encoding & 0x40) != 0)
        {
            serverIndex = ReadUInt32();
        }

        return new ExpandedNodeId(nodeId, namespaceUri, serverIndex);
    }

    public QualifiedName ReadQualifiedName()
    {
        var ns = ReadUInt16();
        return new QualifiedName(ReadString(), ns);
    }

    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        if ((mask & ~0x03) != 0)
        {
            throw Error(StatusCodes.BadDecodingError, $"LocalizedText mask 0x{mask:X2} has undefined bits");
        }

        var locale = (mask & 0x01) != 0 ? ReadString() : null;
        var text = (mask & 0x02) != 0 ? ReadString() : null;
        return locale is null && text is null ? LocalizedText.Null : new LocalizedText(text, locale);
    }

    public ExtensionObject ReadExtensionObject()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        switch (encoding)
        {
            case 0:
                // The type id is kept as sent, even a null one in a string or other form, so that
                // the object reads the same whichever way "no body" was encoded and re-encodes as sent.
                return new ExtensionObject(typeId);
            case 1:
                var length = ReadInt32();
                if (length < 0)
                {
                    return new ExtensionObject(typeId);
                }

                // The body is a ByteString on the wire (5.2.2.15), so its limit applies whether
                // or not the type is known, and before the length is compared with what is left.
                if (length > _limits.MaxByteStringLength)
                {
                    throw Error(StatusCodes.BadEncodingLimitsExceeded, $"an ExtensionObject body of {length} bytes exceeds the limit of {_limits.MaxByteStringLength}");
                }

                if (length > Remaining)
                {
                    throw Error(StatusCodes.BadDecodingError, $"an ExtensionObject body of {length} bytes runs past the end of the message");
                }

                if (_types.TryGetDecoder(typeId, out var decode))
                {
                    return new ExtensionObject(DecodeBody(decode, length));
                }

                return new ExtensionObject(typeId, Take(length).ToArray());
            case 2:
                return new ExtensionObject(typeId, ReadXmlElement());
            default:
                throw Error(StatusCodes.BadDecodingError, $"ExtensionObject encoding {encoding} is not 0, 1 or 2");
        }
    }

    /// <summary>
    /// A message body: the encoding id of a structure, then the structure. The type must be one
    /// this decoder knows.
    /// </summary>
    public IEncodeable ReadMessage()
    {
        var typeId = ReadNodeId();
        if (!_types.TryGetDecoder(typeId, out var decode))
        {
            throw Error(StatusCodes.BadDecodingError, $"the message type {typeId} is not known");
        }

        return decode(this);
    }

    public DataValue ReadDataValue()
    {
        var mask = ReadByte();
        if ((mask & ~0x3F) != 0)
        {
            throw Error(StatusCodes.BadDecodingError, $"DataValue mask 0x{mask:X2} has undefined bits");
        }

        var value = (mask & 0x01) != 0 ? ReadVariant() : Variant.Null;
        var status = (mask & 0x02) != 0 ? ReadStatusCode() : StatusCode.Good;
        var sourceTimestamp = (mask & 0x04) != 0 ? ReadDateTime() : DateTime.MinValue;
        var sourcePicoseconds = (mask & 0x10) != 0 ? ReadUInt16() : (ushort)0;
        var serverTimestamp = (mask & 0x08) != 0 ? ReadDateTime() : DateTime.MinValue;
        var serverPicoseconds = (mask & 0x20) != 0 ? ReadUInt16() : (ushort)0;
        return new DataValue(value, status, sourceTimestamp, serverTimestamp, sourcePicoseconds, serverPicoseconds);
    }

    public Variant ReadVariant()
    {
        var encoding = ReadByte();
        var typeId = encoding & 0x3F;
        if (typeId > 31)
        {
            throw Error(StatusCodes.BadDecodingError, $"Variant type id {typeId} is not a built-in type");
        }

        // Ids 26 to 31 are reserved for future built-in types; decoders shall read their value
        // as a ByteString (or an array of them) and pass it on (5.2.2.16).
        var type = typeId > (int)BuiltInType.DiagnosticInfo ? BuiltInType.ByteString : (BuiltInType)typeId;
        var isArray = (encoding & 0x80) != 0;
        var hasDimensions = (encoding & 0x40) != 0;
        if (!isArray)
        {
            if (hasDimensions)
            {
                throw Error(StatusCodes.BadDecodingError, "a scalar Variant has array dimensions");
            }

            if (type == BuiltInType.Variant)
            {
                throw Error(StatusCodes.BadDecodingError, "a Variant cannot contain a scalar Variant");
            }

            return ReadScalar(type);
        }

        if (type == BuiltInType.Null)
        {
            throw Error(StatusCodes.BadDecodingError, "a Variant array has no element type");
        }

        Enter();
        try
        {
            var elements = ReadArrayElements(type);
            if (elements is null)
            {
                // A null array still has a type; an empty array is its nearest value.
                elements = Array.CreateInstance(Variant.ElementTypeOf(type), 0);
            }

            if (!hasDimensions)
            {
                return Variant.FromArray(type, elements);
            }

            var dimensions = ReadInt32Array() ?? [];
            long product = dimensions.Length == 0 ? 0 : 1;
            foreach (var dimension in dimensions)
            {
                if (dimension < 0)
                {
                    throw Error(StatusCodes.BadDecodingError, $"a matrix dimension is negative ({dimension})");
                }

                // Saturate rather than stop early: a zero dimension further on still makes the
                // product 0, and a matrix with a zero dimension has no elements (5.2.2.16).
                product = Math.Min(product * dimension, (long)int.MaxValue + 1);
            }

            if (product != elements.Length)
            {
                throw Error(StatusCodes.BadDecodingError, $"matrix dimensions [{string.Join(",", dimensions)}] do not match its {elements.Length} elements");
            }

            return Variant.FromMatrix(type, elements, dimensions);
        }
        finally
        {
            _depth--;
        }
    }

    public DiagnosticInfo? ReadDiagnosticInfo()
    {
        var mask = ReadByte();
        if (mask == 0)
        {
            return null;
        }

        if ((mask & 0x80) != 0)
        {
            throw Error(StatusCodes.BadDecodingError, $"DiagnosticInfo mask 0x{mask:X2} has undefined bits");
        }

        Enter();
        try
        {
            var symbolicId = (mask & 0x01) != 0 ? ReadInt32() : -1;
            var namespaceUri = (mask & 0x02) != 0 ? ReadInt32() : -1;
            var locale = (mask & 0x08) != 0 ? ReadInt32() : -1;
            var localizedText = (mask & 0x04) != 0 ? ReadInt32() : -1;
            var additionalInfo = (mask & 0x10) != 0 ? ReadString() : null;
            StatusCode? innerStatus = (mask & 0x20) != 0 ? ReadStatusCode() : null;
            var inner = (mask & 0x40) != 0 ? ReadDiagnosticInfo() ?? new DiagnosticInfo() : null;
            return new DiagnosticInfo(symbolicId, namespaceUri, locale, localizedText, additionalInfo, innerStatus, inner);
        }
        finally
        {
            _depth--;
        }
    }

    public TEnum ReadEnum<TEnum>()
        where TEnum : struct, Enum
    {
        if (Unsafe.SizeOf<TEnum>() != 4)
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name} is not 32 bits wide.");
        }

        var value = ReadInt32();
        return Unsafe.As<int, TEnum>(ref value);
    }

    public T ReadEncodeable<T>()
        where T : IEncodeable<T>
    {
        Enter();
        try
        {
            return T.Decode(this);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Int32 count (negative for null), then the elements (5.2.5).</summary>
    public T[]? ReadArray<T>(Func<BinaryDecoder, T> readElement)
    {
        var count = ReadArrayLength();
        if (count < 0)
        {
            return null;
        }

        if (count == 0)
        {
            return [];
        }

        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = readElement(this);
        }

        return values;
    }

    public T[]? ReadEncodeableArray<T>()
        where T : IEncodeable<T>
    {
        var count = ReadArrayLength();
        if (count < 0)
        {
            return null;
        }

        Enter();
        try
        {
            var values = new T[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = T.Decode(this);
            }

            return values;
        }
        finally
        {
            _depth--;
        }
    }

    public string?[]? ReadStringArray() => ReadArray(static d => d.ReadString());
    public uint[]? ReadUInt32Array() => ReadPrimitiveArray<uint>(4);
    public int[]? ReadInt32Array() => ReadPrimitiveArray<int>(4);
    public StatusCode[]? ReadStatusCodeArray() => ReadArray(static d => d.ReadStatusCode());
    public DiagnosticInfo?[]? ReadDiagnosticInfoArray() => ReadArray(static d => d.ReadDiagnosticInfo());
    public NodeId[]? ReadNodeIdArray() => ReadArray(static d => d.ReadNodeId());
    public DataValue[]? ReadDataValueArray() => ReadArray(static d => d.ReadDataValue());
    public Variant[]? ReadVariantArray() => ReadArray(static d => d.ReadVariant());
    public ExtensionObject[]? ReadExtensionObjectArray() => ReadArray(static d => d.ReadExtensionObject());
    public LocalizedText?[]? ReadLocalizedTextArray() => ReadArray(static d => d.ReadLocalizedText());
    public QualifiedName[]? ReadQualifiedNameArray() => ReadArray(static d => d.ReadQualifiedName());
    public byte[]?[]? ReadByteStringArray() => ReadArray(static d => d.ReadByteString());
    public ExpandedNodeId[]? ReadExpandedNodeIdArray() => ReadArray(static d => d.ReadExpandedNodeId());
    public double[]? ReadDoubleArray() => ReadPrimitiveArray<double>(8);
    public bool[]? ReadBooleanArray() => ReadArray(static d => d.ReadBoolean());
    public byte[]? ReadByteArray() => ReadPrimitiveArray<byte>(1);
    public Guid[]? ReadGuidArray() => ReadArray(static d => d.ReadGuid());
    public DateTime[]? ReadDateTimeArray() => ReadArray(static d => d.ReadDateTime());

    private Variant ReadScalar(BuiltInType type) => type switch
    {
        BuiltInType.Null => Variant.Null,
        BuiltInType.Boolean => new Variant(ReadBoolean()),
        BuiltInType.SByte => new Variant(ReadSByte()),
        BuiltInType.Byte => new Variant(ReadByte()),
        BuiltInType.Int16 => new Variant(ReadInt16()),
        BuiltInType.UInt16 => new Variant(ReadUInt16()),
        BuiltInType.Int32 => new Variant(ReadInt32()),
        BuiltInType.UInt32 => new Variant(ReadUInt32()),
        BuiltInType.Int64 => new Variant(ReadInt64()),
        BuiltInType.UInt64 => new Variant(ReadUInt64()),
        BuiltInType.Float => new Variant(ReadFloat()),
        BuiltInType.Double => new Variant(ReadDouble()),
        BuiltInType.String => new Variant(ReadString()),
        BuiltInType.DateTime => new Variant(ReadDateTime()),
        BuiltInType.Guid => new Variant(ReadGuid()),
        BuiltInType.ByteString => new Variant(ReadByteString()),
        BuiltInType.XmlElement => new Variant(ReadXmlElement()),
        BuiltInType.NodeId => new Variant(ReadNodeId()),
        BuiltInType.ExpandedNodeId => new Variant(ReadExpandedNodeId()),
        BuiltInType.StatusCode => new Variant(ReadStatusCode()),
        BuiltInType.QualifiedName => new Variant(ReadQualifiedName()),
        BuiltInType.LocalizedText => new Variant(ReadLocalizedText()),
        BuiltInType.ExtensionObject => new Variant(ReadNested(static d => d.ReadExtensionObject())),
        BuiltInType.DataValue => new Variant(ReadNested(static d => d.ReadDataValue())),
        _ => new Variant(ReadDiagnosticInfo()),
    };

    private Array? ReadArrayElements(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => ReadBooleanArray(),
        BuiltInType.SByte => ReadArray(static d => d.ReadSByte()),
        BuiltInType.Byte => ReadByteArray(),
        BuiltInType.Int16 => ReadPrimitiveArray<short>(2),
        BuiltInType.UInt16 => ReadPrimitiveArray<ushort>(2),
        BuiltInType.Int32 => ReadInt32Array(),
        BuiltInType.UInt32 => ReadUInt32Array(),
        BuiltInType.Int64 => ReadPrimitiveArray<long>(8),
        BuiltInType.UInt64 => ReadPrimitiveArray<ulong>(8),
        BuiltInType.Float => ReadPrimitiveArray<float>(4),
        BuiltInType.Double => ReadDoubleArray(),
        BuiltInType.String => ReadStringArray(),
        BuiltInType.DateTime => ReadDateTimeArray(),
        BuiltInType.Guid => ReadGuidArray(),
        BuiltInType.ByteString => ReadByteStringArray(),
        BuiltInType.XmlElement => ReadArray(static d => d.ReadXmlElement()),
        BuiltInType.NodeId => ReadNodeIdArray(),
        BuiltInType.ExpandedNodeId => ReadExpandedNodeIdArray(),
        BuiltInType.StatusCode => ReadStatusCodeArray(),
        BuiltInType.QualifiedName => ReadQualifiedNameArray(),
        BuiltInType.LocalizedText => ReadLocalizedTextArray(),
        BuiltInType.ExtensionObject => ReadExtensionObjectArray(),
        BuiltInType.DataValue => ReadDataValueArray(),
        BuiltInType.Variant => ReadVariantArray(),
        _ => ReadDiagnosticInfoArray(),
    };

    private T ReadNested<T>(Func<BinaryDecoder, T> read)
    {
        Enter();
        try
        {
            return read(this);
        }
        finally
        {
            _depth--;
        }
    }

    private IEncodeable DecodeBody(Func<BinaryDecoder, IEncodeable> decode, int length)
    {
        var outerEnd = _end;
        var bodyEnd = _position + length;
        _end = bodyEnd;
        Enter();
        try
        {
            var body = decode(this);

            // A newer version of a structure may append fields this stack does not know; skip them.
            _position = bodyEnd;
            return body;
        }
        finally
        {
            _depth--;
            _end = outerEnd;
        }
    }

    private NodeId ReadNodeIdBody(byte encoding)
    {
        switch (encoding)
        {
            case 0x00:
                return new NodeId(ReadByte());
            case 0x01:
                var ns = ReadByte();
                return new NodeId(ReadUInt16(), ns);
            case 0x02:
                var ns2 = ReadUInt16();
                return new NodeId(ReadUInt32(), ns2);
            case 0x03:
                var ns3 = ReadUInt16();
                return new NodeId(ReadString() ?? "", ns3);
            case 0x04:
                var ns4 = ReadUInt16();
                return new NodeId(ReadGuid(), ns4);
            case 0x05:
                var ns5 = ReadUInt16();
                return new NodeId(ReadByteString() ?? [], ns5);
            default:
                throw Error(StatusCodes.BadDecodingError, $"NodeId encoding 0x{encoding:X2} is not defined");
        }
    }

    private T[]? ReadPrimitiveArray<T>(int size)
        where T : unmanaged
    {
        var count = ReadArrayLength();
        if (count < 0)
        {
            return null;
        }

        var bytes = Take(checked(count * size));
        var values = new T[count];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        throw new PlatformNotSupportedException("Factory.OpcUa runs on little-endian machines only.");
    }

    private int ReadArrayLength()
    {
        var count = ReadInt32();
        if (count < 0)
        {
            return -1;
        }

        if (count > _limits.MaxArrayLength)
        {
            throw Error(StatusCodes.BadEncodingLimitsExceeded, $"an array of {count} elements exceeds the limit of {_limits.MaxArrayLength}");
        }

        // Every element takes at least one byte, so a count beyond the bytes left is a lie
        // that must not make us allocate.
        if (count > Remaining)
        {
            throw Error(StatusCodes.BadDecodingError, $"an array of {count} elements cannot fit in the {Remaining} bytes left");
        }

        return count;
    }

    private void Enter()
    {
        if (++_depth > _limits.MaxNestingDepth)
        {
            _depth--;
            throw Error(StatusCodes.BadEncodingLimitsExceeded, $"nesting deeper than {_limits.MaxNestingDepth} levels");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Need(int count)
    {
        if ((uint)count > (uint)(_end - _position))
        {
            throw EndOfData(count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        Need(count);
        var span = new ReadOnlySpan<byte>(_buffer, _position, count);
        _position += count;
        return span;
    }

    private DecodingException EndOfData(int count) =>
        Error(StatusCodes.BadDecodingError, count < 0 ? $"negative length {count}" : $"{count} bytes needed, {Remaining} left");

    private DecodingException Error(uint code, string message) => new(code, message, Position);
}
