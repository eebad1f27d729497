using Factory.Plant.Config;
using Factory.Plant.Model;

namespace Factory.Plant.Tests.Config;

/// <summary>
/// The rules that need the whole document (endpoints, edge nodes, limits against the range,
/// deadband, shifts, time zone) and the conveniences of the format (defaults, anchors, x- fields).
/// </summary>
public sealed class PlantRulesTests
{
    private const string Sensor0 = "/site/areas/0/lines/0/machines/0/sensors/0";

    /// <summary>A second line for <see cref="Yaml.Smallest"/>, lines 24 to 37, with line-1's endpoint and edge node in it.</summary>
    private const string SecondLine = """

                - id: line-2
                  edgeNode: edge-1
                  opcUa: { endpoint: opc.tcp://localhost:4841 }
                  machines:
                    - id: pump-1
                      type: pump
                      criticality: low
                      sensors:
                        - id: temp
                          signal: bearing-temperature
                          nodeId: ns=2;s=line-2.pump-1.temp
                          unit: °C
                          range: { low: 0, high: 150 }
                          samplingIntervalMs: 1000
        """;

    [Fact]
    public void Two_lines_on_one_port_of_one_host_and_one_edge_node_for_two_lines_are_refused()
    {
        Yaml.Errors(Yaml.Smallest + SecondLine).Should().Equal(
            new ConfigError(Yaml.File, 25, 21, "/site/areas/0/lines/1/edgeNode", "edge node 'edge-1' already serves line 'line-1', also at line 10 (/site/areas/0/lines/0/edgeNode): each line has its own edge node"),
            new ConfigError(
                Yaml.File, 26, 30, "/site/areas/0/lines/1/opcUa/endpoint",
                "endpoint opc.tcp://localhost:4841 uses port 4841 on 127.0.0.1 like line 'line-1', also at line 11 (/site/areas/0/lines/0/opcUa/endpoint): each line needs its own OPC UA server, on its own port when on the same host"));
    }

    [Fact]
    public void Lines_with_their_own_ports_and_edge_nodes_load_with_default_names_and_nodes()
    {
        var yaml = Yaml.Smallest + SecondLine
            .Replace("edgeNode: edge-1", "edgeNode: edge-2", StringComparison.Ordinal)
            .Replace("localhost:4841", "localhost:4842", StringComparison.Ordinal);

        var plant = PlantConfigLoader.Parse(yaml, Yaml.File);

        plant.Lines.Select(l => (l.Name, l.OpcUaPort)).Should().Equal(("line-1", 4841), ("line-2", 4842));
        var machine = plant.Line("line-2").Machines.Single();
        machine.Name.Should().Be("pump-1", "a name defaults to the id");
        machine.StatusNodeId.Should().Be("ns=2;s=line-2.pump-1.status");
        machine.MaintenanceNodeId.Should().Be("ns=2;s=line-2.pump-1.maintenance");
        machine.Sensors.Single().Limits.Should().BeNull();
        machine.Sensors.Single().Features.Should().BeNull();
        plant.Line("line-1").Machines.Single().Sensors.Single().Limits.Should().Be(
            new LimitAlarms(new LimitLevel(95, null), new LimitLevel(80, null), null, null, Deadband: 0, OnDelayMs: 0, OffDelayMs: 0));
        plant.Line("line-1").Shifts.Should().BeEmpty();
    }

