using CsCheck;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using UaRange = Factory.OpcUa.Types.Range;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// CsCheck generators for every built-in type of OPC 10000-6, 5.1.2, biased towards the values
/// where encodings change form: the NodeId size boundaries, null versus empty, NaN payloads,
/// the first and last representable DateTime, and nesting.
/// </summary>
/// <remarks>Static fields initialise in textual order, so every generator is declared after those it uses.</remarks>
internal static class UaGen
{
    private const long EpochTicks = 504_911_232_000_000_000;

    /// <summary>Any Unicode scalar value: surrogate code points cannot be carried by UTF-8.</summary>
    private static readonly Gen<string> CodePoints =
        Gen.Int[0, 0x10FFFF - 0x800].Select(i => i < 0xD800 ? i : i + 0x800).Array[0, 8]
            .Select(points => string.Concat(points.Select(char.ConvertFromUtf32)));

    public static readonly Gen<string> Texts = Gen.Frequency(
        (4, Gen.String[Gen.Char.AlphaNumeric, 0, 12]),
        (2, CodePoints),
        (1, Gen.Const("")));

    public static readonly Gen<string?> NullableTexts = Texts.Null(0.15);

    public static readonly Gen<byte[]> ByteStrings = Gen.Byte.Array[0, 20];

    public static readonly Gen<byte[]?> NullableByteStrings = ByteStrings.Null(0.15);

    /// <summary>Every bit pattern, so NaNs with payloads, infinities and negative zero turn up.</summary>
    public static readonly Gen<float> Floats = Gen.Frequency(
        (2, Gen.UInt.Select(BitConverter.UInt32BitsToSingle)),
        (1, Gen.Float),
        (1, Gen.OneOf(float.NaN, -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon)));

    public static readonly Gen<double> Doubles = Gen.Frequency(
        (2, Gen.ULong.Select(BitConverter.UInt64BitsToDouble)),
        (1, Gen.Double),
        (1, Gen.OneOf(double.NaN, -0d, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon)));

    /// <summary>
    /// Times that survive the wire unchanged: after 1601-01-01 and before 9999-12-31T23:59:59Z
    /// (5.2.2.5 clamps everything outside to 0 and Int64.MaxValue).
    /// </summary>
    public static readonly Gen<DateTime> Times = Gen.Frequency(
        (6, Gen.Long[EpochTicks + 1, DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond]),
        (1, Gen.OneOf(EpochTicks + 1, DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond, new DateTime(2024, 1, 1).Ticks)))
        .Select(ticks => new DateTime(ticks, DateTimeKind.Utc));

    public static readonly Gen<ushort> NamespaceIndexes = Gen.Frequency(
        (4, Gen.Const((ushort)0)),
        (3, Gen.UShort[1, 4]),
        (1, Gen.OneOf((ushort)255, (ushort)256, ushort.MaxValue)),
        (1, Gen.UShort));

    private static readonly Gen<uint> NumericIdentifiers = Gen.Frequency(
        (3, Gen.UInt[0, 255]),
        (3, Gen.UInt[256, 65535]),
        (1, Gen.OneOf(0u, 255u, 256u, 65535u, 65536u, uint.MaxValue)),
        (2, Gen.UInt));

    /// <summary>All four identifier types in every namespace, so all six encodings appear.</summary>
    public static readonly Gen<NodeId> NodeIds = Gen.Frequency(
        (4, Gen.Select(NumericIdentifiers, NamespaceIndexes, (id, ns) => new NodeId(id, ns))),
        (2, Gen.Select(Texts, NamespaceIndexes, (s, ns) => new NodeId(s, ns))),
        (1, Gen.Select(Gen.Guid, NamespaceIndexes, (g, ns) => new NodeId(g, ns))),
        (1, Gen.Select(ByteStrings, NamespaceIndexes, (b, ns) => new NodeId(b, ns))));

    /// <summary>An encoding id in a namespace other than 0, which no table of this stack knows.</summary>
    public static readonly Gen<NodeId> UnknownTypeIds = NodeIds.Where(id => id.NamespaceIndex != 0);

