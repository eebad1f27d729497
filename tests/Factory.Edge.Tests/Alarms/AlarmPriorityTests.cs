using Factory.Edge.Alarms;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Plant.Config;
using Factory.Plant.Model;

namespace Factory.Edge.Tests.Alarms;

/// <summary>The priority matrix (severity × machine criticality), the configured priority winning, and the alarms of the sample plant.</summary>
public sealed class AlarmPriorityTests
{
    /// <summary>Rows: what raised it; columns: machine criticality low, medium, high, critical.</summary>
    [Theory]
    [InlineData(AlarmKind.HighHigh, "Medium Medium High Urgent")]
    [InlineData(AlarmKind.LowLow, "Medium Medium High Urgent")]
    [InlineData(AlarmKind.High, "Low Low Medium High")]
    [InlineData(AlarmKind.Low, "Low Low Medium High")]
    [InlineData(AlarmKind.StaleData, "Low Low Medium High")]
    [InlineData(AlarmKind.Anomaly, "Low Low Low Medium")]
    public void The_priority_follows_the_matrix_of_severity_and_machine_criticality(AlarmKind kind, string row)
    {
        var expected = row.Split(' ').Select(Enum.Parse<AlarmPriority>);

        Enum.GetValues<Criticality>().Select(c => AlarmPriorityPolicy.For(kind, c)).Should().Equal(expected);
    }

    [Fact]
    public void A_priority_configured_on_the_limit_wins_over_the_matrix()
    {
        AlarmPriorityPolicy.For(AlarmKind.High, Criticality.Low, AlarmPriority.Urgent).Should().Be(AlarmPriority.Urgent);
        AlarmPriorityPolicy.For(AlarmKind.HighHigh, Criticality.Critical, AlarmPriority.Low).Should().Be(AlarmPriority.Low);
    }

    [Fact]
    public void The_sample_plant_line_1_defines_an_alarm_per_limit_and_per_machine_with_its_priority()
    {
        var plant = PlantConfigLoader.Load(Repository.SamplePlant);
        var catalog = AlarmCatalog.For(plant.Line("line-1"));

        catalog.TryGet("line-1/cnc-01/spindle-vibration-rms/hh", out var hh).Should().BeTrue();
        hh!.Should().Be(new AlarmDefinition(
            "line-1/cnc-01/spindle-vibration-rms/hh", "line-1", "cnc-01", "Machining centre MC-01", "spindle-vibration-rms", "Spindle vibration RMS",
            AlarmKind.HighHigh, AlarmPriority.High, 4.5, "mm/s"));
        hh.Message(5.2).Should().Be("Spindle vibration RMS above HH limit 4.5 mm/s: 5.2 mm/s");
        Priority(catalog, "line-1/cnc-01/spindle-vibration-rms/h").Should().Be(AlarmPriority.Medium, "H on a machine of high criticality");
        Priority(catalog, "line-1/cnc-01/spindle-bearing-temperature/hh").Should().Be(AlarmPriority.Urgent, "configured: urgent");
        Priority(catalog, "line-1/cnc-01/motor-current/hh").Should().Be(AlarmPriority.High, "HH on a machine of high criticality");
        Priority(catalog, "line-1/cnc-01/anomaly").Should().Be(AlarmPriority.Low);
        catalog.OfMachine("cnc-01").Select(d => d.Id).Should().StartWith(["line-1/cnc-01/spindle-vibration-rms/hh", "line-1/cnc-01/spindle-vibration-rms/h"])
            .And.EndWith(["line-1/cnc-01/anomaly", "line-1/cnc-01/stale-data"]);
        var machines = plant.Line("line-1").Machines;
        catalog.Definitions.Should().HaveCount(
            machines.Sum(m => 2 + m.Sensors.Sum(s => s.Limits is null ? 0 : new[] { s.Limits.HighHigh, s.Limits.High, s.Limits.Low, s.Limits.LowLow }.Count(l => l is not null))));
        foreach (var d in catalog.Definitions)
        {
            AlarmIds.TryParse(d.Id, out var line, out var machine, out var sensor, out var kind).Should().BeTrue();
            (line, machine, sensor, kind).Should().Be((d.Line, d.Machine, d.Sensor, d.Kind));
        }
    }

    [Fact]
    public void The_sample_plant_pumps_low_limits_are_suppressed_when_stopped_and_their_high_limits_are_not()
    {
        var plant = PlantConfigLoader.Load(Repository.SamplePlant);
        var line = plant.Lines.First(l => l.Machines.Any(m => m.Type == "centrifugal-pump"));
        var pump = line.Machines.First(m => m.Type == "centrifugal-pump");
        var book = new AlarmBook(AlarmCatalog.For(line));

        var stopped = book.Handle(new ReportMachineState(pump.Id, Telemetry.MachineOperatingState.Stopped, TestLine.T0), TestLine.T0).Book;

        stopped.Suppressed.Should().NotBeEmpty().And.OnlyContain(a => a.Kind == AlarmKind.Low || a.Kind == AlarmKind.LowLow || a.Kind == AlarmKind.Anomaly);
        stopped.Suppressed.Should().Contain(a => a.Definition.Sensor == "flow" || a.Definition.Sensor == "suction-pressure");
    }

    [Theory]
    [InlineData("line-1/cnc-01/spindle-vibration-rms/hh", true)]
    [InlineData("line-1/cnc-01/anomaly", true)]
    [InlineData("line-1/cnc-01/stale-data", true)]
    [InlineData("line-1/cnc-01/anomaly/hh/x", false)]
    [InlineData("line-1/cnc-01/spindle/anomaly", false)]
    [InlineData("line-1/cnc-01/hh", false)]
    [InlineData("line-1//x/hh", false)]
    public void Alarm_ids_read_back_into_their_parts(string id, bool valid)
    {
        AlarmIds.TryParse(id, out _, out _, out _, out _).Should().Be(valid);
    }

    private static AlarmPriority Priority(AlarmCatalog catalog, string id) =>
        catalog.TryGet(id, out var definition) ? definition.Priority : throw new KeyNotFoundException(id);
}
