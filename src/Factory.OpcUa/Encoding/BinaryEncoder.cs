using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;


namespace Factory.OpcUa.Encoding;

/// <summary>
/// Writes the OPC UA binary encoding (OPC 10000-6, 5.2) into a growable buffer rented from the
/// shared array pool. Dispose returns the buffer; <see cref="WrittenSpan"/> is valid until then.
/// </summary>
public sealed class BinaryEncoder : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public BinaryEncoder(int initialCapacity = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));

    public int Length => _position;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>Forgets what was written and keeps the buffer for the next message.</summary>
    public void Reset() => _position = 0;

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reserves <paramref name="count"/> bytes to be filled in later (a length, a header).</summary>
    public int Reserve(int count)
    {
        var at = _position;
        GetSpan(count);
        _position += count;
        return at;
    }

    public void PatchUInt32(int position, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    /// <summary>Overwrites bytes already written (or reserved) at <paramref name="position"/>.</summary>
    public void Patch(int position, ReadOnlySpan<byte> value)
    {
        if (position < 0 || position + value.Length > _position)
        {
            throw new ArgumentOutOfRangeException(nameof(position), "Only bytes already written or reserved can be patched.");
        }

        value.CopyTo(_buffer.AsSpan(position));
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteSByte(sbyte value) => WriteByte(unchecked((byte)value));

    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        _position++;
    }

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(GetSpan(2), value);
        _position += 2;
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(GetSpan(2), value);
        _position += 2;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(GetSpan(4), value);
        _position += 4;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _position += 8;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), value);
        _position += 8;
    }

    public void WriteFloat(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(GetSpan(4), value);
        _position += 4;
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(8), value);
        _position += 8;
    }

    /// <summary>Int32 length of the UTF-8 bytes (-1 for null), then the bytes (5.2.2.4).</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = GetSpan(4 + max);
        var written = System.Text.Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        _position += 4 + written;
    }

    public void WriteDateTime(DateTime value) => WriteInt64(UaDateTime.ToWire(value));

    /// <summary>Data1..Data4 little-endian, as <see cref="Guid.TryWriteBytes(Span{byte})"/> lays them out (5.2.2.7).</summary>
    public void WriteGuid(Guid value)
    {
        value.TryWriteBytes(GetSpan(16));
        _position += 16;
    }

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        var span = GetSpan(4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
        value.CopyTo(span[4..]);
        _position += 4 + value.Length;
    }

    public void WriteByteString(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteByteString(value.AsSpan());
    }

    /// <summary>Raw bytes with no length prefix.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(GetSpan(value.Length));
        _position += value.Length;
    }

    public void WriteXmlElement(XmlElement value) => WriteString(value.OuterXml);

    public void WriteStatusCode(StatusCode value) => WriteUInt32(value.Code);

    /// <summary>The most compact of the six NodeId encodings that fits (5.2.2.9).</summary>
    public void WriteNodeId(NodeId value) => WriteNodeId(value, 0);

    private void WriteNodeId(NodeId value, byte flags)
    {
        switch (value.IdType)
        {
            case IdType.Numeric:
                var id = value.NumericIdentifier;
                if (value.NamespaceIndex == 0 && id <= byte.MaxValue)
                {
                    WriteByte((byte)(0x00 | flags));
                    WriteByte((byte)id);
                }
                else if (value.NamespaceIndex <= byte.MaxValue && id <= ushort.MaxValue)
                {
                    WriteByte((byte)(0x01 | flags));
                    WriteByte((byte)value.NamespaceIndex);
                    WriteUInt16((ushort)id);
                }
                else
                {
                    WriteByte((byte)(0x02 | flags));
                    WriteUInt16(value.NamespaceIndex);
                    WriteUInt32(id);
                }

                break;
            case IdType.String:
                WriteByte((byte)(0x03 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteString(value.StringIdentifier);
                break;
            case IdType.Guid:
                WriteByte((byte)(0x04 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteGuid(value.GuidIdentifier);
                break;
            default:
                WriteByte((byte)(0x05 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteByteString(value.OpaqueIdentifier);
                break;
        }
    }

    /// <summary>A NodeId with flags 0x80 (NamespaceUri follows) and 0x40 (ServerIndex follows) (5.2.2.10).</summary>
    public void WriteExpandedNodeId(ExpandedNodeId value)
    {
        byte flags = 0;
        if (value.NamespaceUri is not null)
        {
            flags |= 0x80;
        }

        if (value.ServerIndex != 0)
        {
            flags |= 0x40;
        }

        WriteNodeId(value.NodeId, flags);
        if (value.NamespaceUri is not null)
        {
            WriteString(value.NamespaceUri);
        }

        if (value.ServerIndex != 0)
        {
            WriteUInt32(value.ServerIndex);
        }
    }

    public void WriteQualifiedName(QualifiedName value)
    {
        WriteUInt16(value.NamespaceIndex);
        WriteString(value.Name);
    }

    /// <summary>Mask 0x01 locale, 0x02 text, then those present (5.2.2.14).</summary>
    public void WriteLocalizedText(LocalizedText? value)
    {
        byte mask = 0;
        if (value?.Locale is not null)
        {
            mask |= 0x01;
        }

        if (value?.Text is not null)
        {
            mask |= 0x02;
        }

        WriteByte(mask);
        if ((mask & 0x01) != 0)
        {
            WriteString(value!.Locale);
        }

        if ((mask & 0x02) != 0)
        {
            WriteString(value!.Text);
        }
    }

    /// <summary>TypeId, encoding byte, then an Int32 length and the body (5.2.2.15).</summary>
    public void WriteExtensionObject(ExtensionObject value)
    {
        WriteNodeId(value.TypeId);
        switch (value.Body)
        {
            case null:
                WriteByte((byte)ExtensionObjectEncoding.None);
                break;
            case IEncodeable encodeable:
                WriteByte((byte)ExtensionObjectEncoding.Binary);
                var lengthAt = Reserve(4);
                var start = _position;
                encodeable.Encode(this);
                PatchInt32(lengthAt, _position - start);
                break;
            case byte[] bytes:
                WriteByte((byte)ExtensionObjectEncoding.Binary);
                WriteByteString(bytes);
                break;
            case XmlElement xml:
                WriteByte((byte)ExtensionObjectEncoding.Xml);
                WriteXmlElement(xml);
                break;
            default:
                throw new ServiceResultException(StatusCodes.BadEncodingError, $"An ExtensionObject body of type {value.Body.GetType().Name} cannot be encoded.");
        }
    }

    /// <summary>
    /// A structure as the body of a message or another structure: its encoding id, then its
    /// fields. This is how service requests and responses are sent (OPC 10000-6, 7.1.2).
    /// </summary>
    public void WriteMessage(IEncodeable message)
    {
        WriteNodeId(message.BinaryEncodingId);
        message.Encode(this);
    }

    /// <summary>Mask of present fields, then the fields (5.2.2.17).</summary>
    public void WriteDataValue(DataValue value)
    {
        byte mask = 0;
        if (!value.Value.IsNull)
        {
            mask |= 0x01;
        }

        if (value.StatusCode.Code != 0)
        {
            mask |= 0x02;
        }

        if (value.SourceTimestamp != DateTime.MinValue)
        {
            mask |= 0x04;
        }

        if (value.ServerTimestamp != DateTime.MinValue)
        {
            mask |= 0x08;
        }

        if (value.SourcePicoseconds != 0)
        {
            mask |= 0x10;
        }

        if (value.ServerPicoseconds != 0)
        {
            mask |= 0x20;
        }

        WriteByte(mask);
        if ((mask & 0x01) != 0)
        {
            WriteVariant(value.Value);
        }

        if ((mask & 0x02) != 0)
        {
            WriteStatusCode(value.StatusCode);
        }

        if ((mask & 0x04) != 0)
        {
            WriteDateTime(value.SourceTimestamp);
        }

        if ((mask & 0x10) != 0)
        {
            WriteUInt16(value.SourcePicoseconds);
        }

        if ((mask & 0x08) != 0)
        {
            WriteDateTime(value.ServerTimestamp);
        }

        if ((mask & 0x20) != 0)
        {
            WriteUInt16(value.ServerPicoseconds);
        }
    }

    /// <summary>Encoding byte (type id, 0x80 array, 0x40 dimensions), value(s), dimensions (5.2.2.16).</summary>
    public void WriteVariant(Variant value)
    {
        var type = value.Type;
        switch (value.Rank)
        {
            case VariantRank.Scalar:
                WriteByte((byte)type);
                WriteScalar(value);
                break;
            case VariantRank.Array:
                WriteByte((byte)((byte)type | 0x80));
                WriteArrayElements(type, value.ArrayValue!);
                break;
            default:
                WriteByte((byte)((byte)type | 0xC0));
                WriteArrayElements(type, value.ArrayValue!);
                var dimensions = value.ArrayDimensions!;
                WriteInt32(dimensions.Length);
                foreach (var dimension in dimensions)
                {
                    WriteInt32(dimension);
                }

                break;
        }
    }

    /// <summary>Mask of present fields, then the fields in the order of Table 21 (5.2.2.12).</summary>
    public void WriteDiagnosticInfo(DiagnosticInfo? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        byte mask = 0;
        if (value.SymbolicId >= 0) mask |= 0x01;
        if (value.NamespaceUri >= 0) mask |= 0x02;
        if (value.LocalizedText >= 0) mask |= 0x04;
        if (value.Locale >= 0) mask |= 0x08;
        if (value.AdditionalInfo is not null) mask |= 0x10;
        if (value.InnerStatusCode is not null) mask |= 0x20;
        if (value.InnerDiagnosticInfo is not null) mask |= 0x40;

        WriteByte(mask);
        if ((mask & 0x01) != 0) WriteInt32(value.SymbolicId);
        if ((mask & 0x02) != 0) WriteInt32(value.NamespaceUri);
        if ((mask & 0x08) != 0) WriteInt32(value.Locale);
        if ((mask & 0x04) != 0) WriteInt32(value.LocalizedText);
        if ((mask & 0x10) != 0) WriteString(value.AdditionalInfo);
        if ((mask & 0x20) != 0) WriteStatusCode(value.InnerStatusCode!.Value);
        if ((mask & 0x40) != 0) WriteDiagnosticInfo(value.InnerDiagnosticInfo);
    }

    public void WriteEnum<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        // Every enumeration of OPC 10000-4/-5 is encoded as an Int32 (5.2.4).
        if (Unsafe.SizeOf<TEnum>() != 4)
        {
            throw new ArgumentException($"{typeof(TEnum).Name} is not 32 bits wide.", nameof(value));
        }

        WriteInt32(Unsafe.As<TEnum, int>(ref value));
    }

    public void WriteEncodeable<T>(T value)
        where T : IEncodeable => value.Encode(this);

    /// <summary>Int32 count (-1 for null), then the elements (5.2.5).</summary>
    public void WriteArray<T>(T[]? values, Action<BinaryEncoder, T> writeElement)
    {
        if (values is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(values.Length);
        foreach (var value in values)
        {
            writeElement(this, value);
        }
    }

    public void WriteEncodeableArray<T>(T[]? values)
        where T : IEncodeable
    {
        if (values is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(values.Length);
        foreach (var value in values)
        {
            value.Encode(this);
        }
    }

    public void WriteStringArray(string?[]? values) => WriteArray(values, static (e, v) => e.WriteString(v));
    public void WriteUInt32Array(uint[]? values) => WriteArray(values, static (e, v) => e.WriteUInt32(v));
    public void WriteInt32Array(int[]? values) => WriteArray(values, static (e, v) => e.WriteInt32(v));
    public void WriteStatusCodeArray(StatusCode[]? values) => WriteArray(values, static (e, v) => e.WriteStatusCode(v));
    public void WriteDiagnosticInfoArray(DiagnosticInfo?[]? values) => WriteArray(values, static (e, v) => e.WriteDiagnosticInfo(v));
    public void WriteNodeIdArray(NodeId[]? values) => WriteArray(values, static (e, v) => e.WriteNodeId(v));
    public void WriteDataValueArray(DataValue[]? values) => WriteArray(values, static (e, v) => e.WriteDataValue(v));
    public void WriteVariantArray(Variant[]? values) => WriteArray(values, static (e, v) => e.WriteVariant(v));
    public void WriteExtensionObjectArray(ExtensionObject[]? values) => WriteArray(values, static (e, v) => e.WriteExtensionObject(v));
    public void WriteLocalizedTextArray(LocalizedText?[]? values) => WriteArray(values, static (e, v) => e.WriteLocalizedText(v));
    public void WriteQualifiedNameArray(QualifiedName[]? values) => WriteArray(values, static (e, v) => e.WriteQualifiedName(v));
    public void WriteByteStringArray(byte[]?[]? values) => WriteArray(values, static (e, v) => e.WriteByteString(v));
    public void WriteExpandedNodeIdArray(ExpandedNodeId[]? values) => WriteArray(values, static (e, v) => e.WriteExpandedNodeId(v));
    public void WriteDoubleArray(double[]? values) => WriteArray(values, static (e, v) => e.WriteDouble(v));
    public void WriteBooleanArray(bool[]? values) => WriteArray(values, static (e, v) => e.WriteBoolean(v));
    public void WriteByteArray(byte[]? values) => WriteArray(values, static (e, v) => e.WriteByte(v));
    public void WriteGuidArray(Guid[]? values) => WriteArray(values, static (e, v) => e.WriteGuid(v));
    public void WriteDateTimeArray(DateTime[]? values) => WriteArray(values, static (e, v) => e.WriteDateTime(v));
    public void WriteUInt16Array(ushort[]? values) => WriteArray(values, static (e, v) => e.WriteUInt16(v));
    public void WriteInt16Array(short[]? values) => WriteArray(values, static (e, v) => e.WriteInt16(v));
    public void WriteFloatArray(float[]? values) => WriteArray(values, static (e, v) => e.WriteFloat(v));
    public void WriteInt64Array(long[]? values) => WriteArray(values, static (e, v) => e.WriteInt64(v));
    public void WriteUInt64Array(ulong[]? values) => WriteArray(values, static (e, v) => e.WriteUInt64(v));

    private void WriteScalar(Variant value)
    {
        var bits = value.Bits;
        switch (value.Type)
        {
            case BuiltInType.Null: break;
            case BuiltInType.Boolean: WriteBoolean(bits != 0); break;
            case BuiltInType.SByte: WriteSByte(unchecked((sbyte)bits)); break;
            case BuiltInType.Byte: WriteByte(unchecked((byte)bits)); break;
            case BuiltInType.Int16: WriteInt16(unchecked((short)bits)); break;
            case BuiltInType.UInt16: WriteUInt16(unchecked((ushort)bits)); break;
            case BuiltInType.Int32: WriteInt32(unchecked((int)bits)); break;
            case BuiltInType.UInt32: WriteUInt32(unchecked((uint)bits)); break;
            case BuiltInType.Int64: WriteInt64(unchecked((long)bits)); break;
            case BuiltInType.UInt64: WriteUInt64(bits); break;
            case BuiltInType.Float: WriteUInt32(unchecked((uint)bits)); break;
            case BuiltInType.Double: WriteUInt64(bits); break;
            case BuiltInType.DateTime: WriteDateTime(new DateTime(unchecked((long)bits), DateTimeKind.Utc)); break;
            case BuiltInType.StatusCode: WriteUInt32(unchecked((uint)bits)); break;
            default: WriteReferenceScalar(value.Type, value.Reference); break;
        }
    }

    private void WriteReferenceScalar(BuiltInType type, object? value)
    {
        switch (type)
        {
            case BuiltInType.String: WriteString((string?)value); break;
            case BuiltInType.Guid: WriteGuid((Guid)value!); break;
            case BuiltInType.ByteString: WriteByteString((byte[]?)value); break;
            case BuiltInType.XmlElement: WriteString((string?)value); break;
            case BuiltInType.NodeId: WriteNodeId((NodeId)value!); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId((ExpandedNodeId)value!); break;
            case BuiltInType.QualifiedName: WriteQualifiedName((QualifiedName)value!); break;
            case BuiltInType.LocalizedText: WriteLocalizedText((LocalizedText?)value); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject)value!); break;
            case BuiltInType.DataValue: WriteDataValue((DataValue)value!); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo?)value); break;
            default: throw new ServiceResultException(StatusCodes.BadEncodingError, $"A Variant cannot hold a scalar {type}.");
        }
    }

    private void WriteArrayElements(BuiltInType type, Array values)
    {
        switch (type)
        {
            case BuiltInType.Boolean: WriteBooleanArray((bool[])values); break;
            case BuiltInType.SByte: WriteArray((sbyte[])values, static (e, v) => e.WriteSByte(v)); break;
            case BuiltInType.Byte: WriteByteArray((byte[])values); break;
            case BuiltInType.Int16: WriteInt16Array((short[])values); break;
            case BuiltInType.UInt16: WriteUInt16Array((ushort[])values); break;
            case BuiltInType.Int32: WriteInt32Array((int[])values); break;
            case BuiltInType.UInt32: WriteUInt32Array((uint[])values); break;
            case BuiltInType.Int64: WriteInt64Array((long[])values); break;
            case BuiltInType.UInt64: WriteUInt64Array((ulong[])values); break;
            case BuiltInType.Float: WriteFloatArray((float[])values); break;
            case BuiltInType.Double: WriteDoubleArray((double[])values); break;
            case BuiltInType.String: WriteStringArray((string?[])values); break;
            case BuiltInType.DateTime: WriteDateTimeArray((DateTime[])values); break;
            case BuiltInType.Guid: WriteGuidArray((Guid[])values); break;
            case BuiltInType.ByteString: WriteByteStringArray((byte[]?[])values); break;
            case BuiltInType.XmlElement: WriteArray((XmlElement[])values, static (e, v) => e.WriteXmlElement(v)); break;
            case BuiltInType.NodeId: WriteNodeIdArray((NodeId[])values); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeIdArray((ExpandedNodeId[])values); break;
            case BuiltInType.StatusCode: WriteStatusCodeArray((StatusCode[])values); break;
            case BuiltInType.QualifiedName: WriteQualifiedNameArray((QualifiedName[])values); break;
            case BuiltInType.LocalizedText: WriteLocalizedTextArray((LocalizedText?[])values); break;
            case BuiltInType.ExtensionObject: WriteExtensionObjectArray((ExtensionObject[])values); break;
            case BuiltInType.DataValue: WriteDataValueArray((DataValue[])values); break;
            case BuiltInType.Variant: WriteVariantArray((Variant[])values); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfoArray((DiagnosticInfo?[])values); break;
            default: throw new ServiceResultException(StatusCodes.BadEncodingError, $"A Variant cannot hold an array of {type}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _position < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_position);
    }

    private void Grow(int size)
    {
        var needed = checked(_position + size);
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _position).CopyTo(next);
        var old = _buffer;
        _buffer = next;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