    public static readonly Gen<ExpandedNodeId> ExpandedNodeIds = Gen.Select(
        NodeIds,
        NullableTexts,
        Gen.Frequency((3, Gen.Const(0u)), (1, Gen.UInt)),
        (id, uri, server) => new ExpandedNodeId(id, uri, server));

    public static readonly Gen<StatusCode> Statuses = Gen.Frequency(
        (2, Gen.Const(StatusCode.Good)),
        (1, Gen.OneOf(StatusCodes.BadDecodingError, StatusCodes.Uncertain, StatusCodes.BadNodeIdUnknown).Select(c => new StatusCode(c))),
        (2, Gen.UInt.Select(c => new StatusCode(c))));

    public static readonly Gen<QualifiedName> QualifiedNames = Gen.Select(NullableTexts, NamespaceIndexes, (name, ns) => new QualifiedName(name, ns));

    public static readonly Gen<LocalizedText> PresentLocalizedTexts = Gen.Select(NullableTexts, NullableTexts, (text, locale) => new LocalizedText(text, locale));

    /// <summary>Every combination of null and present parts, including the null reference.</summary>
    public static readonly Gen<LocalizedText?> LocalizedTexts = Gen.Frequency(
        (1, Gen.Const((LocalizedText?)null)),
        (1, Gen.Const<LocalizedText?>(LocalizedText.Null)),
        (6, PresentLocalizedTexts.Select(text => (LocalizedText?)text)));

    public static readonly Gen<XmlElement> XmlElements = Gen.Frequency(
        (1, Gen.Const(new XmlElement(null))),
        (3, Texts.Select(t => new XmlElement($"<v a=\"1\">{System.Security.SecurityElement.Escape(t)}</v>"))),
        (1, Texts.Select(t => new XmlElement(t))));

    /// <summary>A string-table index: absent (-1), small, large, or a negative that also means absent.</summary>
    private static readonly Gen<int> Indexes = Gen.Frequency(
        (3, Gen.Const(-1)),
        (3, Gen.Int[0, 20]),
        (1, Gen.Int[0, int.MaxValue]),
        (1, Gen.Int[int.MinValue, -2]));

    private const int MaxDiagnosticDepth = 5;
    private static readonly Gen<DiagnosticInfo?>[] DiagnosticInfosByDepth = BuildDiagnosticInfos();

    /// <summary>DiagnosticInfos with every mask combination, nested up to six levels.</summary>
    public static readonly Gen<DiagnosticInfo?> DiagnosticInfos = DiagnosticInfosByDepth[0];

    /// <summary>The element types a Variant can hold: every built-in type but Null.</summary>
    public static readonly BuiltInType[] ElementTypes = Enum.GetValues<BuiltInType>().Where(t => t != BuiltInType.Null).ToArray();

    private const int MaxVariantDepth = 3;
    private static readonly Gen<Variant>[] VariantsByDepth = BuildVariants();

    /// <summary>Variants up to four levels deep (arrays of Variants, DataValues and ExtensionObjects holding Variants).</summary>
    public static readonly Gen<Variant> Variants = VariantsByDepth[0];

    public static readonly Gen<DataValue> DataValues = DataValuesOf(VariantsByDepth[1]);

    public static readonly Gen<ExtensionObject> ExtensionObjects = ExtensionObjectsOf(VariantsByDepth[2]);

    public static Gen<Variant> ScalarsOf(BuiltInType type) => Element(type, VariantsByDepth[MaxVariantDepth]).Select(value => Scalar(type, value));

    public static Gen<Variant> ArraysOf(BuiltInType type) => ArraysOf(type, Element(type, VariantsByDepth[MaxVariantDepth]));

    public static Gen<Variant> MatricesOf(BuiltInType type) => MatricesOf(type, Element(type, VariantsByDepth[MaxVariantDepth]));

