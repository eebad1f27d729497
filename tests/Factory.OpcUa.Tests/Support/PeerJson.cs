using System.Globalization;
using System.Text.Json.Nodes;
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Tests.Support;

/// <summary>
/// Our decoded values in the JSON convention of tests/opcua-peer (its README), so a value read
/// through our stack can be compared exactly with what node-opcua says it serves.
/// </summary>
internal static class PeerJson
{
    public static JsonNode? Of(Variant value) => value.Rank switch
    {
        VariantRank.Scalar => Scalar(value.Value),
        VariantRank.Array => Elements(value.ArrayValue!),
        _ => new JsonObject
        {
            ["dimensions"] = new JsonArray([.. value.ArrayDimensions!.Select(d => (JsonNode?)d)]),
            ["elements"] = Elements(value.ArrayValue!),
        },
    };

    private static JsonArray Elements(Array elements)
    {
        var array = new JsonArray();
        foreach (var element in elements)
        {
            array.Add(element is Variant nested ? TypedVariant(nested) : Scalar(element));
        }

        return array;
    }

    private static JsonObject TypedVariant(Variant value) => new()
    {
        ["type"] = value.Type.ToString(),
        ["value"] = Of(value),
    };

    private static JsonNode? Scalar(object? value) => value switch
    {
        null => null,
        bool b => b,
        sbyte or byte or short or ushort or int or uint => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        float f => JsonValue.Create((double)f),
        double d => JsonValue.Create(d),
        string s => s,
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        byte[] bytes => Convert.ToBase64String(bytes),
        XmlElement x => x.OuterXml,
        NodeId n => n.ToString(),
        ExpandedNodeId e => e.ToString(),
        StatusCode s => JsonValue.Create(s.Code),
        QualifiedName q => new JsonObject { ["namespaceIndex"] = q.NamespaceIndex, ["name"] = q.Name },
        LocalizedText t => new JsonObject { ["locale"] = t.Locale, ["text"] = t.Text },
        DataValue dv => new JsonObject
        {
            ["value"] = TypedVariant(dv.Value),
            ["statusCode"] = dv.StatusCode.Code,
            ["sourceTimestamp"] = dv.SourceTimestamp == default ? null : Scalar(dv.SourceTimestamp),
            ["serverTimestamp"] = dv.ServerTimestamp == default ? null : Scalar(dv.ServerTimestamp),
        },
        DiagnosticInfo di => new JsonObject
        {
            ["symbolicId"] = di.SymbolicId,
            ["namespaceUri"] = di.NamespaceUri,
            ["locale"] = di.Locale,
            ["localizedText"] = di.LocalizedText,
            ["additionalInfo"] = di.AdditionalInfo,
            ["innerStatusCode"] = di.InnerStatusCode is { } inner ? JsonValue.Create(inner.Code) : null,
            ["innerDiagnosticInfo"] = di.InnerDiagnosticInfo is { } nested ? Scalar(nested) : null,
        },
        ExtensionObject eo => Structure(eo),
        _ => throw new NotSupportedException($"No JSON form for {value.GetType().Name}"),
    };

    /// <summary>{"typeId": "i=886", "fields": {...}} with the fields of the decoded structure, by name.</summary>
    private static JsonObject Structure(ExtensionObject value)
    {
        var fields = new JsonObject();
        if (value.Body is IEncodeable body)
        {
            foreach (var property in body.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.Name != nameof(IEncodeable.BinaryEncodingId) && p.GetIndexParameters().Length == 0))
            {
                fields[property.Name] = Scalar(property.GetValue(body));
            }
        }

        return new JsonObject { ["typeId"] = value.TypeId.ToString(), ["fields"] = fields };
    }

    /// <summary>The manifest's form of a structure without the names it adds for readers (dataTypeId, dataType).</summary>
    public static JsonNode? Comparable(JsonNode? manifestValue)
    {
        switch (manifestValue)
        {
            case JsonObject obj when obj.ContainsKey("typeId") && obj.ContainsKey("fields"):
                return new JsonObject { ["typeId"] = obj["typeId"]!.DeepClone(), ["fields"] = obj["fields"]!.DeepClone() };
            case JsonArray array:
                return new JsonArray([.. array.Select(Comparable)]);
            default:
                return manifestValue?.DeepClone();
        }
    }
}
