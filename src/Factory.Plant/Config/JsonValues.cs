using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Factory.Plant.Config;

/// <summary>Reading values of the document's JSON tree without trusting their type (the rules run on invalid documents too).</summary>
internal static class JsonValues
{
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A field of a mapping; null when the node is no mapping (a wrong type the schema reports).</summary>
    public static JsonNode? Field(JsonNode? node, string name) => (node as JsonObject)?[name];

    public static IEnumerable<(JsonObject Item, int Index)> Objects(JsonNode? list) =>
        (list as JsonArray ?? []).Select((item, index) => (item as JsonObject, index)).Where(x => x.Item1 is not null).Select(x => (x.Item1!, x.index));

    public static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);
}
