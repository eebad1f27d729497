using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Loopback;

/// <summary>Subscriptions and monitored items between our client and our server (OPC 10000-4, 5.12 and 5.13).</summary>
public sealed class SubscriptionBehaviourTests
{
    private static readonly SubscriptionOptions Fast = new() { PublishingInterval = TimeSpan.FromMilliseconds(50), KeepAliveCount = 5 };

    [Fact]
    public async Task Absolute_deadband_reports_only_moves_larger_than_the_deadband()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(Fast);
        var filter = new DataChangeFilter(DataChangeTrigger.StatusValue, (uint)DeadbandType.Absolute, 1.0);
        await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 100, Filter: filter)]);
        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);

        foreach (var value in new[] { 62.0, 62.4, 62.6, 63.0, 64.0 })
        {
            await Task.Delay(10);
            variable.SetValue(new Variant(value));
        }

        var values = await Collect(subscription, 3);
        values.Select(v => v.Value.AsDouble()).Should().Equal(61.5, 62.6, 64.0);
    }

    [Fact]
    public async Task Percent_deadband_uses_the_engineering_range_of_the_variable()
    {
        await using var plant = await LoopbackServer.StartAsync();
        plant.Server.AddressSpace.AddProperty(plant.Temperature, new NodeId("Line1.Pump1.Temperature.EURange", plant.Namespace), "EURange", DataTypeIds.Range, new Variant(new Types.Range(0, 200)));
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(Fast);
        var filter = new DataChangeFilter(DataChangeTrigger.StatusValue, (uint)DeadbandType.Percent, 1.0);
        var items = await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 100, Filter: filter)]);
        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);

        foreach (var value in new[] { 62.5, 63.0, 63.6, 64.0 })
        {
            await Task.Delay(10);
            variable.SetValue(new Variant(value));
        }

        items[0].Status.Should().Be(StatusCode.Good);
        var values = await Collect(subscription, 2);
        values.Select(v => v.Value.AsDouble()).Should().Equal([61.5, 63.6], "1 % of 0..200 is a deadband of 2.0");
    }

    [Fact]
    public async Task Percent_deadband_without_an_engineering_range_is_refused()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(Fast);

        var items = await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Speed, Filter: new DataChangeFilter(DataChangeTrigger.StatusValue, (uint)DeadbandType.Percent, 5))]);

        items[0].Status.CodeBits.Should().Be(StatusCodes.BadDeadbandFilterInvalid);
    }

    [Fact]
    public async Task Full_queue_drops_the_oldest_value_and_marks_the_next_with_the_overflow_bit()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(500) });
        await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 3)]);
        var initial = await Collect(subscription, 1);
        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);

        for (var i = 1; i <= 6; i++)
        {
            variable.SetValue(new Variant(70.0 + i));
        }

        var values = await Collect(subscription, 3);
        initial[0].Value.AsDouble().Should().Be(61.5);
        values.Select(v => v.Value.AsDouble()).Should().Equal(74.0, 75.0, 76.0);
        (values[0].StatusCode.Code & 0x0480).Should().Be(0x0480u, "the oldest value kept follows a discarded one");
        (values[2].StatusCode.Code & 0x0480).Should().Be(0u);
    }

    [Fact]
    public async Task Sampling_interval_keeps_the_newest_value_of_each_interval()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(Fast);
        await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, SamplingInterval: 200, QueueSize: 100)]);
        await Collect(subscription, 1);
        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);

        // 40 changes over about 400 ms: two or three sampling intervals.
        for (var i = 1; i <= 40; i++)
        {
            variable.SetValue(new Variant(100.0 + i));
            await Task.Delay(10);
        }

        await Task.Delay(500);
        var values = await Collect(subscription, 1, TimeSpan.FromMilliseconds(300), exact: false);
        values.Count.Should().BeInRange(1, 5, "a 200 ms sampling interval passes a handful of 40 changes");
        values[^1].Value.AsDouble().Should().Be(140.0, "the newest value is never lost");
    }

    [Fact]
    public async Task Modify_remove_and_delete_change_what_the_server_sends()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        var subscription = await client.CreateSubscriptionAsync(Fast);
        var items = await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Speed), new MonitoredItemRequest(plant.Temperature)]);
        await Collect(subscription, 2);

        await subscription.ModifyAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(200), KeepAliveCount = 5 });
        await subscription.RemoveItemsAsync([items[0]]);
        plant.Server.AddressSpace.GetVariable(plant.Speed).SetValue(new Variant(1500.0));
        plant.Server.AddressSpace.GetVariable(plant.Temperature).SetValue(new Variant(70.0));
        var values = await Collect(subscription, 1);
        var before = plant.Server.SubscriptionCount;
        await subscription.DisposeAsync();

        subscription.RevisedPublishingInterval.Should().Be(TimeSpan.FromMilliseconds(200));
        values.Single().Value.AsDouble().Should().Be(70.0, "the removed item reports nothing");
        plant.Server.SubscriptionCount.Should().Be(before - 1);
    }

    [Fact]
    public async Task Monitoring_an_unknown_node_fails_that_item_only()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var client = await plant.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(Fast);

        var items = await subscription.AddItemsAsync([new MonitoredItemRequest(new NodeId("Nope", plant.Namespace)), new MonitoredItemRequest(plant.Speed)]);

        items[0].Status.CodeBits.Should().Be(StatusCodes.BadNodeIdUnknown);
        items[1].Status.Should().Be(StatusCode.Good);
        (await Collect(subscription, 1)).Single().Value.AsDouble().Should().Be(1450.0);
    }

    [Fact]
    public async Task Subscriptions_beyond_the_session_limit_are_refused()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, MaxSubscriptionsPerSession = 1 });
        await using var client = await plant.ConnectAsync();
        await using var first = await client.CreateSubscriptionAsync(Fast);

        var second = () => client.CreateSubscriptionAsync(Fast);

        (await second.Should().ThrowAsync<ServiceResultException>()).Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTooManySubscriptions);
    }

    [Fact]
    public async Task Publish_requests_beyond_the_server_limit_are_answered_and_data_keeps_flowing()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, MaxPublishRequestsPerSession = 1 });
        await using var client = await plant.ConnectAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl, PublishRequestCount = 4 });
        await using var subscription = await client.CreateSubscriptionAsync(Fast);
        await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 100)]);
        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);

        for (var i = 1; i <= 20; i++)
        {
            variable.SetValue(new Variant(80.0 + i));
            await Task.Delay(20);
        }

        var values = await Collect(subscription, 21);
        values.Select(v => v.Value.AsDouble()).Should().Equal([61.5, .. Enumerable.Range(1, 20).Select(i => 80.0 + i)]);
    }

    [Fact]
    public async Task Publish_request_beyond_the_queue_limit_answers_the_oldest_with_BadTooManyPublishRequests()
    {
        await using var plant = await LoopbackServer.StartAsync(new ServerOptions { Port = 0, MaxPublishRequestsPerSession = 2 });
        await using var client = await plant.ConnectAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl, PublishRequestCount = 1 });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromSeconds(5), KeepAliveCount = 100 });
        await Collect(subscription, 0, TimeSpan.FromMilliseconds(300));

        // The client keeps one request queued; three more push the queue past its limit of two.
        var first = client.SendAsync<PublishResponse>(new PublishRequest(new RequestHeader(), []), TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        var second = client.SendAsync<PublishResponse>(new PublishRequest(new RequestHeader(), []), TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        var third = client.SendAsync<PublishResponse>(new PublishRequest(new RequestHeader(), []), TimeSpan.FromSeconds(30));

        var failure = await ((Func<Task>)(() => first)).Should().ThrowAsync<ServiceResultException>();
        failure.Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadTooManyPublishRequests);
        second.IsCompleted.Should().BeFalse("the newer requests stay queued");
        third.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Cut_link_to_our_server_loses_nothing_thanks_to_republish()
    {
        await using var plant = await LoopbackServer.StartAsync();
        await using var proxy = new TcpProxy(plant.Server.Port);
        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = proxy.EndpointUrl });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(20) });
        await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 1000)]);
        var variable = plant.Server.AddressSpace.GetVariable(plant.Temperature);

        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 100; i++)
            {
                variable.SetValue(new Variant((double)i));
                if (i == 50)
                {
                    proxy.Cut();
                }

                await Task.Delay(10);
            }
        });
        var messages = await CollectMessages(subscription, until: values => values.Count >= 101 && values[^1].Value.AsDouble() == 100.0, TimeSpan.FromSeconds(15));
        await writer;

        messages.OfType<DataGap>().Should().BeEmpty("the session survived the cut, so the server still held every message");
        var values = messages.OfType<DataChangeMessage>().SelectMany(m => m.Changes).Select(c => c.Value.Value.AsDouble()).ToArray();
        values.Should().Equal([61.5, .. Enumerable.Range(1, 100).Select(i => (double)i)]);
    }

    /// <summary>Reads data changes until <paramref name="count"/> values arrived (then checks nothing more comes for a moment).</summary>
    private static async Task<List<DataValue>> Collect(UaSubscription subscription, int count, TimeSpan? quiet = null, bool exact = true)
    {
        var values = new List<DataValue>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (values.Count < count)
        {
            var message = await subscription.Messages.ReadAsync(timeout.Token);
            if (message is DataChangeMessage changes)
            {
                values.AddRange(changes.Changes.Select(c => c.Value));
            }
        }

        // Anything beyond what was expected must not arrive.
        using var more = new CancellationTokenSource(quiet ?? TimeSpan.FromMilliseconds(300));
        try
        {
            while (true)
            {
                var message = await subscription.Messages.ReadAsync(more.Token);
                if (message is DataChangeMessage changes)
                {
                    values.AddRange(changes.Changes.Select(c => c.Value));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (exact)
        {
            values.Should().HaveCount(count);
        }

        return values;
    }

    private static async Task<List<SubscriptionMessage>> CollectMessages(UaSubscription subscription, Func<List<DataValue>, bool> until, TimeSpan timeout)
    {
        var messages = new List<SubscriptionMessage>();
        var values = new List<DataValue>();
        using var cts = new CancellationTokenSource(timeout);
        while (!until(values))
        {
            SubscriptionMessage message;
            try
            {
                message = await subscription.Messages.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not all values arrived within {timeout.TotalSeconds} s; got {values.Count}: {string.Join(",", values.Select(v => v.Value))}; messages: {string.Join(" | ", messages.Where(m => m is not DataChangeMessage))}");
            }

            messages.Add(message);
            if (message is DataChangeMessage changes)
            {
                values.AddRange(changes.Changes.Select(c => c.Value));
            }
        }

        return messages;
    }
}
