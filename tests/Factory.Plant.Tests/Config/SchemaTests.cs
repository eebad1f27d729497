using System.Text.Json;
using System.Text.Json.Nodes;
using Factory.Plant.Config;
using Factory.Plant.Model;
using Json.Schema;

namespace Factory.Plant.Tests.Config;

/// <summary>
/// The published schema (plant-config/plant.schema.json): a valid draft 2020-12 schema, the very
/// one the loader applies, accepting the sample, in step with the model's enums, and helpful in an editor.
/// </summary>
public sealed class SchemaTests
{
    private static readonly string Text = File.ReadAllText(Repository.Schema);

    private static JsonObject Document => (JsonObject)JsonNode.Parse(Text)!;

    [Fact]
    public void The_schema_file_is_a_valid_draft_2020_12_json_schema()
    {
        using var schema = JsonDocument.Parse(Text);

        var result = MetaSchemas.Draft202012.Evaluate(schema.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        result.IsValid.Should().BeTrue();
        Document["$schema"]!.GetValue<string>().Should().Be("https://json-schema.org/draft/2020-12/schema");
        Document["$id"]!.GetValue<string>().Should().StartWith("https://");
    }

    [Fact]
    public void The_loader_applies_the_published_schema_itself()
    {
        PlantConfigLoader.SchemaText.Should().Be(Text);
    }

    [Fact]
    public void The_sample_plant_validates_against_the_schema_on_its_own()
    {
        var errors = new ConfigErrorList(Repository.SamplePlant);
        var tree = YamlTreeReader.Read(File.ReadAllText(Repository.SamplePlant), errors);
        var schema = JsonSchema.FromText(Text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var instance = JsonDocument.Parse(tree.Root!.ToJsonString());

        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        errors.Count.Should().Be(0);
        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public void The_schema_enums_are_the_model_enums_in_kebab_case()
    {
        var defs = Document["$defs"]!;

        Enum(defs["machineType"]!["properties"]!["kind"]).Should().Equal(KebabCase.Names<MachineKind>());
        Enum(defs["machine"]!["properties"]!["criticality"]).Should().Equal(KebabCase.Names<Criticality>());
        Enum(defs["sensor"]!["properties"]!["signal"]).Should().Equal(KebabCase.Names<SignalKind>());
        Enum(defs["sensor"]!["properties"]!["features"]!["properties"]!["statistics"]!["items"]).Should().Equal(KebabCase.Names<FeatureStatistic>());
        Enum(defs["limit"]!["properties"]!["priority"]).Should().Equal(KebabCase.Names<AlarmPriority>());
        KebabCase.Names<MachineKind>().Should().Equal("cnc-spindle", "centrifugal-pump", "conveyor-drive", "hydraulic-press");
    }

    [Fact]
    public void Every_field_explains_itself_to_an_editor_and_refuses_unknown_fields()
    {
        var defs = (JsonObject)Document["$defs"]!;
        var objects = Objects(Document).ToList();

        objects.Should().NotBeEmpty();
        foreach (var (path, schema) in objects)
        {
            schema["additionalProperties"]!.GetValue<bool>().Should().BeFalse($"{path} refuses fields it does not know, so typos are caught");
            foreach (var (name, property) in schema["properties"]!.AsObject())
            {
                HasHelp(property!, defs).Should().BeTrue($"{path}/properties/{name} has a title or description an editor can show");
            }
        }
    }

    private static IEnumerable<string> Enum(JsonNode? schema) => schema!["enum"]!.AsArray().Select(v => v!.GetValue<string>());

    private static IEnumerable<(string Path, JsonObject Schema)> Objects(JsonNode? node, string path = "")
    {
        if (node is JsonObject o)
        {
            if (o["properties"] is JsonObject)
            {
                yield return (path, o);
            }

            foreach (var (key, child) in o)
            {
                foreach (var found in Objects(child, $"{path}/{key}"))
                {
                    yield return found;
                }
            }
        }
    }

    private static bool HasHelp(JsonNode property, JsonObject defs) =>
        property["title"] is not null || property["description"] is not null
        || (property["$ref"]?.GetValue<string>() is { } reference && HasHelp(defs[reference["#/$defs/".Length..]]!, defs));
}