    private static Gen<DiagnosticInfo?>[] BuildDiagnosticInfos()
    {
        var byDepth = new Gen<DiagnosticInfo?>[MaxDiagnosticDepth + 1];
        for (var depth = MaxDiagnosticDepth; depth >= 0; depth--)
        {
            var inner = depth < MaxDiagnosticDepth ? byDepth[depth + 1] : Gen.Const((DiagnosticInfo?)null);
            byDepth[depth] = Gen.Frequency(
                (1, Gen.Const((DiagnosticInfo?)null)),
                (1, Gen.Const<DiagnosticInfo?>(new DiagnosticInfo())),
                (5, Gen.Select(
                    Indexes, Indexes, Indexes, Indexes,
                    NullableTexts,
                    Statuses.Nullable(0.5),
                    inner,
                    (symbolic, ns, locale, text, info, status, nested) => (DiagnosticInfo?)new DiagnosticInfo(symbolic, ns, locale, text, info, status, nested))));
        }

        return byDepth;
    }

    private static Gen<Variant>[] BuildVariants()
    {
        var byDepth = new Gen<Variant>[MaxVariantDepth + 1];
        for (var depth = MaxVariantDepth; depth >= 0; depth--)
        {
            // The deepest level leaves out the types that nest, so generation terminates.
            var nests = depth < MaxVariantDepth;
            var inner = nests ? byDepth[depth + 1] : Gen.Const(Variant.Null);
            var gens = new List<(int, IGen<Variant>)> { (1, Gen.Const(Variant.Null)) };
            foreach (var type in ElementTypes)
            {
                if (!nests && type is BuiltInType.Variant or BuiltInType.DataValue or BuiltInType.ExtensionObject)
                {
                    continue;
                }

                var element = Element(type, inner);
                if (type != BuiltInType.Variant)
                {
                    gens.Add((4, element.Select(value => Scalar(type, value))));
                }

                gens.Add((2, ArraysOf(type, element)));
                gens.Add((1, MatricesOf(type, element)));
            }

            byDepth[depth] = Gen.Frequency(gens.ToArray());
        }

        return byDepth;
    }

    private static Gen<Variant> ArraysOf(BuiltInType type, Gen<object?> element) =>
        element.Array[0, 4].Select(items => Variant.FromArray(type, ToArray(type, items)));

    /// <summary>One to three dimensions of 0 to 3, the elements flattened with the last dimension fastest.</summary>
    private static Gen<Variant> MatricesOf(BuiltInType type, Gen<object?> element) =>
        from dimensions in Gen.Int[0, 3].Array[1, 3]
        from items in element.Array[dimensions.Aggregate(1, (product, d) => product * d)]
        select Variant.FromMatrix(type, ToArray(type, items), dimensions);

