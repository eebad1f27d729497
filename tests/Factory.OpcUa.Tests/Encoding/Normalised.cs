using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// What a value reads back as: the deliberate normalisations of the encoding, stated once so that
/// the round-trip properties say decode(encode(x)) == Normalised(x) instead of skipping cases.
/// Each normalisation maps values the wire cannot tell apart onto one of them.
/// </summary>
internal static class Normalised
{
    /// <summary>
    /// 5.2.2.14: a null LocalizedText and one with neither part are both the mask byte 0, read as
    /// <see cref="LocalizedText.Null"/>.
    /// </summary>
    public static LocalizedText Text(LocalizedText? value) => value ?? LocalizedText.Null;

    /// <summary>
    /// 5.2.2.12: a negative string-table index means absent, so it is sent as absent (-1); and a
    /// top-level DiagnosticInfo with nothing present is the mask byte 0, the same bytes as null.
    /// An empty inner DiagnosticInfo keeps its presence bit, so it stays an empty object.
    /// </summary>
    public static DiagnosticInfo? Diagnostic(DiagnosticInfo? value)
    {
        var inner = Inner(value);
        return inner == new DiagnosticInfo() ? null : inner;
    }

    /// <summary>Variants normalise what they hold, and a DateTime to its UTC ticks.</summary>
    public static Variant Value(Variant value) => value.Rank switch
    {
        VariantRank.Scalar => value.Type switch
        {
            BuiltInType.LocalizedText => new Variant(Text(value.AsLocalizedText())),
            BuiltInType.DiagnosticInfo => new Variant(Diagnostic((DiagnosticInfo?)value.Value)),
            BuiltInType.DataValue => new Variant(Data((DataValue)value.Value!)),
            BuiltInType.ExtensionObject => new Variant(Extension(value.AsExtensionObject())),
            _ => value,
        },
        VariantRank.Array => Variant.FromArray(value.Type, Elements(value.Type, value.ArrayValue!)),
        _ => Variant.FromMatrix(value.Type, Elements(value.Type, value.ArrayValue!), value.ArrayDimensions!),
    };

    /// <summary>
    /// 5.2.2.17: absent fields are their defaults, so only the Value can change, by its own
    /// normalisation.
    /// </summary>
    public static DataValue Data(DataValue value) => value with { Value = Value(value.Value) };

    /// <summary>
    /// A known body normalises its fields (of the bodies generated, only MonitoredItemNotification
    /// holds a Variant); the ExtensionObject itself, even with a null TypeId, reads back as sent.
    /// </summary>
    public static ExtensionObject Extension(ExtensionObject value) =>
        value.Body is MonitoredItemNotification notification
            ? new ExtensionObject(notification with { Value = Data(notification.Value) })
            : value;

    private static DiagnosticInfo? Inner(DiagnosticInfo? value) => value is null
        ? null
        : new DiagnosticInfo(
            Math.Max(value.SymbolicId, -1),
            Math.Max(value.NamespaceUri, -1),
            Math.Max(value.Locale, -1),
            Math.Max(value.LocalizedText, -1),
            value.AdditionalInfo,
            value.InnerStatusCode,
            value.InnerDiagnosticInfo is null ? null : Inner(value.InnerDiagnosticInfo) ?? new DiagnosticInfo());

    private static Array Elements(BuiltInType type, Array elements)
    {
        var copy = (Array)elements.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            copy.SetValue(
                type switch
                {
                    BuiltInType.LocalizedText => Text((LocalizedText?)copy.GetValue(i)),
                    BuiltInType.DiagnosticInfo => Diagnostic((DiagnosticInfo?)copy.GetValue(i)),
                    BuiltInType.DataValue => Data((DataValue)copy.GetValue(i)!),
                    BuiltInType.ExtensionObject => Extension((ExtensionObject)copy.GetValue(i)!),
                    BuiltInType.Variant => Value((Variant)copy.GetValue(i)!),
                    _ => copy.GetValue(i),
                },
                i);
        }

        return copy;
    }
}
