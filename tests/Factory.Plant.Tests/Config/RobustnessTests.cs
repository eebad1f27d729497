using Factory.Plant.Config;

namespace Factory.Plant.Tests.Config;

/// <summary>
/// Whatever is in the file, the loader answers with a plant or with errors that name a place,
/// never with another exception: each line of the smallest plant removed, or its value replaced
/// by something of another shape.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly string[] Lines = Yaml.Smallest.Split('\n');

    public static TheoryData<int> LineNumbers => [.. Enumerable.Range(0, Lines.Length)];

    [Theory]
    [MemberData(nameof(LineNumbers))]
    public void Any_line_removed_gives_a_plant_or_placed_errors(int index)
    {
        AssertPlantOrPlacedErrors(string.Join('\n', Lines.Where((_, i) => i != index)));
    }

    [Theory]
    [MemberData(nameof(LineNumbers))]
    public void Any_value_of_another_shape_gives_placed_errors(int index)
    {
        foreach (var replacement in new[] { "[1, 2]", "{ a: 1 }", "", "~", "-1", "'x'", "1e400", ".nan", "true", "*nowhere" })
        {
            var line = Lines[index];
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var changed = Lines.ToArray();
            changed[index] = line[..(colon + 2)] + replacement;
            AssertPlantOrPlacedErrors(string.Join('\n', changed));
        }
    }

    [Theory]
    [InlineData("- a\n- b\n", "the document must be a mapping (schemaVersion, machineTypes, crews, site), is a list")]
    [InlineData("plant\n", "the document must be a mapping (schemaVersion, machineTypes, crews, site), is 'plant'")]
    public void A_document_that_is_no_mapping_says_what_it_must_be(string yaml, string message)
    {
        Yaml.Errors(yaml).Should().Equal(new ConfigError(Yaml.File, 1, 1, "/", message));
    }

    [Fact]
    public void A_second_yaml_document_in_the_file_is_refused()
    {
        Yaml.Errors(Yaml.Smallest + "\n---\nschemaVersion: 1\n").Should().Equal(new ConfigError(
            Yaml.File, 24, 1, "/", "a plant configuration file holds one YAML document, but a second one starts here ('---')"));
    }

    private static void AssertPlantOrPlacedErrors(string yaml)
    {
        try
        {
            PlantConfigLoader.Parse(yaml, Yaml.File);
        }
        catch (PlantConfigException e)
        {
            e.Errors.Should().NotBeEmpty().And.OnlyContain(error => error.Line > 0 && error.Column > 0 && error.Path.StartsWith('/') && error.Message.Length > 0, yaml);
        }
    }
}
