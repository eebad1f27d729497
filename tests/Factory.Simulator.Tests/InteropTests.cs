using System.Text.Json.Nodes;
using Factory.Simulator.Serving;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>Tests that count values arriving in real time run alone, not beside the CPU-heavy history tests.</summary>
[CollectionDefinition(nameof(RealTimeCollection), DisableParallelization = true)]
public sealed class RealTimeCollection;

/// <summary>node-opcua, an implementation that shares no code with ours, browses a simulated line and follows its sensors.</summary>
[Collection(nameof(RealTimeCollection))]
public sealed class InteropTests : IAsyncLifetime
{
    private SimulatedPlant _plant = null!;

    private string Url => _plant.Lines[0].EndpointUrl;

    public async Task InitializeAsync()
    {
        var simulation = new PlantSimulation(TestPlant.Create(samplingIntervalMs: 100), new SimulationOptions { Seed = 1, Start = DateTimeOffset.UtcNow, RandomFaults = false });
        _plant = new SimulatedPlant(simulation, acceleration: 60);
        await _plant.StartAsync();
    }

    public async Task DisposeAsync() => await _plant.DisposeAsync();

    [Fact]
    public async Task Node_opcua_browses_a_simulated_line_down_to_the_sensors()
    {
        var output = JsonNode.Parse(await NodeOpcUaClient.RunAsync(Url, "browse", "ns=2;s=plant-a", "--depth", "4"))!;

        output["statusCode"]!["name"]!.GetValue<string>().Should().Be("Good");
        var area = output["references"]!.AsArray().Single(r => r!["browseName"]!["name"]!.GetValue<string>() == "assembly")!;
        var line = area["children"]!["references"]!.AsArray().Single(r => r!["browseName"]!["name"]!.GetValue<string>() == "line-1")!;
        var cnc = line["children"]!["references"]!.AsArray().Single(r => r!["browseName"]!["name"]!.GetValue<string>() == "cnc-1")!;
        var sensors = cnc["children"]!["references"]!.AsArray().Select(r => r!["nodeId"]!.GetValue<string>()).ToList();
        sensors.Should().Contain(["ns=2;s=line-1.cnc-1.spindle-vibration-rms", "ns=2;s=line-1.cnc-1.status", "ns=2;s=line-1.cnc-1.maintenance", "ns=2;s=line-1.cnc-1.Maintain"]);
    }

    [Fact]
    public async Task Node_opcua_subscribes_to_sensors_and_receives_changing_values()
    {
        var nodes = new[] { "ns=2;s=line-1.pump-1.flow", "ns=2;s=line-1.cnc-1.spindle-vibration-rms", "ns=2;s=line-1.cnc-1.status" };

        var lines = NodeOpcUaClient.Lines(await NodeOpcUaClient.RunAsync(Url, ["subscribe", .. nodes, "--duration", "4000", "--sampling", "0", "--publishing", "100"]));

        var changes = lines.Where(l => l["nodeId"] is not null).ToList();
        var flow = changes.Where(c => c["nodeId"]!.GetValue<string>() == nodes[0]).Select(c => c["value"]!.GetValue<double>()).ToList();
        flow.Should().HaveCountGreaterThan(15, "a 100 ms sensor over 4 s (40 samples; a busy machine may delay some)");
        flow.Distinct().Should().HaveCountGreaterThan(10);
        changes.Where(c => c["nodeId"]!.GetValue<string>() == nodes[1]).Should().HaveCountGreaterThan(15);
        changes.Single(c => c["nodeId"]!.GetValue<string>() == nodes[2])["value"]!.GetValue<string>().Should().BeOneOf("running", "idle", "stopped");
        changes.Should().OnlyContain(c => c["statusCode"]!["name"]!.GetValue<string>() == "Good");
    }
}
