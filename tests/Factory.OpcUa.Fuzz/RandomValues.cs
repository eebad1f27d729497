using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Fuzz;

/// <summary>
/// Random values of every built-in type (OPC 10000-6, 5.1.2), drawn from a <see cref="FuzzRandom"/>
/// so the same seed gives the same values. They favour the shapes that make decoders branch:
/// every NodeId form, null and empty strings and arrays, nested Variants, all DataValue mask bits.
/// </summary>
/// <remarks>
/// With <c>canonical</c> set, only values that decode to themselves are made: no null
/// LocalizedText (it reads back as <see cref="LocalizedText.Null"/>), no DiagnosticInfo with
/// nothing in it or with negative indexes, no time outside 1601..9999, no null type id in a
/// non-numeric form. Tests that compare decoded objects with the originals need that; the fuzzer
/// does not, and uses the wider range.
/// </remarks>
public sealed class RandomValues(FuzzRandom random, bool canonical = false)
{
    private const long EpochTicks = 504_911_232_000_000_000;

    private static readonly string[] Words =
    [
        "", "a", "Pump3", "Line1.Pump3.Speed", "urn:factory:plc", "http://opcfoundation.org/UA/", "水Boy", "Hot水",
        "température", "\U0001F600", "en-US", "de", "<a>1</a>", "x\0y",
    ];

    public FuzzRandom Random => random;

    public bool Canonical => canonical;

    public string Text()
    {
        switch (random.Next(4))
        {
            case 0:
                return random.Pick(Words);
            case 1:
                var ascii = new char[random.Next(0, 24)];
                for (var i = 0; i < ascii.Length; i++)
                {
                    ascii[i] = (char)random.Next(0x20, 0x7F);
                }

                return new string(ascii);
            default:
                var builder = new System.Text.StringBuilder();
                for (var i = random.Next(0, 10); i > 0; i--)
                {
                    // Any Unicode scalar value; surrogate code points have no UTF-8 form.
                    var codePoint = random.Next(0, 0x10FFFF - 0x800);
                    builder.Append(char.ConvertFromUtf32(codePoint < 0xD800 ? codePoint : codePoint + 0x800));
                }

                return builder.ToString();
        }
    }

    public string? NullableText() => random.OneIn(6) ? null : Text();

