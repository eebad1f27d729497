using Factory.Plant.Config;
using Factory.Simulator.Faults;
using Factory.Simulator.History;
using Factory.Simulator.Serving;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>The sample plant and the sample scenarios work with the simulator as shipped.</summary>
public sealed class SampleConfigurationTests
{
    [Fact]
    public async Task The_sample_plant_can_be_simulated_and_served()
    {
        var plant = PlantConfigLoader.Load(Repository.SamplePlant);

        var simulation = new PlantSimulation(plant, new SimulationOptions { Seed = 1 });
        await using var served = new SimulatedPlant(simulation, 60);

        served.Lines.Should().HaveCount(plant.Lines.Count());
        served.Lines.Sum(l => l.SensorCount).Should().Be(plant.Machines.Sum(m => m.Sensors.Count));
        served.Lines.Select(l => l.NamespaceIndex).Should().OnlyContain(i => i == 2);
    }

    [Theory]
    [InlineData("bearing-fault-line-1.yaml")]
    [InlineData("pump-cavitation-line-3.yaml")]
    [InlineData("forming-line-week.yaml")]
    public void The_sample_scenarios_fit_the_sample_plant(string file)
    {
        var plant = PlantConfigLoader.Load(Repository.SamplePlant);

        var scenario = FaultScenario.Load(Repository.PathOf("plant-config", "scenarios", file), plant);

        scenario.Faults.Should().NotBeEmpty();
        scenario.Description.Should().NotBeNullOrWhiteSpace();
        _ = new PlantSimulation(plant, new SimulationOptions { Faults = scenario.Faults });
    }

    [Fact]
    public void A_day_of_the_sample_plant_is_written_in_seconds()
    {
        using var directory = new TemporaryDirectory("sample-history");
        var plant = PlantConfigLoader.Load(Repository.SamplePlant);

        var summary = HistoryExport.Write(new PlantSimulation(plant, new SimulationOptions { Seed = 1, RepairAfter = HistoryExport.DefaultRepairDelay }), TimeSpan.FromDays(1), TimeSpan.FromMinutes(1), directory.Path);

        summary.Machines.Should().Be(24);
        summary.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }
}
