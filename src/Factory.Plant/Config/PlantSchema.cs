using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Factory.Plant.Config;

/// <summary>
/// The published JSON Schema of the file format (plant-config/plant.schema.json, embedded in
/// this assembly), applied to a document and its failures turned into messages that name the
/// field. The schema is the one source of the structural rules: this class knows how to word a
/// failed keyword, not which fields exist.
/// </summary>
internal static class PlantSchema
{
    private const string ResourceName = "Factory.Plant.plant.schema.json";

    private static readonly Lazy<string> LazyText = new(ReadText);
    private static readonly Lazy<JsonObject> LazyDocument = new(() => (JsonObject)JsonNode.Parse(Text)!);
    private static readonly Lazy<JsonSchema> LazySchema = new(() =>
        JsonSchema.FromText(Text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    // Keywords that only pass on their subschemas' results; the failure is reported where it happened.
    private static readonly HashSet<string> Applicators = new(StringComparer.Ordinal)
    {
        "properties", "items", "prefixItems", "additionalProperties", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
        "patternProperties", "unevaluatedProperties", "unevaluatedItems", "contains", "dependentSchemas", "propertyNames",
    };

    /// <summary>The schema as published.</summary>
    public static string Text => LazyText.Value;

    /// <summary>Checks <paramref name="root"/> against the schema and adds an error per failed rule.</summary>
    public static void Validate(JsonNode? root, SourceMap map, ConfigErrorList errors)
    {
        using var instance = JsonDocument.Parse(root?.ToJsonString() ?? "null");
        var results = LazySchema.Value.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return;
        }

        var failures = new List<(string Pointer, string Keyword, string LibraryMessage)>();
        Collect(results, failures);

        // A value of the wrong type fails its other keywords too (a number against an enum of words); the type says it best.
        var wrongType = failures.Where(f => f.Keyword == "type").Select(f => f.Pointer).ToHashSet(StringComparer.Ordinal);
        foreach (var (pointer, keyword, libraryMessage) in failures.Distinct())
        {
            if (keyword != "type" && wrongType.Contains(pointer))
            {
                continue;
            }

            Describe(root, map, errors, pointer, keyword, libraryMessage);
        }
    }

    private static void Collect(EvaluationResults node, List<(string, string, string)> failures)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            if (!Applicators.Contains(keyword))
            {
                failures.Add((node.InstanceLocation.ToString(), keyword, message));
            }
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, failures);
        }
    }

    private static void Describe(JsonNode? root, SourceMap map, ConfigErrorList errors, string pointer, string keyword, string libraryMessage)
    {
        var value = NodeAt(root, pointer);
        var schema = SchemaAt(pointer);
        var subject = Subject(pointer);
        switch (keyword)
        {
            case "":
            {
                // The false schema of additionalProperties: a field the format does not have.
                var name = PointerText.Segments(pointer)[^1];
                errors.Add(map, pointer, $"unknown field '{name}'{Suggestion(name, SchemaAt(PointerText.Parent(pointer)))}", atKey: true);
                return;
            }

            case "required":
                var present = value as JsonObject;
                foreach (var field in Keyword(schema, "required")?.AsArray().Select(f => f!.GetValue<string>()) ?? [])
                {
                    if (present is null || !present.ContainsKey(field))
                    {
                        errors.Add(map, pointer, $"missing required field '{field}'");
                    }
                }

                return;
            case "type":
                errors.Add(map, pointer, $"{subject} must be {ExpectedType(schema)}, is {Show(value)}");
                return;
            case "enum":
                errors.Add(map, pointer, $"{subject} must be one of {Join(Keyword(schema, "enum"))}, is {Show(value)}");
                return;
            case "const":
                errors.Add(map, pointer, $"{subject} must be {Show(Keyword(schema, "const"))}, is {Show(value)}");
                return;
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                errors.Add(map, pointer, $"{subject} must be {Bounds(schema)}, is {Show(value)}");
                return;
            case "minLength" when Number(Keyword(schema, "minLength")) == 1:
                errors.Add(map, pointer, $"{subject} must not be empty");
                return;
            case "minLength" or "maxLength":
                errors.Add(map, pointer, $"{subject} must have {Bounds(schema, "Length", "characters")}, has {(value as JsonValue)?.ToString().Length}");
                return;
            case "pattern":
                var expected = Keyword(schema, "patternErrorMessage")?.GetValue<string>() ?? $"text matching {Keyword(schema, "pattern")}";
                errors.Add(map, pointer, $"{subject} must be {expected}, is {Show(value)}");
                return;
            case "minItems" when Number(Keyword(schema, "minItems")) == 1:
                errors.Add(map, pointer, $"{subject} must list at least one entry");
                return;
            case "minItems" or "maxItems":
                errors.Add(map, pointer, $"{subject} must have {Bounds(schema, "Items", "entries")}, has {(value as JsonArray)?.Count}");
                return;
            case "uniqueItems":
                var twice = (value as JsonArray ?? []).GroupBy(v => v?.ToJsonString()).FirstOrDefault(g => g.Count() > 1)?.First();
                errors.Add(map, pointer, $"{subject} lists {Show(twice)} more than once");
                return;
            default:
                errors.Add(map, pointer, $"{subject}: {libraryMessage}");
                return;
        }
    }

    /// <summary>What a message calls the node: <c>'samplingIntervalMs'</c>, <c>an entry of 'days'</c>, <c>the document</c>.</summary>
    internal static string Subject(string pointer)
    {
        var segments = PointerText.Segments(pointer);
        if (segments.Count == 0)
        {
            return "the document";
        }

        var last = segments[^1];
        if (int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out _) && segments.Count > 1)
        {
            return $"an entry of '{segments[^2]}'";
        }

        return $"'{last}'";
    }

    /// <summary>A value as a message shows it: text quoted, numbers as written, nothing as "empty".</summary>
    internal static string Show(JsonNode? value) => value switch
    {
        null => "empty",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when JsonValues.Text(v) is { } text => $"'{text}'",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValues.Format(JsonValues.Number(v)!.Value),
        _ => value.ToJsonString(),
    };

    private static string Join(JsonNode? values) =>
        string.Join(", ", values?.AsArray().Select(v => JsonValues.Text(v) ?? v?.ToJsonString()) ?? []);

    private static string ExpectedType(JsonObject? schema)
    {
        var types = Keyword(schema, "type") switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        var fields = Keyword(schema, "properties") is JsonObject properties ? $" ({string.Join(", ", properties.Select(p => p.Key))})" : "";
        return string.Join(" or ", types.Select(t => t switch
        {
            "string" => "text",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "a mapping" + fields,
            "null" => "empty",
            _ => t,
        }));
    }

    private static string Bounds(JsonObject? schema)
    {
        var min = Number(Keyword(schema, "minimum"));
        var max = Number(Keyword(schema, "maximum"));
        var above = Number(Keyword(schema, "exclusiveMinimum"));
        var below = Number(Keyword(schema, "exclusiveMaximum"));
        var parts = new List<string>();
        if (min is { } a && max is { } b)
        {
            return $"between {Format(a)} and {Format(b)}";
        }

        if (min is { } low)
        {
            parts.Add($"at least {Format(low)}");
        }

        if (above is { } exclusiveLow)
        {
            parts.Add($"more than {Format(exclusiveLow)}");
        }

        if (max is { } high)
        {
            parts.Add($"at most {Format(high)}");
        }

        if (below is { } exclusiveHigh)
        {
            parts.Add($"less than {Format(exclusiveHigh)}");
        }

        return string.Join(" and ", parts);
    }

    private static string Bounds(JsonObject? schema, string what, string unit)
    {
        var min = Number(Keyword(schema, "min" + what));
        var max = Number(Keyword(schema, "max" + what));
        return (min, max) switch
        {
            ({ } a, { } b) => $"{Format(a)} to {Format(b)} {unit}",
            ({ } a, null) => $"at least {Format(a)} {unit}",
            (null, { } b) => $"at most {Format(b)} {unit}",
            _ => unit,
        };
    }

    private static string Format(double number) => JsonValues.Format(number);

    private static double? Number(JsonNode? node) => JsonValues.Number(node);

    /// <summary>" (did you mean 'unit'?)" for a near miss, else the fields that are allowed there.</summary>
    private static string Suggestion(string name, JsonObject? parentSchema)
    {
        if (Keyword(parentSchema, "properties") is not JsonObject properties || properties.Count == 0)
        {
            return "";
        }

        var allowed = properties.Select(p => p.Key).ToList();
        var closest = allowed
            .Select(a => (Name: a, Distance: Distance(name.ToLowerInvariant(), a.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .First();
        return closest.Distance <= Math.Max(2, closest.Name.Length / 3)
            ? $" (did you mean '{closest.Name}'?)"
            : $" (allowed here: {string.Join(", ", allowed)})";
    }

    /// <summary>Optimal string alignment distance: edits, with a swap of two neighbours counted as one typo.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>The node of the document at a pointer, or null.</summary>
    internal static JsonNode? NodeAt(JsonNode? root, string pointer)
    {
        var node = root;
        foreach (var segment in PointerText.Segments(pointer))
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>The subschema that applies to the node at a pointer, following properties, items and $ref.</summary>
    private static JsonObject? SchemaAt(string pointer)
    {
        JsonObject? schema = LazyDocument.Value;
        foreach (var segment in PointerText.Segments(pointer))
        {
            if (Keyword(schema, "properties") is JsonObject properties && properties[segment] is JsonObject property)
            {
                schema = property;
            }
            else if (Keyword(schema, "items") is JsonObject items && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                schema = items;
            }
            else
            {
                return null;
            }
        }

        return schema;
    }

    /// <summary>A keyword of a subschema, looked up through its $ref when the subschema itself does not have it.</summary>
    private static JsonNode? Keyword(JsonObject? schema, string keyword)
    {
        for (var depth = 0; schema is not null && depth < 8; depth++)
        {
            if (schema[keyword] is { } value)
            {
                return value;
            }

            schema = schema["$ref"] is JsonValue reference && reference.GetValue<string>() is var target && target.StartsWith("#/", StringComparison.Ordinal)
                ? NodeAt(LazyDocument.Value, Uri.UnescapeDataString(target[1..])) as JsonObject
                : null;
        }

        return null;
    }

    private static string ReadText()
    {
        using var stream = typeof(PlantSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The plant configuration schema is not embedded as {ResourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
