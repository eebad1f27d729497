using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Factory.OpcUa.Encoding;

/// <summary>
/// A value of any built-in type: a scalar, a one-dimensional array, or a matrix
/// (OPC 10000-6, 5.2.2.16). Numbers, booleans, timestamps and status codes are held inline, so a
/// numeric Variant costs no allocation; other values and arrays are held by reference.
/// </summary>
public readonly struct Variant : IEquatable<Variant>
{
    private readonly object? _object;
    private readonly ulong _bits;

    private Variant(BuiltInType type, ulong bits)
    {
        Type = type;
        Rank = VariantRank.Scalar;
        _bits = bits;
        _object = null;
    }

    private Variant(BuiltInType type, VariantRank rank, object? value)
    {
        Type = value is null && rank == VariantRank.Scalar ? NullableScalarType(type) : type;
        Rank = rank;
        _bits = 0;
        _object = value;
    }

    public static Variant Null => default;

    public BuiltInType Type { get; }
    public VariantRank Rank { get; }

    public bool IsNull => Type == BuiltInType.Null;
    public bool IsScalar => Rank == VariantRank.Scalar;
    public bool IsArray => Rank == VariantRank.Array;
    public bool IsMatrix => Rank == VariantRank.Matrix;

    // Scalars held inline.
    public Variant(bool value) : this(BuiltInType.Boolean, value ? 1UL : 0UL) { }
    public Variant(sbyte value) : this(BuiltInType.SByte, unchecked((ulong)value)) { }
    public Variant(byte value) : this(BuiltInType.Byte, value) { }
    public Variant(short value) : this(BuiltInType.Int16, unchecked((ulong)value)) { }
    public Variant(ushort value) : this(BuiltInType.UInt16, value) { }
    public Variant(int value) : this(BuiltInType.Int32, unchecked((ulong)value)) { }
    public Variant(uint value) : this(BuiltInType.UInt32, value) { }
    public Variant(long value) : this(BuiltInType.Int64, unchecked((ulong)value)) { }
    public Variant(ulong value) : this(BuiltInType.UInt64, value) { }
    public Variant(float value) : this(BuiltInType.Float, BitConverter.SingleToUInt32Bits(value)) { }
    public Variant(double value) : this(BuiltInType.Double, BitConverter.DoubleToUInt64Bits(value)) { }
    public Variant(DateTime value) : this(BuiltInType.DateTime, unchecked((ulong)UaDateTime.Normalize(value).Ticks)) { }
    public Variant(StatusCode value) : this(BuiltInType.StatusCode, value.Code) { }

    // Scalars held by reference.
    public Variant(string? value) : this(BuiltInType.String, VariantRank.Scalar, value) { }
    public Variant(Guid value) : this(BuiltInType.Guid, VariantRank.Scalar, value) { }
    public Variant(byte[]? byteString) : this(BuiltInType.ByteString, VariantRank.Scalar, byteString) { }
    public Variant(XmlElement value) : this(BuiltInType.XmlElement, VariantRank.Scalar, value.OuterXml) { }
    public Variant(NodeId value) : this(BuiltInType.NodeId, VariantRank.Scalar, value) { }
    public Variant(ExpandedNodeId value) : this(BuiltInType.ExpandedNodeId, VariantRank.Scalar, value) { }
    public Variant(QualifiedName value) : this(BuiltInType.QualifiedName, VariantRank.Scalar, value) { }
    public Variant(LocalizedText? value) : this(BuiltInType.LocalizedText, VariantRank.Scalar, value) { }
    public Variant(ExtensionObject value) : this(BuiltInType.ExtensionObject, VariantRank.Scalar, value) { }
    public Variant(IEncodeable value) : this(new ExtensionObject(value)) { }
    public Variant(DataValue value) : this(BuiltInType.DataValue, VariantRank.Scalar, value) { }
    public Variant(DiagnosticInfo? value) : this(BuiltInType.DiagnosticInfo, VariantRank.Scalar, value) { }

    // One-dimensional arrays.
    public Variant(bool[] values) : this(BuiltInType.Boolean, VariantRank.Array, values) { }
    public Variant(sbyte[] values) : this(BuiltInType.SByte, VariantRank.Array, values) { }
    public Variant(short[] values) : this(BuiltInType.Int16, VariantRank.Array, values) { }
    public Variant(ushort[] values) : this(BuiltInType.UInt16, VariantRank.Array, values) { }
    public Variant(int[] values) : this(BuiltInType.Int32, VariantRank.Array, values) { }
    public Variant(uint[] values) : this(BuiltInType.UInt32, VariantRank.Array, values) { }
    public Variant(long[] values) : this(BuiltInType.Int64, VariantRank.Array, values) { }
    public Variant(ulong[] values) : this(BuiltInType.UInt64, VariantRank.Array, values) { }
    public Variant(float[] values) : this(BuiltInType.Float, VariantRank.Array, values) { }
    public Variant(double[] values) : this(BuiltInType.Double, VariantRank.Array, values) { }
    public Variant(string?[] values) : this(BuiltInType.String, VariantRank.Array, values) { }
    public Variant(DateTime[] values) : this(BuiltInType.DateTime, VariantRank.Array, values) { }
    public Variant(Guid[] values) : this(BuiltInType.Guid, VariantRank.Array, values) { }
    public Variant(byte[]?[] values) : this(BuiltInType.ByteString, VariantRank.Array, values) { }
    public Variant(XmlElement[] values) : this(BuiltInType.XmlElement, VariantRank.Array, values) { }
    public Variant(NodeId[] values) : this(BuiltInType.NodeId, VariantRank.Array, values) { }
    public Variant(ExpandedNodeId[] values) : this(BuiltInType.ExpandedNodeId, VariantRank.Array, values) { }
    public Variant(StatusCode[] values) : this(BuiltInType.StatusCode, VariantRank.Array, values) { }
    public Variant(QualifiedName[] values) : this(BuiltInType.QualifiedName, VariantRank.Array, values) { }
    public Variant(LocalizedText?[] values) : this(BuiltInType.LocalizedText, VariantRank.Array, values) { }
    public Variant(ExtensionObject[] values) : this(BuiltInType.ExtensionObject, VariantRank.Array, values) { }
    public Variant(DataValue[] values) : this(BuiltInType.DataValue, VariantRank.Array, values) { }
    public Variant(Variant[] values) : this(BuiltInType.Variant, VariantRank.Array, values) { }
    public Variant(DiagnosticInfo?[] values) : this(BuiltInType.DiagnosticInfo, VariantRank.Array, values) { }

    /// <summary>
    /// A one-dimensional array of <paramref name="type"/>. This is the way to make an array of
    /// Byte: a plain byte[] is a ByteString scalar in OPC UA.
    /// </summary>
    public static Variant FromArray(BuiltInType type, Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckElementType(type, values);
        return new Variant(type, VariantRank.Array, values);
    }

    /// <summary>
    /// A matrix of <paramref name="type"/>: the elements flattened with the last dimension varying
    /// fastest (OPC 10000-6, 5.2.2.16), and the length of each dimension.
    /// </summary>
    public static Variant FromMatrix(BuiltInType type, Array elements, int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(elements);
        ArgumentNullException.ThrowIfNull(dimensions);
        CheckElementType(type, elements);
        return new Variant(type, VariantRank.Matrix, new Matrix(elements, dimensions));
    }

    public static implicit operator Variant(bool value) => new(value);
    public static implicit operator Variant(sbyte value) => new(value);
    public static implicit operator Variant(byte value) => new(value);
    public static implicit operator Variant(short value) => new(value);
    public static implicit operator Variant(ushort value) => new(value);
    public static implicit operator Variant(int value) => new(value);
    public static implicit operator Variant(uint value) => new(value);
    public static implicit operator Variant(long value) => new(value);
    public static implicit operator Variant(ulong value) => new(value);
    public static implicit operator Variant(float value) => new(value);
    public static implicit operator Variant(double value) => new(value);
    public static implicit operator Variant(DateTime value) => new(value);
    public static implicit operator Variant(StatusCode value) => new(value);
    public static implicit operator Variant(string? value) => new(value);
    public static implicit operator Variant(Guid value) => new(value);
    public static implicit operator Variant(NodeId value) => new(value);
    public static implicit operator Variant(QualifiedName value) => new(value);
    public static implicit operator Variant(LocalizedText value) => new(value);
    public static implicit operator Variant(double[] value) => new(value);
    public static implicit operator Variant(int[] value) => new(value);
    public static implicit operator Variant(string?[] value) => new(value);

    public static bool operator ==(Variant left, Variant right) => left.Equals(right);
    public static bool operator !=(Variant left, Variant right) => !left.Equals(right);

    /// <summary>
    /// The value as a CLR object: a boxed scalar, a typed array, or for a matrix the flattened
    /// elements (see <see cref="ArrayDimensions"/>).
    /// </summary>
    public object? Value => Rank switch
    {
        VariantRank.Scalar => ScalarValue,
        VariantRank.Array => _object,
        _ => ((Matrix)_object!).Elements,
    };

    /// <summary>The array of a one-dimensional Variant, or the flattened elements of a matrix; null for a scalar.</summary>
    public Array? ArrayValue => Rank switch
    {
        VariantRank.Array => (Array)_object!,
        VariantRank.Matrix => ((Matrix)_object!).Elements,
        _ => null,
    };

    /// <summary>The lengths of the dimensions of a matrix; null for scalars and one-dimensional arrays.</summary>
    public int[]? ArrayDimensions => Rank == VariantRank.Matrix ? ((Matrix)_object!).Dimensions : null;

    private object? ScalarValue => Type switch
    {
        BuiltInType.Null => null,
        BuiltInType.Boolean => _bits != 0,
        BuiltInType.SByte => unchecked((sbyte)_bits),
        BuiltInType.Byte => unchecked((byte)_bits),
        BuiltInType.Int16 => unchecked((short)_bits),
        BuiltInType.UInt16 => unchecked((ushort)_bits),
        BuiltInType.Int32 => unchecked((int)_bits),
        BuiltInType.UInt32 => unchecked((uint)_bits),
        BuiltInType.Int64 => unchecked((long)_bits),
        BuiltInType.UInt64 => _bits,
        BuiltInType.Float => BitConverter.UInt32BitsToSingle(unchecked((uint)_bits)),
        BuiltInType.Double => BitConverter.UInt64BitsToDouble(_bits),
        BuiltInType.DateTime => new DateTime(unchecked((long)_bits), DateTimeKind.Utc),
        BuiltInType.StatusCode => new StatusCode(unchecked((uint)_bits)),
        BuiltInType.XmlElement => new XmlElement((string?)_object),
        _ => _object,
    };

    internal ulong Bits => _bits;
    internal object? Reference => _object;

    public bool AsBoolean() => Is(BuiltInType.Boolean) ? _bits != 0 : throw Mismatch(BuiltInType.Boolean);
    public int AsInt32() => Is(BuiltInType.Int32) ? unchecked((int)_bits) : throw Mismatch(BuiltInType.Int32);
    public uint AsUInt32() => Is(BuiltInType.UInt32) ? unchecked((uint)_bits) : throw Mismatch(BuiltInType.UInt32);
    public double AsDouble() => Is(BuiltInType.Double) ? BitConverter.UInt64BitsToDouble(_bits) : throw Mismatch(BuiltInType.Double);
    public string? AsString() => Is(BuiltInType.String) ? (string?)_object : throw Mismatch(BuiltInType.String);
    public DateTime AsDateTime() => Is(BuiltInType.DateTime) ? new DateTime(unchecked((long)_bits), DateTimeKind.Utc) : throw Mismatch(BuiltInType.DateTime);
    public NodeId AsNodeId() => Is(BuiltInType.NodeId) ? (NodeId)_object! : throw Mismatch(BuiltInType.NodeId);
    public LocalizedText? AsLocalizedText() => Is(BuiltInType.LocalizedText) ? (LocalizedText?)_object : throw Mismatch(BuiltInType.LocalizedText);
    public QualifiedName AsQualifiedName() => Is(BuiltInType.QualifiedName) ? (QualifiedName)_object! : throw Mismatch(BuiltInType.QualifiedName);
    public ExtensionObject AsExtensionObject() => Is(BuiltInType.ExtensionObject) ? (ExtensionObject)_object! : throw Mismatch(BuiltInType.ExtensionObject);

    /// <summary>
    /// The value of a numeric scalar (any integer type, Float, Double, or Boolean as 0/1) as a
    /// double: how telemetry is read whatever type a machine publishes.
    /// </summary>
    public bool TryGetDouble(out double value)
    {
        if (Rank != VariantRank.Scalar)
        {
            value = 0;
            return false;
        }

        switch (Type)
        {
            case BuiltInType.Double: value = BitConverter.UInt64BitsToDouble(_bits); return true;
            case BuiltInType.Float: value = BitConverter.UInt32BitsToSingle(unchecked((uint)_bits)); return true;
            case BuiltInType.Boolean:
            case BuiltInType.Byte:
            case BuiltInType.UInt16:
            case BuiltInType.UInt32:
            case BuiltInType.UInt64: value = _bits; return true;
            case BuiltInType.SByte:
            case BuiltInType.Int16:
            case BuiltInType.Int32:
            case BuiltInType.Int64: value = unchecked((long)_bits); return true;
            default: value = 0; return false;
        }
    }

    public bool Equals(Variant other)
    {
        if (Type != other.Type || Rank != other.Rank)
        {
            return false;
        }

        if (Rank == VariantRank.Scalar && IsInline(Type))
        {
            // Float and Double compare by bits, so that NaN equals itself and a change from
            // NaN to NaN is no data change.
            return _bits == other._bits;
        }

        return VariantComparer.BodiesEqual(_object, other._object);
    }

    public override bool Equals(object? obj) => obj is Variant other && Equals(other);

    public override int GetHashCode() =>
        Rank == VariantRank.Scalar && IsInline(Type)
            ? HashCode.Combine(Type, _bits)
            : HashCode.Combine(Type, Rank, _object is Array array ? array.Length : _object?.GetHashCode() ?? 0);

    public override string ToString()
    {
        if (IsNull)
        {
            return "null";
        }

        if (Rank == VariantRank.Scalar)
        {
            return FormatScalar(ScalarValue);
        }

        var elements = ArrayValue!;
        var builder = new StringBuilder();
        if (Rank == VariantRank.Matrix)
        {
            builder.Append(Type).Append('[').AppendJoin('x', ArrayDimensions!).Append("] ");
        }

        builder.Append('[');
        var count = 0;
        foreach (var element in elements)
        {
            if (count > 0)
            {
                builder.Append(", ");
            }

            if (count == 20)
            {
                builder.Append(CultureInfo.InvariantCulture, $"... {elements.Length - 20} more");
                break;
            }

            builder.Append(FormatScalar(element is Variant v ? v.ToString() : element));
            count++;
        }

        return builder.Append(']').ToString();
    }

    internal static bool IsInline(BuiltInType type) => type switch
    {
        BuiltInType.Boolean or BuiltInType.SByte or BuiltInType.Byte or BuiltInType.Int16 or
        BuiltInType.UInt16 or BuiltInType.Int32 or BuiltInType.UInt32 or BuiltInType.Int64 or
        BuiltInType.UInt64 or BuiltInType.Float or BuiltInType.Double or BuiltInType.DateTime or
        BuiltInType.StatusCode => true,
        _ => false,
    };

    /// <summary>The CLR element type that arrays of a built-in type use.</summary>
    public static Type ElementTypeOf(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => typeof(bool),
        BuiltInType.SByte => typeof(sbyte),
        BuiltInType.Byte => typeof(byte),
        BuiltInType.Int16 => typeof(short),
        BuiltInType.UInt16 => typeof(ushort),
        BuiltInType.Int32 => typeof(int),
        BuiltInType.UInt32 => typeof(uint),
        BuiltInType.Int64 => typeof(long),
        BuiltInType.UInt64 => typeof(ulong),
        BuiltInType.Float => typeof(float),
        BuiltInType.Double => typeof(double),
        BuiltInType.String => typeof(string),
        BuiltInType.DateTime => typeof(DateTime),
        BuiltInType.Guid => typeof(Guid),
        BuiltInType.ByteString => typeof(byte[]),
        BuiltInType.XmlElement => typeof(XmlElement),
        BuiltInType.NodeId => typeof(NodeId),
        BuiltInType.ExpandedNodeId => typeof(ExpandedNodeId),
        BuiltInType.StatusCode => typeof(StatusCode),
        BuiltInType.QualifiedName => typeof(QualifiedName),
        BuiltInType.LocalizedText => typeof(LocalizedText),
        BuiltInType.ExtensionObject => typeof(ExtensionObject),
        BuiltInType.DataValue => typeof(DataValue),
        BuiltInType.Variant => typeof(Variant),
        BuiltInType.DiagnosticInfo => typeof(DiagnosticInfo),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Null has no array form."),
    };

    private static void CheckElementType(BuiltInType type, Array values)
    {
        var expected = ElementTypeOf(type);
        if (values.GetType().GetElementType() != expected || values.Rank != 1)
        {
            throw new ArgumentException(
                $"An array of {type} must be a one-dimensional {expected.Name}[], not {values.GetType().Name}.", nameof(values));
        }
    }

    private static BuiltInType NullableScalarType(BuiltInType type) => type switch
    {
        // A null string, byte string or object is still typed on the wire (length -1).
        BuiltInType.String or BuiltInType.ByteString or BuiltInType.XmlElement or
        BuiltInType.LocalizedText or BuiltInType.DiagnosticInfo => type,
        _ => BuiltInType.Null,
    };

    private static string FormatScalar(object? value) => value switch
    {
        null => "null",
        string s => s,
        byte[] bytes => bytes.Length <= 32 ? $"0x{Convert.ToHexString(bytes)}" : $"0x{Convert.ToHexString(bytes, 0, 32)}... ({bytes.Length} bytes)",
        DateTime dt => dt.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Is(BuiltInType type) => Type == type && Rank == VariantRank.Scalar;

    private InvalidCastException Mismatch(BuiltInType wanted) =>
        new($"The Variant holds {(Rank == VariantRank.Scalar ? "a" : "an array of")} {Type}, not a {wanted}.");
}

/// <summary>Whether a <see cref="Variant"/> holds one value, an array, or a matrix.</summary>
public enum VariantRank : byte
{
    Scalar = 0,
    Array = 1,
    Matrix = 2,
}

/// <summary>A multi-dimensional array: flat elements and the length of each dimension.</summary>
internal sealed record Matrix(Array Elements, int[] Dimensions)
{
    public bool Equals(Matrix? other) =>
        other is not null && Dimensions.AsSpan().SequenceEqual(other.Dimensions) && VariantComparer.BodiesEqual(Elements, other.Elements);

    public override int GetHashCode() => HashCode.Combine(Elements.Length, Dimensions.Length);
}
