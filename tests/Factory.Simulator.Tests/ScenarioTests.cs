using Factory.Simulator.Faults;
using Factory.Simulator.Physics;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>Scripted faults from scenario files and the command line: parsed, checked against the plant, and seen in the data when they should.</summary>
public sealed class ScenarioTests
{
    private static readonly Factory.Plant.Model.PlantConfig Plant = TestPlant.Create(2);

    [Fact]
    public void A_scenario_file_names_machines_processes_and_durations()
    {
        var scenario = FaultScenario.Parse(
            """
            description: The spindle bearing of cnc-1 wears out.
            random-faults: false
            faults:
              - machine: line-1/cnc-1
                process: bearing-wear
                start: 2m
                fail: 20m
              - { machine: line-2/pump-1, process: cavitation, start: 1h30m, fail: 2d }
            """,
            "scenarios/test.yaml",
            Plant);

        scenario.Description.Should().Be("The spindle bearing of cnc-1 wears out.");
        scenario.RandomFaults.Should().BeFalse();
        scenario.Faults.Should().Equal(
            new FaultInjection("line-1", "cnc-1", "bearing-wear", TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(20), "scenarios/test.yaml:4"),
            new FaultInjection("line-2", "pump-1", "cavitation", TimeSpan.FromMinutes(90), TimeSpan.FromDays(2), "scenarios/test.yaml:8"));
    }

    [Fact]
    public void Every_mistake_in_a_scenario_is_reported_with_its_file_line_and_column()
    {
        var act = () => FaultScenario.Parse(
            """
            faults:
              - machine: line-1/cnc-9
                process: bearing-wear
                fail: 20m
              - machine: line-1/cnc-1
                process: cavitation
                fail: 20m
              - machine: line-1/pump-1
                process: cavitation
                start: soon
                fail: 20
              - machine: line-1/pump-1
                proces: cavitation
            """,
            "scenarios/broken.yaml",
            Plant);

        var errors = act.Should().Throw<ScenarioException>().Which.Errors;
        errors.Select(e => e.ToString()).Should().Equal(
            "scenarios/broken.yaml:2:14: line line-1 has no machine 'cnc-9' (machines: cnc-1, pump-1, conveyor-1, press-1)",
            "scenarios/broken.yaml:6:14: a CncSpindle has no degradation process 'cavitation' (it has bearing-wear, misalignment, winding-insulation)",
            "scenarios/broken.yaml:10:12: start: 'soon' is not a duration: expected a number at position 1 (examples: 90s, 2m, 1h30m, 3d, 2w, 500ms)",
            "scenarios/broken.yaml:11:11: fail: '20' has no unit: write e.g. 20s or 20m (units: ms, s, m, h, d, w)",
            "scenarios/broken.yaml:13:5: unknown key 'proces' in a fault (known: machine, process, start, fail)",
            "scenarios/broken.yaml:12:5: the fault has no 'process'",
            "scenarios/broken.yaml:12:5: the fault has no 'fail'");
    }

    [Fact]
    public void A_scenario_that_is_not_yaml_is_reported_where_it_breaks()
    {
        var act = () => FaultScenario.Parse("faults:\n  - machine: [line-1\n", "x.yaml", Plant);

        act.Should().Throw<ScenarioException>().Which.Errors.Single().Line.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("line-1/cnc-1:bearing-wear:start=2m:fail=20m", "line-1", "cnc-1", "bearing-wear", 120, 1200)]
    [InlineData("line-2/press-1:seal-wear:fail=1h", "line-2", "press-1", "seal-wear", 0, 3600)]
    [InlineData("line-1/pump-1:cavitation:fail=1d:start=1h30m", "line-1", "pump-1", "cavitation", 5400, 86400)]
    public void A_fault_on_the_command_line_is_read(string text, string line, string machine, string process, int startSeconds, int failSeconds)
    {
        var fault = FaultSpec.Parse(text, Plant);

        fault.Should().Be(new FaultInjection(line, machine, process, TimeSpan.FromSeconds(startSeconds), TimeSpan.FromSeconds(failSeconds), $"--fault '{text}'"));
    }

    [Theory]
    [InlineData("line-1/cnc-1:bearing-wear", "fail=<duration> is needed")]
    [InlineData("cnc-1:bearing-wear:fail=2m", "is not <line>/<machine>")]
    [InlineData("line-7/cnc-1:bearing-wear:fail=2m", "the plant has no line 'line-7' (lines: line-1, line-2)")]
    [InlineData("line-1/cnc-1:belt-wear:fail=2m", "a CncSpindle has no degradation process 'belt-wear'")]
    [InlineData("line-1/cnc-1:bearing-wear:start=2x:fail=2m", "start: '2x' has an unknown unit")]
    [InlineData("line-1/cnc-1:bearing-wear:fail=2m:when=now", "'when=now' is neither start=<duration> nor fail=<duration>")]
    public void A_wrong_fault_on_the_command_line_says_what_is_wrong(string text, string message)
    {
        var act = () => FaultSpec.Parse(text, Plant);

        act.Should().Throw<ScenarioException>().Which.Message.Should().Contain($"--fault '{text}'").And.Contain(message);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("3d", 259_200)]
    [InlineData("2w", 1_209_600)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    public void Durations_are_read_as_people_write_them(string text, double seconds)
    {
        SimulationDuration.Parse(text).Should().Be(TimeSpan.FromSeconds(seconds));
        SimulationDuration.Parse(SimulationDuration.Format(TimeSpan.FromSeconds(seconds))).Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void A_scenario_fault_appears_in_the_data_at_its_time_and_not_before()
    {
        var scenario = FaultScenario.Parse(
            """
            random-faults: false
            faults:
              - { machine: line-1/cnc-1, process: bearing-wear, start: 2h, fail: 20h }
            """,
            "scenario.yaml",
            Plant);
        var simulation = new PlantSimulation(Plant, new SimulationOptions { Seed = 9, RandomFaults = scenario.RandomFaults ?? true, Faults = scenario.Faults });
        var cnc = simulation.Machine("line-1", "cnc-1");
        var onset = simulation.Start + TimeSpan.FromHours(2);

        var samples = Recording.Record(cnc, simulation.Start + TimeSpan.FromHours(23), TimeSpan.FromMinutes(1));

        samples.Where(s => s.Time <= onset).Should().OnlyContain(s => s.Health["bearing-wear"] == 1);
        samples.Where(s => s.Time > onset).Should().OnlyContain(s => s.Health["bearing-wear"] < 1);
        var running = samples.Where(s => s["spindle-speed"] > 100).ToList();
        var before = running.Where(s => s.Time <= onset).Select(s => s["spindle-vibration-rms"]).ToList();
        var late = running.Where(s => s.Time > onset + TimeSpan.FromHours(17) && s.State == OperatingState.Running).Select(s => s["spindle-vibration-rms"]).ToList();
        late.Mean().Should().BeGreaterThan(2 * before.Mean());
        samples.First(s => s.State == OperatingState.Failed).Time.Should().Be(onset + TimeSpan.FromHours(20));
        simulation.Lines[0].TakeEvents().Where(e => e.MachineId == "cnc-1").Select(e => (e.Kind, e.Time)).Should().Equal(
            (SimulationEventKind.FaultOnset, onset),
            (SimulationEventKind.Failure, onset + TimeSpan.FromHours(20)));
    }
}