    [Fact]
    public void Crews_and_maintenance_tasks_load_and_a_skill_no_crew_has_a_repeated_task_and_a_repeated_crew_are_refused()
    {
        const string Types = "  - { id: pump, kind: centrifugal-pump }\n";
        var good = Yaml.Smallest.Replace(Types, """
              - id: pump
                kind: centrifugal-pump
                maintenanceTasks:
                  - { id: replace-bearing, name: Replace the bearings, hours: 4, skill: mechanical, parts: [bearing set] }
                  - { id: rewind-motor, hours: 8.5, skill: electrical }
            crews:
              - { id: mech-a, name: Mechanical crew A, skills: [mechanical] }
              - { id: elec, skills: [electrical, mechanical] }

            """, StringComparison.Ordinal);
        good.Should().NotBe(Yaml.Smallest);

        var plant = PlantConfigLoader.Parse(good, Yaml.File);
        plant.Crews.Should().BeEquivalentTo([new Crew("mech-a", "Mechanical crew A", ["mechanical"]), new Crew("elec", "elec", ["electrical", "mechanical"])]);
        plant.MachineTypes[0].MaintenanceTasks.Should().BeEquivalentTo(
            [new MaintenanceTask("replace-bearing", "Replace the bearings", 4, "mechanical", ["bearing set"]), new MaintenanceTask("rewind-motor", "rewind-motor", 8.5, "electrical", [])]);
        PlantConfigLoader.Parse(Yaml.Smallest, Yaml.File).Crews.Should().BeEmpty("crews are optional");

        var bad = good
            .Replace("hours: 8.5, skill: electrical", "hours: 8.5, skill: pneumatic", StringComparison.Ordinal)
            .Replace("- { id: rewind-motor", "- { id: replace-bearing", StringComparison.Ordinal)
            .Replace("- { id: elec,", "- { id: mech-a,", StringComparison.Ordinal);
        Yaml.Errors(bad).Select(e => (e.Path, e.Message)).Should().BeEquivalentTo(
        [
            ("/crews/1/id", "crew id 'mech-a' is used twice: also at line 9 (/crews/0/id)"),
            ("/machineTypes/0/maintenanceTasks/1/id", "maintenance task id 'replace-bearing' is used twice of machine type 'pump': also at line 6 (/machineTypes/0/maintenanceTasks/0/id)"),
            ("/machineTypes/0/maintenanceTasks/1/skill", "no crew has skill 'pneumatic' (the crews' skills: electrical, mechanical)"),
        ]);
    }

