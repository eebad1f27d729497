using System.Globalization;
using System.Text.Json;
using Factory.OpcUa.Encoding;

namespace Factory.Host.Commands.OpcUa;

/// <summary>OPC UA values as people type and read them, and as JSON.</summary>
internal static class VariantText
{
    /// <summary>Parses <paramref name="text"/> as a <paramref name="type"/>; a JSON array ("[1, 2]") gives an array.</summary>
    /// <exception cref="FormatException">The text is not a value of that type; the message says what was expected.</exception>
    public static Variant Parse(string text, BuiltInType type, bool array)
    {
        if (array || text.TrimStart().StartsWith('['))
        {
            List<string> elements;
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"expected a JSON array of {type} values, e.g. [1, 2, 3]");
                }

                elements = [.. document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())];
            }
            catch (JsonException e)
            {
                throw new FormatException($"'{text}' is not a JSON array: {e.Message}");
            }

            var values = Array.CreateInstance(Variant.ElementTypeOf(type), elements.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                values.SetValue(ParseScalar(elements[i], type).Value, i);
            }

            return Variant.FromArray(type, values);
        }

        return ParseScalar(text, type);
    }

    private static Variant ParseScalar(string text, BuiltInType type)
    {
        var invariant = CultureInfo.InvariantCulture;
        try
        {
            return type switch
            {
                BuiltInType.Boolean => new Variant(text.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "on" => true,
                    "false" or "0" or "off" => false,
                    _ => throw new FormatException("expected true or false"),
                }),
                BuiltInType.SByte => new Variant(sbyte.Parse(text, invariant)),
                BuiltInType.Byte => new Variant(byte.Parse(text, invariant)),
                BuiltInType.Int16 => new Variant(short.Parse(text, invariant)),
                BuiltInType.UInt16 => new Variant(ushort.Parse(text, invariant)),
                BuiltInType.Int32 => new Variant(int.Parse(text, invariant)),
                BuiltInType.UInt32 => new Variant(uint.Parse(text, invariant)),
                BuiltInType.Int64 => new Variant(long.Parse(text, invariant)),
                BuiltInType.UInt64 => new Variant(ulong.Parse(text, invariant)),
                BuiltInType.Float => new Variant(float.Parse(text, NumberStyles.Float, invariant)),
                BuiltInType.Double => new Variant(double.Parse(text, NumberStyles.Float, invariant)),
                BuiltInType.String => new Variant(text),
                BuiltInType.DateTime => new Variant(DateTime.Parse(text, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                BuiltInType.Guid => new Variant(Guid.Parse(text)),
                BuiltInType.ByteString => new Variant(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.FromHexString(text[2..]) : Convert.FromBase64String(text)),
                BuiltInType.XmlElement => new Variant(new XmlElement(text)),
                BuiltInType.NodeId => new Variant(NodeId.Parse(text)),
                BuiltInType.StatusCode => new Variant(new StatusCode(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? uint.Parse(text[2..], NumberStyles.HexNumber, invariant) : uint.Parse(text, invariant))),
                BuiltInType.QualifiedName => new Variant(QualifiedName.Parse(text)),
                BuiltInType.LocalizedText => new Variant(new LocalizedText(text)),
                _ => throw new FormatException($"values of type {type} cannot be typed on the command line"),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new FormatException($"'{text}' is not a {type}: {e.Message}");
        }
    }

    /// <summary>The type name of a value as the tables show it: Double, Int32[], Double[2x3].</summary>
    public static string TypeName(Variant value) => value.Rank switch
    {
        _ when value.IsNull => "null",
        VariantRank.Scalar => value.Type.ToString(),
        VariantRank.Array => $"{value.Type}[]",
        _ => $"{value.Type}[{string.Join("x", value.ArrayDimensions!)}]",
    };

    public static string Timestamp(DateTime time) =>
        time == default ? "" : time.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 UTC for JSON, or null text for "no timestamp".</summary>
    public static string? JsonTimestamp(DateTime time) =>
        time == default ? null : time.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>Writes a value as JSON: numbers as numbers (64-bit integers as strings), arrays as arrays, matrices with their dimensions.</summary>
    public static void WriteJson(Utf8JsonWriter writer, Variant value)
    {
        switch (value.Rank)
        {
            case VariantRank.Scalar:
                WriteScalar(writer, value.Value);
                break;
            case VariantRank.Array:
                WriteElements(writer, value.ArrayValue!);
                break;
            default:
                writer.WriteStartObject();
                writer.WriteStartArray("dimensions");
                foreach (var dimension in value.ArrayDimensions!)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WritePropertyName("elements");
                WriteElements(writer, value.ArrayValue!);
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteElements(Utf8JsonWriter writer, Array elements)
    {
        writer.WriteStartArray();
        foreach (var element in elements)
        {
            if (element is Variant nested)
            {
                WriteJson(writer, nested);
            }
            else
            {
                WriteScalar(writer, element);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case sbyte or byte or short or ushort or int or uint: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case long l: writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture)); break;
            case ulong u: writer.WriteStringValue(u.ToString(CultureInfo.InvariantCulture)); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float or double: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            case DateTime t: writer.WriteStringValue(t.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)); break;
            case Guid g: writer.WriteStringValue(g.ToString("D")); break;
            case byte[] bytes: writer.WriteStringValue(Convert.ToBase64String(bytes)); break;
            case StatusCode s: writer.WriteNumberValue(s.Code); break;
            case QualifiedName q:
                writer.WriteStartObject();
                writer.WriteNumber("namespaceIndex", q.NamespaceIndex);
                writer.WriteString("name", q.Name);
                writer.WriteEndObject();
                break;
            case LocalizedText t:
                writer.WriteStartObject();
                writer.WriteString("locale", t.Locale);
                writer.WriteString("text", t.Text);
                writer.WriteEndObject();
                break;
            case DataValue dv:
                writer.WriteStartObject();
                writer.WritePropertyName("value");
                WriteJson(writer, dv.Value);
                writer.WriteNumber("statusCode", dv.StatusCode.Code);
                writer.WriteEndObject();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }
}
