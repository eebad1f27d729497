using Factory.Plant.Config;

namespace Factory.Plant.Tests.Config;

/// <summary>
/// What a plant engineer sees for each kind of mistake: the file, the exact line and column, the
/// path in the document, and a message naming the field. The fixtures are the smallest plant
/// that loads (<see cref="Yaml.Smallest"/>) with one thing changed; line numbers count from its first line.
/// </summary>
public sealed class ValidationErrorTests
{
    private const string Sensor0 = "/site/areas/0/lines/0/machines/0/sensors/0";

    [Fact]
    public void The_smallest_plant_loads()
    {
        var plant = PlantConfigLoader.Parse(Yaml.Smallest, Yaml.File);

        plant.Machines.Should().ContainSingle().Which.Sensors.Should().ContainSingle();
    }

    [Fact]
    public void A_machine_id_used_twice_in_a_line_is_reported_at_the_second_naming_the_first()
    {
        var errors = Yaml.Errors(Yaml.Smallest + """

                        - id: pump-1
                          type: pump
                          criticality: low
                          sensors:
                            - id: temp
                              signal: bearing-temperature
                              nodeId: ns=2;s=line-1.pump-2.temp
                              unit: °C
                              range: { low: 0, high: 150 }
                              samplingIntervalMs: 1000
            """);

        errors.Should().Equal(new ConfigError(
            Yaml.File, 24, 19, "/site/areas/0/lines/0/machines/1/id",
            "machine id 'pump-1' is used twice in line 'line-1': also at line 13 (/site/areas/0/lines/0/machines/0/id)"));
    }