    public byte[] Bytes(int max = 24)
    {
        var bytes = new byte[random.Next(0, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    public byte[]? NullableBytes() => random.OneIn(6) ? null : Bytes();

    public float Float() => random.Next(4) switch
    {
        0 => BitConverter.UInt32BitsToSingle(random.NextUInt32()),
        1 => random.Pick([float.NaN, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue]),
        _ => (float)((random.Next(-100_000, 100_000) / 100.0) + 0.25),
    };

    public double Double() => random.Next(4) switch
    {
        0 => BitConverter.UInt64BitsToDouble(random.NextUInt64()),
        1 => random.Pick([double.NaN, -0d, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue]),
        _ => (random.Next(-1_000_000, 1_000_000) / 1000.0) + 0.125,
    };

    public DateTime DateTime()
    {
        var min = canonical ? EpochTicks + 1 : 0;
        var max = canonical ? System.DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond : System.DateTime.MaxValue.Ticks;
        var ticks = random.Next(5) switch
        {
            0 => System.DateTime.MinValue.Ticks,
            1 => new DateTime(2024, 11, 28, 10, 0, 0, DateTimeKind.Utc).Ticks + random.Next(0, int.MaxValue),
            _ => (long)(random.NextUInt64() % (ulong)System.DateTime.MaxValue.Ticks),
        };
        // MinValue is "no time" and survives the wire as 0; other early times become it.
        return ticks == 0 ? System.DateTime.MinValue : new DateTime(Math.Clamp(ticks, min, max), DateTimeKind.Utc);
    }

    public Guid Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return random.OneIn(8) ? System.Guid.Empty : new Guid(bytes);
    }

    public ushort NamespaceIndex() => random.Next(6) switch
    {
        0 or 1 or 2 => 0,
        3 => (ushort)random.Next(1, 5),
        4 => random.Pick<ushort>([255, 256, ushort.MaxValue]),
        _ => (ushort)random.Next(0, 65536),
    };

    public NodeId NodeId() => random.Next(8) switch
    {
        0 => new NodeId((uint)random.Next(0, 256)),
        1 => new NodeId((uint)random.Next(0, 65536), (ushort)random.Next(0, 256)),
        2 => new NodeId(random.NextUInt32(), NamespaceIndex()),
        3 or 4 => new NodeId(Text(), NamespaceIndex()),
        5 => new NodeId(Guid(), NamespaceIndex()),
        6 => new NodeId(Bytes(16), NamespaceIndex()),
        _ => new NodeId(random.Pick<uint>([0, 1, 255, 256, 65535, 65536, uint.MaxValue]), NamespaceIndex()),
    };

    public ExpandedNodeId ExpandedNodeId() =>
        new(NodeId(), random.OneIn(3) ? NullableText() : null, random.OneIn(3) ? random.NextUInt32() : 0);

    public StatusCode StatusCode() => random.Next(4) switch
    {
        0 => Encoding.StatusCode.Good,
        1 => new StatusCode(random.Pick([StatusCodes.BadDecodingError, StatusCodes.Uncertain, StatusCodes.BadNodeIdUnknown, StatusCodes.BadTimeout])),
        _ => new StatusCode(random.NextUInt32()),
    };

    public QualifiedName QualifiedName() => new(NullableText(), NamespaceIndex());

    public LocalizedText? LocalizedText() => random.Next(6) switch
    {
        0 => canonical ? Encoding.LocalizedText.Null : null,
        1 => Encoding.LocalizedText.Null,
        _ => new LocalizedText(NullableText(), random.OneIn(2) ? null : random.Pick(["en", "en-US", "de-DE", ""])),
    };

    public XmlElement XmlElement() => random.Next(4) switch
    {
        0 => new XmlElement(null),
        1 => new XmlElement(Text()),
        _ => new XmlElement($"<Value unit=\"{random.Next(0, 100)}\">{System.Security.SecurityElement.Escape(Text())}</Value>"),
    };

    public DiagnosticInfo? DiagnosticInfo(int depth = 0)
    {
        if (random.OneIn(4))
        {
            return null;
        }

        int Index() => random.Next(4) switch
        {
            0 => -1,
            1 => random.Next(0, 20),
            2 => canonical ? -1 : -random.Next(2, int.MaxValue),
            _ => random.Next(0, int.MaxValue),
        };

        var value = new DiagnosticInfo(
            Index(),
            Index(),
            Index(),
            Index(),
            random.OneIn(2) ? NullableText() : null,
            random.OneIn(2) ? StatusCode() : null,
            depth < 5 && random.OneIn(2) ? DiagnosticInfo(depth + 1) ?? new DiagnosticInfo() : null);
        return canonical && depth == 0 && value == new DiagnosticInfo() ? null : value;
    }

    public DataValue DataValue(int depth = 0) => new(
        random.OneIn(5) ? Encoding.Variant.Null : Variant(depth + 1),
        random.OneIn(2) ? default : StatusCode(),
        random.OneIn(3) ? System.DateTime.MinValue : DateTime(),
        random.OneIn(3) ? System.DateTime.MinValue : DateTime(),
        random.OneIn(3) ? (ushort)random.Next(0, 65536) : (ushort)0,
        random.OneIn(3) ? (ushort)random.Next(0, 65536) : (ushort)0);

    /// <summary>
    /// An ExtensionObject with a body this stack does not know (kept as bytes), an XML body or no
    /// body; <paramref name="knownBody"/>, when given, makes one with a decodable structure instead.
    /// </summary>
    public ExtensionObject ExtensionObject(Func<Encoding.IEncodeable>? knownBody = null)
    {
        switch (random.Next(knownBody is null ? 4 : 6))
        {
            case 0:
                return Encoding.ExtensionObject.Null;
            case 1:
                var typeId = NodeId();
                return new ExtensionObject(canonical && typeId.IsNull ? Encoding.NodeId.Null : typeId);
            case 2:
                return new ExtensionObject(NodeId(), XmlElement());
            case 3:
                // Namespace 1 and up: no table of this stack knows these ids, so the bytes stay bytes.
                return new ExtensionObject(new NodeId(Text(), (ushort)random.Next(1, 65536)), Bytes(40));
            default:
                return new ExtensionObject(knownBody!());
        }
    }

    /// <summary>A Variant of any type and rank; beyond <paramref name="depth"/> 3 nothing nests further.</summary>
    public Variant Variant(int depth = 0)
    {
        var nests = depth < 3;
        BuiltInType type;
        do
        {
            type = (BuiltInType)random.Next(0, 26);
        }
        while (!nests && type is BuiltInType.Variant or BuiltInType.DataValue or BuiltInType.ExtensionObject);

        if (type == BuiltInType.Null)
        {
            return Encoding.Variant.Null;
        }

        var rank = type == BuiltInType.Variant ? 1 + random.Next(2) : random.Next(4) switch { 0 => 1, 1 => 2, _ => 0 };
        if (rank == 0)
        {
            return Scalar(type, Element(type, depth));
        }

        if (rank == 1)
        {
            return Encoding.Variant.FromArray(type, Elements(type, random.Next(0, 5), depth));
        }

        var dimensions = new int[random.Next(1, 4)];
        var count = 1;
        for (var i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = random.Next(0, 4);
            count *= dimensions[i];
        }

        return Encoding.Variant.FromMatrix(type, Elements(type, count, depth), dimensions);
    }

    private Array Elements(BuiltInType type, int count, int depth)
    {
        var array = Array.CreateInstance(Encoding.Variant.ElementTypeOf(type), count);
        for (var i = 0; i < count; i++)
        {
            array.SetValue(Element(type, depth), i);
        }

        return array;
    }

    private object? Element(BuiltInType type, int depth) => type switch
    {
        BuiltInType.Boolean => random.NextBool(),
        BuiltInType.SByte => (sbyte)random.Next(-128, 128),
        BuiltInType.Byte => (byte)random.Next(0, 256),
        BuiltInType.Int16 => (short)random.Next(short.MinValue, short.MaxValue + 1),
        BuiltInType.UInt16 => (ushort)random.Next(0, 65536),
        BuiltInType.Int32 => (int)random.NextUInt32(),
        BuiltInType.UInt32 => random.NextUInt32(),
        BuiltInType.Int64 => (long)random.NextUInt64(),
        BuiltInType.UInt64 => random.NextUInt64(),
        BuiltInType.Float => Float(),
        BuiltInType.Double => Double(),
        BuiltInType.String => NullableText(),
        BuiltInType.DateTime => DateTime(),
        BuiltInType.Guid => Guid(),
        BuiltInType.ByteString => NullableBytes(),
        BuiltInType.XmlElement => XmlElement(),
        BuiltInType.NodeId => NodeId(),
        BuiltInType.ExpandedNodeId => ExpandedNodeId(),
        BuiltInType.StatusCode => StatusCode(),
        BuiltInType.QualifiedName => QualifiedName(),
        BuiltInType.LocalizedText => LocalizedText(),
        BuiltInType.ExtensionObject => ExtensionObject(),
        BuiltInType.DataValue => DataValue(depth),
        BuiltInType.Variant => Variant(depth + 1),
        _ => DiagnosticInfo(),
    };

    private static Variant Scalar(BuiltInType type, object? value) => type switch
    {
        BuiltInType.Boolean => new Variant((bool)value!),
        BuiltInType.SByte => new Variant((sbyte)value!),
        BuiltInType.Byte => new Variant((byte)value!),
        BuiltInType.Int16 => new Variant((short)value!),
        BuiltInType.UInt16 => new Variant((ushort)value!),
        BuiltInType.Int32 => new Variant((int)value!),
        BuiltInType.UInt32 => new Variant((uint)value!),
        BuiltInType.Int64 => new Variant((long)value!),
        BuiltInType.UInt64 => new Variant((ulong)value!),
        BuiltInType.Float => new Variant((float)value!),
        BuiltInType.Double => new Variant((double)value!),
        BuiltInType.String => new Variant((string?)value),
        BuiltInType.DateTime => new Variant((DateTime)value!),
        BuiltInType.Guid => new Variant((Guid)value!),
        BuiltInType.ByteString => new Variant((byte[]?)value),
        BuiltInType.XmlElement => new Variant((XmlElement)value!),
        BuiltInType.NodeId => new Variant((NodeId)value!),
        BuiltInType.ExpandedNodeId => new Variant((ExpandedNodeId)value!),
        BuiltInType.StatusCode => new Variant((StatusCode)value!),
        BuiltInType.QualifiedName => new Variant((QualifiedName)value!),
        BuiltInType.LocalizedText => new Variant((LocalizedText?)value),
        BuiltInType.ExtensionObject => new Variant((ExtensionObject)value!),
        BuiltInType.DataValue => new Variant((DataValue)value!),
        _ => new Variant((DiagnosticInfo?)value),
    };
}
