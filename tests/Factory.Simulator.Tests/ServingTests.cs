using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Factory.Simulator.Faults;
using Factory.Simulator.Serving;
using Factory.Simulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using UaRange = Factory.OpcUa.Types.Range;

namespace Factory.Simulator.Tests;

/// <summary>
/// The simulated plant over OPC UA, as a client sees it on loopback: the address space of a
/// line, live values with simulated source timestamps, status, and maintenance by writing the
/// maintenance node or calling Maintain. Time is a fake clock advanced by the test.
/// </summary>
public sealed class ServingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private SimulatedPlant _plant = null!;
    private UaClient _client = null!;

    private SimulatedLineServer Line => _plant.Lines[0];

    private static NodeId Node(string id) => NodeId.Parse($"ns=2;s={id}");

    public async Task InitializeAsync()
    {
        var config = TestPlant.Create(2);
        var simulation = new PlantSimulation(config, new SimulationOptions
        {
            Seed = 3,
            Start = Start,
            RandomFaults = false,
            Faults = [new FaultInjection("line-1", "cnc-1", "bearing-wear", TimeSpan.Zero, TimeSpan.FromHours(1), "test")],
        });
        _plant = new SimulatedPlant(simulation, acceleration: 60, time: _time);
        await _plant.StartAsync();
        _client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = Line.EndpointUrl });
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _plant.DisposeAsync();
    }

    /// <summary>Moves real time on and lets the lines update, as their loops would.</summary>
    private void Advance(TimeSpan real)
    {
        _time.Advance(real);
        foreach (var line in _plant.Lines)
        {
            line.Tick();
        }
    }

    private async Task<string> StatusAsync() => (string)(await _client.ReadValueAsync(Node("line-1.cnc-1.status"))).Value.Value!;

    private async Task<double> HealthAsync() => (double)(await _client.ReadValueAsync(Node("line-1.cnc-1.GroundTruth.Health.bearing-wear"))).Value.Value!;

    [Fact]
    public async Task Each_line_has_its_own_endpoint_with_the_plant_in_namespace_2()
    {
        _plant.Lines.Select(l => l.EndpointUrl).Should().OnlyHaveUniqueItems();
        await using var second = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = _plant.Lines[1].EndpointUrl });

        var namespaces = (await second.ReadValueAsync(VariableIds.Server_NamespaceArray)).Value.Value as string[];

        namespaces.Should().HaveCount(3);
        namespaces![2].Should().Be(SimulatedLineServer.NamespaceUri);
        (await second.ReadValueAsync(Node("line-2.pump-1.flow"))).StatusCode.IsGood.Should().BeTrue();
        (await second.ReadValueAsync(Node("line-1.pump-1.flow"))).StatusCode.Should().Be(new StatusCode(StatusCodes.BadNodeIdUnknown), "a line serves its own machines");
    }

    [Fact]
    public async Task A_client_browses_site_area_line_machine_and_its_sensors()
    {
        var objects = await _client.BrowseAllAsync(ObjectIds.ObjectsFolder);
        var site = objects.Single(r => r.BrowseName.Name == "plant-a");
        site.DisplayName!.Text.Should().Be("Plant A");
        var area = (await _client.BrowseAllAsync(site.NodeId.NodeId)).Single(r => r.BrowseName.Name == "assembly");
        var line = (await _client.BrowseAllAsync(area.NodeId.NodeId)).Single(r => r.BrowseName.Name == "line-1");
        var lineChildren = await _client.BrowseAllAsync(line.NodeId.NodeId);
        lineChildren.Select(r => r.BrowseName.Name).Should().Contain(["cnc-1", "pump-1", "conveyor-1", "press-1", "SimulatedTime", "Acceleration"]);

        var cnc = lineChildren.Single(r => r.BrowseName.Name == "cnc-1").NodeId.NodeId;
        var children = await _client.BrowseAllAsync(cnc);

        children.Select(r => r.BrowseName.Name).Should().Contain(["spindle-vibration-rms", "spindle-speed", "Status", "Maintenance", "Maintain", "GroundTruth"]);
        var vibration = children.Single(r => r.BrowseName.Name == "spindle-vibration-rms");
        vibration.NodeId.NodeId.Should().Be(Node("line-1.cnc-1.spindle-vibration-rms"));
        vibration.TypeDefinition.NodeId.Should().Be(VariableTypeIds.AnalogItemType);
        children.Single(r => r.BrowseName.Name == "Maintain").NodeClass.Should().Be(NodeClass.Method);

        var properties = await _client.BrowseAllAsync(vibration.NodeId.NodeId);
        var range = (await _client.ReadValueAsync(properties.Single(p => p.BrowseName.Name == "EURange").NodeId.NodeId)).Value.Value;
        range.Should().BeOfType<ExtensionObject>().Which.Body.Should().Be(new UaRange(0, 25));
        var units = (await _client.ReadValueAsync(properties.Single(p => p.BrowseName.Name == "EngineeringUnits").NodeId.NodeId)).Value.Value;
        units.Should().BeOfType<ExtensionObject>().Which.Body.Should().BeOfType<EUInformation>().Which.DisplayName!.Text.Should().Be("mm/s");

        var truth = children.Single(r => r.BrowseName.Name == "GroundTruth").NodeId.NodeId;
        (await _client.BrowseAllAsync(truth)).Select(r => r.BrowseName.Name).Should().Contain(["FaultActive", "OperatingHours", "FailedBy", "Health"]);
    }

    [Fact]
    public async Task Sensors_change_at_their_sampling_interval_with_simulated_source_timestamps()
    {
        await using var subscription = await _client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        await subscription.AddItemsAsync([new MonitoredItemRequest(Node("line-1.pump-1.flow"), 0, 100), new MonitoredItemRequest(Node("line-1.conveyor-1.motor-current"), 0, 100)]);
        var changes = new List<DataChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reading = Task.Run(async () =>
        {
            await foreach (var message in subscription.ReadAllAsync(timeout.Token))
            {
                if (message is DataChangeMessage data)
                {
                    lock (changes)
                    {
                        changes.AddRange(data.Changes);
                    }
                }
            }
        });

        for (var i = 0; i < 10; i++)
        {
            Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(30);
        }

        await WaitUntil(() => { lock (changes) { return changes.Count >= 22; } });
        await timeout.CancelAsync();
        await reading.ContinueWith(_ => { });

        var flow = changes.Where(c => c.Item.NodeId == Node("line-1.pump-1.flow")).ToList();
        flow.Should().HaveCountGreaterThanOrEqualTo(11, "an initial value and one per second of sampling");
        flow.Select(c => (double)c.Value.Value.Value!).Distinct().Should().HaveCountGreaterThan(5, "the flow is a live, noisy value");
        flow.Last().Value.SourceTimestamp.Should().Be((Start + TimeSpan.FromMinutes(10)).UtcDateTime, "ten real seconds at 60 times are ten simulated minutes");
    }

    [Fact]
    public async Task At_failure_the_status_node_says_failed()
    {
        (await StatusAsync()).Should().Be("running");

        Advance(TimeSpan.FromSeconds(61));

        (await StatusAsync()).Should().Be("failed");
        (await HealthAsync()).Should().Be(0);
        (await _client.ReadValueAsync(Node("line-1.cnc-1.GroundTruth.FailedBy"))).Value.Value.Should().Be("bearing-wear");
        (await _client.ReadValueAsync(Node("line-1.cnc-1.spindle-speed"))).Value.Value.Should().Be(0.0);
    }

    [Fact]
    public async Task A_fault_injected_while_the_plant_runs_degrades_and_fails_the_machine_on_time()
    {
        (await _client.ReadValueAsync(Node("line-1.pump-1.status"))).Value.Value.Should().Be("running");

        Line.InjectFault("pump-1", "cavitation", TimeSpan.FromMinutes(30));
        Advance(TimeSpan.FromSeconds(15));
        var halfway = (double)(await _client.ReadValueAsync(Node("line-1.pump-1.GroundTruth.Health.cavitation"))).Value.Value!;
        Advance(TimeSpan.FromSeconds(16));

        halfway.Should().BeInRange(0.0, 0.99, "the process began when it was injected");
        (await _client.ReadValueAsync(Node("line-1.pump-1.GroundTruth.FaultActive"))).Value.Value.Should().Be(true);
        (await _client.ReadValueAsync(Node("line-1.pump-1.status"))).Value.Value.Should().Be("failed", "30 simulated minutes are 30 real seconds at 60x");
        var unknown = () => Line.InjectFault("pump-1", "bearing-wear-of-the-moon", TimeSpan.FromMinutes(1));
        unknown.Should().Throw<SimulatorConfigurationException>().WithMessage("*has no process 'bearing-wear-of-the-moon'*");
    }

    [Fact]
    public async Task Writing_a_maintenance_action_repairs_the_machine()
    {
        Advance(TimeSpan.FromSeconds(61));
        (await StatusAsync()).Should().Be("failed");

        var result = await _client.WriteValueAsync(Node("line-1.cnc-1.maintenance"), new Variant("replace-bearing"));

        result.Should().Be(StatusCode.Good);
        (await StatusAsync()).Should().Be("maintenance");
        (await _client.ReadValueAsync(Node("line-1.cnc-1.maintenance"))).Value.Value.Should().Be("replace-bearing");
        Advance(TimeSpan.FromMinutes(3.9));
        (await StatusAsync()).Should().Be("maintenance", "replacing a bearing takes four simulated hours");

        Advance(TimeSpan.FromMinutes(0.2));

        (await StatusAsync()).Should().Be("running");
        (await HealthAsync()).Should().Be(1);
    }

    [Fact]
    public async Task An_unknown_maintenance_action_is_refused_and_changes_nothing()
    {
        Advance(TimeSpan.FromSeconds(30));
        var health = await HealthAsync();

        var result = await _client.WriteValueAsync(Node("line-1.cnc-1.maintenance"), new Variant("polish-the-chrome"));
        var wrongKind = await _client.WriteValueAsync(Node("line-1.cnc-1.maintenance"), new Variant("repair-impeller"));

        result.Should().Be(new StatusCode(StatusCodes.BadInvalidArgument));
        wrongKind.Should().Be(new StatusCode(StatusCodes.BadInvalidArgument));
        (await StatusAsync()).Should().Be("running");
        (await _client.ReadValueAsync(Node("line-1.cnc-1.maintenance"))).Value.Value.Should().Be("");
        (await HealthAsync()).Should().Be(health);
    }

    [Fact]
    public async Task The_Maintain_method_repairs_the_machine_and_refuses_what_it_cannot_do()
    {
        Advance(TimeSpan.FromSeconds(61));
        var machine = Node("line-1.cnc-1");
        var method = Node("line-1.cnc-1.Maintain");

        (await _client.CallAsync(machine, method, [new Variant("bogus")])).StatusCode.Should().Be(new StatusCode(StatusCodes.BadInvalidArgument));
        (await _client.CallAsync(machine, method, [])).StatusCode.Should().Be(new StatusCode(StatusCodes.BadArgumentsMissing));
        (await StatusAsync()).Should().Be("failed");

        (await _client.CallAsync(machine, method, [new Variant("overhaul")])).StatusCode.Should().Be(StatusCode.Good);
        (await StatusAsync()).Should().Be("maintenance");
        Advance(TimeSpan.FromMinutes(16.1));

        (await StatusAsync()).Should().Be("running");
        (await HealthAsync()).Should().Be(1);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
