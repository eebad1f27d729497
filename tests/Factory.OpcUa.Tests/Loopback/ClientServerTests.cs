using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Loopback;

/// <summary>Our client against our server over a real loopback socket (OPC 10000-4 services).</summary>
public sealed class ClientServerTests
{
    [Fact]
    public async Task Client_reads_values_written_by_host_code()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();

        var speed = await client.ReadValueAsync(plant.Speed);

        speed.StatusCode.Should().Be(StatusCode.Good);
        speed.Value.AsDouble().Should().Be(1450.0);
        speed.SourceTimestamp.Should().BeAfter(DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Client_browses_the_plant_tree()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();

        var references = await client.BrowseAllAsync(new NodeId("Line1.Pump1", plant.Namespace));

        references.Select(r => r.BrowseName.Name).Should().BeEquivalentTo("Speed", "Temperature", "Setpoint");
        references.Should().OnlyContain(r => r.NodeClass == NodeClass.Variable && r.TypeDefinition.NodeId == VariableTypeIds.BaseDataVariableType);
    }

    [Fact]
    public async Task Subscription_reports_each_change_in_order()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var items = await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 100)]);
        items[0].Status.Should().Be(StatusCode.Good);

        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);
        var received = new List<double>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reader = Task.Run(async () =>
        {
            await foreach (var message in subscription.ReadAllAsync(timeout.Token))
            {
                if (message is DataChangeMessage changes)
                {
                    received.AddRange(changes.Changes.Select(c => c.Value.Value.AsDouble()));
                    if (received.Count >= 21)
                    {
                        return;
                    }
                }
            }
        });
        for (var i = 1; i <= 20; i++)
        {
            variable.SetValue(new Variant(61.5 + i));
            await Task.Delay(5);
        }

        await reader;
        received.Should().Equal(Enumerable.Range(0, 21).Select(i => 61.5 + i));
    }
}