    [Fact]
    public void A_port_that_is_no_tcp_port_is_refused()
    {
        var yaml = Yaml.Smallest.Replace("127.0.0.1:4841", "127.0.0.1:70000", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 11, 30, "/site/areas/0/lines/0/opcUa/endpoint", "port 70000 of endpoint opc.tcp://127.0.0.1:70000 is not a TCP port (1 to 65535)"));
    }

    [Fact]
    public void An_endpoint_that_is_not_opc_tcp_says_what_one_looks_like()
    {
        var yaml = Yaml.Smallest.Replace("opc.tcp://127.0.0.1:4841", "http://127.0.0.1:4841", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 11, 30, "/site/areas/0/lines/0/opcUa/endpoint",
            "'endpoint' must be an OPC UA TCP address such as opc.tcp://127.0.0.1:4841, is 'http://127.0.0.1:4841'"));
    }

    [Fact]
    public void Limits_outside_the_engineering_range_are_refused()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { l: -5, h: 80, hh: 160 }", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(
            new ConfigError(Yaml.File, 23, 32, Sensor0 + "/limits/l", "limit l (-5) lies outside the engineering range 0 to 150"),
            new ConfigError(Yaml.File, 23, 47, Sensor0 + "/limits/hh", "limit hh (160) lies outside the engineering range 0 to 150"));
    }

    [Fact]
    public void A_deadband_as_wide_as_the_gap_between_two_limits_is_refused()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { h: 80, hh: 85, deadband: 5 }", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 23, 54, Sensor0 + "/limits/deadband", "deadband (5) must be smaller than the gap between h (80) and hh (85)"));
    }

    [Fact]
    public void A_negative_deadband_is_refused_by_the_schema()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { h: 80, hh: 95, deadband: -1 }", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().ContainSingle().Which.Message.Should().Be("'deadband' must be at least 0, is -1");
    }

    [Fact]
    public void Limits_without_any_limit_are_refused()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { deadband: 1 }", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 23, 19, Sensor0 + "/limits", "limits has no limit: give at least one of hh, h, l, ll"));
    }

    [Fact]
    public void A_limit_with_a_priority_is_a_mapping_of_value_and_priority()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { h: 80, hh: { value: 95, priority: urgent }, onDelayMs: 500 }", StringComparison.Ordinal);

        var limits = PlantConfigLoader.Parse(yaml, Yaml.File).Machines.Single().Sensors.Single().Limits!;

        limits.HighHigh.Should().Be(new LimitLevel(95, AlarmPriority.Urgent));
        limits.High.Should().Be(new LimitLevel(80, null));
        limits.OnDelayMs.Should().Be(500);
    }

    [Fact]
    public void A_limit_of_the_wrong_shape_or_priority_is_named()
    {
        var yaml = Yaml.Smallest.Replace("limits: { h: 80, hh: 95 }", "limits: { h: high, hh: { value: 95, priority: severe } }", StringComparison.Ordinal);

        Yaml.Errors(yaml).Select(e => (e.Path, e.Message)).Should().Equal(
            (Sensor0 + "/limits/h", "'h' must be a number or a mapping (value, priority), is 'high'"),
            (Sensor0 + "/limits/hh/priority", "'priority' must be one of low, medium, high, urgent, is 'severe'"));
    }

    [Fact]
    public void An_engineering_range_upside_down_is_refused()
    {
        var yaml = Yaml.Smallest
            .Replace("range: { low: 0, high: 150 }", "range: { low: 150, high: 0 }", StringComparison.Ordinal)
            .Replace("                  limits: { h: 80, hh: 95 }\n", "", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(Yaml.File, 21, 19, Sensor0 + "/range", "range low (150) must be below high (0)"));
    }

    [Fact]
    public void A_feature_window_shorter_than_two_samples_is_refused()
    {
        var yaml = Yaml.Smallest.Replace(
            "                  limits: { h: 80, hh: 95 }",
            "                  features: { windowSeconds: 1, statistics: [mean, kurtosis] }",
            StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 23, 46, Sensor0 + "/features/windowSeconds", "a window of 1 s holds fewer than 2 samples at a sampling interval of 1000 ms"));
    }

    [Fact]
    public void Shifts_need_valid_times_distinct_ends_known_days_and_their_own_names()
    {
        var yaml = Yaml.Smallest.Replace("          machines:", """
                      shifts:
                        - { name: early, start: "06:00", end: "06:00", days: [mon, tue] }
                        - { name: late, start: "14:00", end: "24:00", days: [monday] }
                        - { name: early, start: "22:00", end: "06:00", days: [sun] }
                      machines:
            """, StringComparison.Ordinal);

        Yaml.Errors(yaml).Select(e => (e.Line, e.Path, e.Message)).Should().Equal(
            (13, "/site/areas/0/lines/0/shifts/0/end", "shift 'early' starts and ends at 06:00: a shift needs an end other than its start"),
            (14, "/site/areas/0/lines/0/shifts/1/end", "'end' must be a time of day as HH:MM, 00:00 to 23:59 (quote it: \"06:00\"), is '24:00'"),
            (14, "/site/areas/0/lines/0/shifts/1/days/0", "an entry of 'days' must be one of mon, tue, wed, thu, fri, sat, sun, is 'monday'"),
            (15, "/site/areas/0/lines/0/shifts/2/name", "shift 'early' is listed twice in line 'line-1': also at line 13 (/site/areas/0/lines/0/shifts/0/name)"));
    }

    [Fact]
    public void Shifts_past_midnight_load_with_their_days()
    {
        var yaml = Yaml.Smallest.Replace("          machines:", """
                      shifts:
                        - { name: night, start: "22:00", end: "06:00", days: [fri, sat] }
                      machines:
            """, StringComparison.Ordinal);

        var shift = PlantConfigLoader.Parse(yaml, Yaml.File).Lines.Single().Shifts.Single();

        shift.Should().BeEquivalentTo(new Shift("night", new TimeOnly(22, 0), new TimeOnly(6, 0), [DayOfWeek.Friday, DayOfWeek.Saturday]));
    }

    [Fact]
    public void An_unknown_time_zone_is_refused()
    {
        var yaml = Yaml.Smallest.Replace("  id: plant\n", "  id: plant\n  timeZone: Europe/Berln\n", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 6, 13, "/site/timeZone", "unknown time zone 'Europe/Berln': use an IANA name such as Europe/Berlin or UTC"));
    }

    [Fact]
    public void Ids_must_be_kebab_case_and_node_ids_opc_ua_node_ids()
    {
        var yaml = Yaml.Smallest
            .Replace("- id: pump-1", "- id: Pump_1", StringComparison.Ordinal)
            .Replace("nodeId: ns=2;s=line-1.pump-1.temp", "nodeId: line-1.pump-1.temp", StringComparison.Ordinal);

        Yaml.Errors(yaml).Select(e => (e.Line, e.Message)).Should().Equal(
            (13, "'id' must be lower-case kebab-case: letters a-z, digits and single '-' between them, starting with a letter (e.g. line-1, cnc-01), is 'Pump_1'"),
            (19, "'nodeId' must be an OPC UA node id such as ns=2;s=line-1.cnc-01.spindle-vibration-rms or ns=2;i=1001, is 'line-1.pump-1.temp'"));
    }

    [Fact]
    public void Explicit_status_and_maintenance_nodes_replace_the_defaults_and_count_as_node_ids()
    {
        var yaml = Yaml.Smallest.Replace(
            "              criticality: high\n",
            "              criticality: high\n              opcUa: { statusNode: ns=2;s=PLC1.Pump1.State, maintenanceNode: ns=2;s=line-1.pump-1.temp }\n",
            StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(
            Yaml.File, 20, 27, Sensor0 + "/nodeId",
            "node id ns=2;s=line-1.pump-1.temp is used twice: also at line 16 (/site/areas/0/lines/0/machines/0/opcUa/maintenanceNode)"));
        var fixedYaml = yaml.Replace("maintenanceNode: ns=2;s=line-1.pump-1.temp", "maintenanceNode: ns=2;s=PLC1.Pump1.Service", StringComparison.Ordinal);
        var machine = PlantConfigLoader.Parse(fixedYaml, Yaml.File).Machines.Single();
        (machine.StatusNodeId, machine.MaintenanceNodeId).Should().Be(("ns=2;s=PLC1.Pump1.State", "ns=2;s=PLC1.Pump1.Service"));
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_share_settings_and_x_fields_are_ignored()
    {
        var yaml = Yaml.Smallest
            .Replace("schemaVersion: 1\n", "schemaVersion: 1\nx-shared:\n  temp: &temp { signal: bearing-temperature, unit: °C, range: { low: 0, high: 150 }, samplingIntervalMs: 1000 }\n  limits: &limits { h: 80, hh: 95, deadband: 2 }\n", StringComparison.Ordinal)
            .Replace("""
                                  signal: bearing-temperature
                                  nodeId: ns=2;s=line-1.pump-1.temp
                                  unit: °C
                                  range: { low: 0, high: 150 }
                                  samplingIntervalMs: 1000
                                  limits: { h: 80, hh: 95 }
                """, """
                                  <<: *temp
                                  nodeId: ns=2;s=line-1.pump-1.temp
                                  limits: *limits
                                - id: temp-2
                                  <<: *temp
                                  samplingIntervalMs: 500
                                  nodeId: ns=2;s=line-1.pump-1.temp-2
                """, StringComparison.Ordinal);

        var sensors = PlantConfigLoader.Parse(yaml, Yaml.File).Machines.Single().Sensors;

        sensors.Select(s => (s.Id, s.Signal, s.Unit, s.SamplingIntervalMs)).Should().Equal(
            ("temp", SignalKind.BearingTemperature, "°C", 1000),
            ("temp-2", SignalKind.BearingTemperature, "°C", 500));
        sensors[0].Limits!.Deadband.Should().Be(2);
    }

    [Fact]
    public void An_error_in_shared_settings_points_at_the_anchor_where_it_is_written()
    {
        var yaml = Yaml.Smallest
            .Replace("schemaVersion: 1\n", "schemaVersion: 1\nx-limits:\n  temp: &temp-limits { h: 95, hh: 90 }\n", StringComparison.Ordinal)
            .Replace("limits: { h: 80, hh: 95 }", "limits: *temp-limits", StringComparison.Ordinal);

        Yaml.Errors(yaml).Should().Equal(new ConfigError(Yaml.File, 3, 27, Sensor0 + "/limits/h", "limit h (95) must be below hh (90)"));
    }

    [Fact]
    public void A_json_file_with_the_same_fields_loads_too()
    {
        const string Json = """
            {
              "schemaVersion": 1,
              "machineTypes": [{ "id": "pump", "kind": "centrifugal-pump" }],
              "site": { "id": "plant", "areas": [{ "id": "utilities", "lines": [{
                "id": "line-1", "edgeNode": "edge-1", "opcUa": { "endpoint": "opc.tcp://127.0.0.1:4841" },
                "machines": [{ "id": "pump-1", "type": "pump", "criticality": "high", "sensors": [{
                  "id": "flow", "signal": "flow", "nodeId": "ns=2;s=line-1.pump-1.flow", "unit": "m³/h",
                  "range": { "low": 0, "high": 200 }, "samplingIntervalMs": 500 }] }] }] }] }
            }
            """;

        PlantConfigLoader.Parse(Json, "plant.json").Machines.Single().Sensors.Single().Unit.Should().Be("m³/h");
    }

    [Fact]
    public void Yaml_words_that_older_parsers_turn_into_booleans_stay_text()
    {
        var yaml = Yaml.Smallest.Replace("  id: plant\n", "  id: plant\n  name: no\n", StringComparison.Ordinal);

        PlantConfigLoader.Parse(yaml, Yaml.File).Site.Name.Should().Be("no");
    }
}