    [Fact]
    public void A_machine_type_that_is_not_declared_is_reported_with_the_declared_ones()
    {
        var yaml = Yaml.Smallest
            .Replace("  - { id: pump, kind: centrifugal-pump }", "  - { id: pump, kind: centrifugal-pump }\n  - { id: press, kind: hydraulic-press }", StringComparison.Ordinal)
            .Replace("type: pump", "type: cnc", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 15, 21, "/site/areas/0/lines/0/machines/0/type",
            "machine type 'cnc' is not declared in machineTypes (declared: pump, press)"));
    }

    [Fact]
    public void A_missing_required_field_is_reported_at_the_entry_that_lacks_it()
    {
        var yaml = Yaml.Smallest.Replace("                  nodeId: ns=2;s=line-1.pump-1.temp\n", "", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(Yaml.File, 17, 19, Sensor0, "missing required field 'nodeId'"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_field_the_type_and_the_value()
    {
        var yaml = Yaml.Smallest
            .Replace("samplingIntervalMs: 1000", "samplingIntervalMs: fast", StringComparison.Ordinal)
            .Replace("range: { low: 0, high: 150 }", "range: 150", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(
            new ConfigError(Yaml.File, 21, 26, Sensor0 + "/range", "'range' must be a mapping (low, high), is 150"),
            new ConfigError(Yaml.File, 22, 39, Sensor0 + "/samplingIntervalMs", "'samplingIntervalMs' must be a whole number, is 'fast'"));
    }

    [Fact]
    public void A_node_id_used_twice_is_reported_at_the_second_naming_the_first()
    {
        var errors = Yaml.Errors(Yaml.Smallest + """

                            - id: temp-2
                              signal: bearing-temperature
                              nodeId: ns=2;s=line-1.pump-1.temp
                              unit: °C
                              range: { low: 0, high: 150 }
                              samplingIntervalMs: 1000
            """);

        errors.Should().Equal(new ConfigError(
            Yaml.File, 26, 27, "/site/areas/0/lines/0/machines/0/sensors/1/nodeId",
            $"node id ns=2;s=line-1.pump-1.temp is used twice: also at line 19 ({Sensor0}/nodeId)"));
    }

    [Fact]
    public void A_default_status_node_taken_by_a_sensor_is_a_node_id_used_twice()
    {
        var yaml = Yaml.Smallest.Replace("nodeId: ns=2;s=line-1.pump-1.temp", "nodeId: ns=2;s=line-1.pump-1.status", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 19, 27, Sensor0 + "/nodeId",
            "node id ns=2;s=line-1.pump-1.status is used twice: also at line 13 (/site/areas/0/lines/0/machines/0)"));
    }

    [Fact]
    public void A_high_limit_above_the_high_high_limit_is_reported_at_the_high_limit()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { h: 95, hh: 90 }", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(Yaml.File, 23, 32, Sensor0 + "/limits/h", "limit h (95) must be below hh (90)"));
    }

    [Fact]
    public void A_sampling_interval_out_of_range_names_the_range_and_the_value()
    {
        var yaml = Yaml.Smallest.Replace("samplingIntervalMs: 1000", "samplingIntervalMs: 5", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 22, 39, Sensor0 + "/samplingIntervalMs", "'samplingIntervalMs' must be between 10 and 60000, is 5"));
    }

    [Fact]
    public void Several_errors_are_all_reported_at_once_in_document_order()
    {
        var yaml = Yaml.Smallest
            .Replace("schemaVersion: 1", "schemaVersion: 2", StringComparison.Ordinal)
            .Replace("type: pump", "type: cnc", StringComparison.Ordinal)
            .Replace("criticality: high", "criticality: severe", StringComparison.Ordinal)
            .Replace("samplingIntervalMs: 1000", "samplingIntervalMs: 5", StringComparison.Ordinal)
            .Replace("limits: { h: 80, hh: 95 }", "limits: { h: 95, hh: 90 }", StringComparison.Ordinal);

        var errors = Yaml.Errors(yaml);

        errors.Select(e => (e.Line, e.Message)).Should().Equal(
            (1, "'schemaVersion' must be 1, is 2"),
            (14, "machine type 'cnc' is not declared in machineTypes (declared: pump)"),
            (15, "'criticality' must be one of low, medium, high, critical, is 'severe'"),
            (22, "'samplingIntervalMs' must be between 10 and 60000, is 5"),
            (23, "limit h (95) must be below hh (90)"));
        errors.Should().OnlyContain(e => e.File == Yaml.File);
    }

    [Fact]
    public void A_misspelt_field_is_an_unknown_field_with_a_suggestion()
    {
        var yaml = Yaml.Smallest.Replace("unit: °C", "unti: °C", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(
            new ConfigError(Yaml.File, 17, 19, Sensor0, "missing required field 'unit'"),
            new ConfigError(Yaml.File, 20, 19, Sensor0 + "/unti", "unknown field 'unti' (did you mean 'unit'?)"));
    }

    [Fact]
    public void An_unknown_field_far_from_any_known_one_lists_the_fields_allowed_there()
    {
        var yaml = Yaml.Smallest.Replace("  id: plant\n", "  id: plant\n  owner: maintenance\n", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 6, 3, "/site/owner", "unknown field 'owner' (allowed here: id, name, timeZone, areas)"));
    }

    [Fact]
    public void A_yaml_syntax_error_names_line_and_column_instead_of_throwing_a_parser_exception()
    {
        var yaml = Yaml.Smallest.Replace("                  unit: °C", "                 unit: °C", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 20, 18, Sensor0, "YAML syntax error: while parsing a block collection, did not find expected '-' indicator (check the indentation of this line)"));
    }

    [Fact]
    public void A_bracket_that_is_never_closed_is_reported_where_it_opens()
    {
        var yaml = Yaml.Smallest.Replace("range: { low: 0, high: 150 }", "range: { low: 0, high: 150", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 21, 26, Sensor0 + "/range", "YAML syntax error: the '{' opened here is not closed (or a ',' is missing inside it)"));
    }

    [Fact]
    public void A_field_written_twice_in_one_mapping_is_reported_and_the_first_value_kept()
    {
        var yaml = Yaml.Smallest.Replace("                  unit: °C\n", "                  unit: °C\n                  unit: K\n", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 21, 19, Sensor0 + "/unit", "field 'unit' appears twice in this mapping: first at line 20; the second is ignored"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void An_empty_file_says_what_a_plant_configuration_needs(string yaml)
    {
        Yaml.Errors(yaml).Should().ContainSingle().Which.Message.Should().Contain("the file is empty").And.Contain("schemaVersion, machineTypes and site");
    }

    [Fact]
    public void A_missing_file_is_named_with_where_it_was_looked_for()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-plant-{Guid.NewGuid():N}.yaml");

        var act = () => PlantConfigLoader.Load(path);

        var error = act.Should().Throw<PlantConfigException>().Which.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be(path);
        error.Message.Should().Be($"file not found (looked for {path})");
        error.ToString().Should().Be($"{path}: file not found (looked for {path})");
    }

    [Fact]
    public void The_exception_message_lists_every_error_in_compiler_format()
    {
        var yaml = Yaml.Smallest
            .Replace("criticality: high", "criticality: severe", StringComparison.Ordinal)
            .Replace("samplingIntervalMs: 1000", "samplingIntervalMs: 5", StringComparison.Ordinal);

        var act = () => PlantConfigLoader.Parse(yaml, Yaml.File);

        act.Should().Throw<PlantConfigException>().WithMessage(
            "plant.yaml is not a valid plant configuration (2 errors):*" +
            "  plant.yaml:15:28: /site/areas/0/lines/0/machines/0/criticality: 'criticality' must be one of low, medium, high, critical, is 'severe'*" +
            $"  plant.yaml:22:39: {Sensor0}/samplingIntervalMs: 'samplingIntervalMs' must be between 10 and 60000, is 5");
    }
}