    private static Gen<object?> Element(BuiltInType type, Gen<Variant> inner) => type switch
    {
        BuiltInType.Boolean => Gen.Bool.Select(v => (object?)v),
        BuiltInType.SByte => Gen.SByte.Select(v => (object?)v),
        BuiltInType.Byte => Gen.Byte.Select(v => (object?)v),
        BuiltInType.Int16 => Gen.Short.Select(v => (object?)v),
        BuiltInType.UInt16 => Gen.UShort.Select(v => (object?)v),
        BuiltInType.Int32 => Gen.Int.Select(v => (object?)v),
        BuiltInType.UInt32 => Gen.UInt.Select(v => (object?)v),
        BuiltInType.Int64 => Gen.Long.Select(v => (object?)v),
        BuiltInType.UInt64 => Gen.ULong.Select(v => (object?)v),
        BuiltInType.Float => Floats.Select(v => (object?)v),
        BuiltInType.Double => Doubles.Select(v => (object?)v),
        BuiltInType.String => NullableTexts.Select(v => (object?)v),
        BuiltInType.DateTime => Times.Select(v => (object?)v),
        BuiltInType.Guid => Gen.Guid.Select(v => (object?)v),
        BuiltInType.ByteString => NullableByteStrings.Select(v => (object?)v),
        BuiltInType.XmlElement => XmlElements.Select(v => (object?)v),
        BuiltInType.NodeId => NodeIds.Select(v => (object?)v),
        BuiltInType.ExpandedNodeId => ExpandedNodeIds.Select(v => (object?)v),
        BuiltInType.StatusCode => Statuses.Select(v => (object?)v),
        BuiltInType.QualifiedName => QualifiedNames.Select(v => (object?)v),
        BuiltInType.LocalizedText => LocalizedTexts.Select(v => (object?)v),
        BuiltInType.ExtensionObject => ExtensionObjectsOf(inner).Select(v => (object?)v),
        BuiltInType.DataValue => DataValuesOf(inner).Select(v => (object?)v),
        BuiltInType.Variant => inner.Select(v => (object?)v),
        _ => DiagnosticInfos.Select(v => (object?)v),
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

    private static Array ToArray(BuiltInType type, object?[] items)
    {
        var array = Array.CreateInstance(Variant.ElementTypeOf(type), items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            array.SetValue(items[i], i);
        }

        return array;
    }

    /// <summary>DataValues with every combination of mask bits.</summary>
    private static Gen<DataValue> DataValuesOf(Gen<Variant> variant) => Gen.Select(
        Gen.Frequency((1, Gen.Const(Variant.Null)), (4, variant)),
        Statuses,
        Gen.Frequency((1, Gen.Const(DateTime.MinValue)), (2, Times)),
        Gen.Frequency((1, Gen.Const(DateTime.MinValue)), (2, Times)),
        Gen.Frequency((2, Gen.Const((ushort)0)), (1, Gen.UShort)),
        Gen.Frequency((2, Gen.Const((ushort)0)), (1, Gen.UShort)),
        (value, status, source, server, sourcePico, serverPico) => new DataValue(value, status, source, server, sourcePico, serverPico));

    /// <summary>
    /// Structures of <see cref="StandardTypes.All"/> whose record equality is structural (no
    /// array fields), so a decoded body can be compared with the original by Equals.
    /// </summary>
    private static Gen<IEncodeable> KnownBodies(Gen<Variant> variant) => Gen.OneOf<IEncodeable>(
        Gen.Select(Doubles, Doubles, (low, high) => (IEncodeable)new UaRange(low, high)),
        Gen.Select(NullableTexts, Gen.Int, PresentLocalizedTexts, PresentLocalizedTexts, (uri, id, name, description) => (IEncodeable)new EUInformation(uri, id, name, description)),
        Gen.Select(NullableTexts, NullableTexts, NullableTexts, NullableTexts, NullableTexts, Times, (a, b, c, d, e, date) => (IEncodeable)new BuildInfo(a, b, c, d, e, date)),
        Gen.Select(NodeIds, Gen.UInt, NullableTexts, QualifiedNames, (id, attribute, range, encoding) => (IEncodeable)new ReadValueId(id, attribute, range, encoding)),
        Gen.Select(Gen.UInt, Gen.UInt, (subscription, sequence) => (IEncodeable)new SubscriptionAcknowledgement(subscription, sequence)),
        Gen.Select(Gen.UInt, DataValuesOf(variant), (handle, value) => (IEncodeable)new MonitoredItemNotification(handle, value)),
        Gen.Select(Gen.Int, Gen.UInt, Doubles, (trigger, type, deadband) => (IEncodeable)new DataChangeFilter((DataChangeTrigger)trigger, type, deadband)),
        NullableTexts.Select(policy => (IEncodeable)new AnonymousIdentityToken(policy)));

    /// <summary>Known bodies, unknown bodies kept as bytes, XML bodies, no body, and the null object.</summary>
    private static Gen<ExtensionObject> ExtensionObjectsOf(Gen<Variant> variant) => Gen.Frequency(
        (3, KnownBodies(variant).Select(body => new ExtensionObject(body))),
        (2, Gen.Select(UnknownTypeIds, ByteStrings, (id, body) => new ExtensionObject(id, body))),
        (1, Gen.Select(NodeIds, XmlElements, (id, xml) => new ExtensionObject(id, xml))),
        (1, NodeIds.Select(id => new ExtensionObject(id))),
        (1, Gen.Const(ExtensionObject.Null)));
}
