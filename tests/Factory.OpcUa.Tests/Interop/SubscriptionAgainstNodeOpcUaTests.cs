using System.Diagnostics;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Tests.Support;
using Xunit.Abstractions;

namespace Factory.OpcUa.Tests.Interop;

/// <summary>
/// Our subscriptions against node-opcua's server (OPC 10000-4, 5.12 and 5.13): 100 counters that
/// each go up by one every 100 ms, and a client that must see every step, in order, also when
/// the network is cut or the server restarts underneath it.
/// </summary>
public sealed class SubscriptionAgainstNodeOpcUaTests(ITestOutputHelper output)
{
    private const int ItemCount = 100;

    [Fact]
    public async Task Hundred_items_changing_every_100_ms_arrive_complete_and_in_order_for_10_seconds()
    {
        await using var peer = await NodeOpcUaServer.StartAsync();
        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = peer.EndpointUrl }, TestOutputLoggerProvider.Factory(output));
        await using var subscription = await Subscribe(client, peer);
        var tracker = new CounterTracker(ItemCount);

        await tracker.ConsumeAsync(subscription, TimeSpan.FromSeconds(10));

        tracker.Gaps.Should().BeEmpty();
        tracker.Violations.Should().BeEmpty();
        tracker.ChangesPerItem.Should().OnlyContain(n => n >= 95, "each counter steps about 100 times in 10 s");
    }

    [Fact]
    public async Task Cut_link_is_recovered_within_5_seconds_with_every_change_republished_or_the_gap_reported()
    {
        await using var peer = await NodeOpcUaServer.StartAsync();
        await using var proxy = new TcpProxy(peer.Port);
        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = proxy.EndpointUrl }, TestOutputLoggerProvider.Factory(output));
        await using var subscription = await Subscribe(client, peer);
        var tracker = new CounterTracker(ItemCount);
        var consuming = tracker.ConsumeAsync(subscription, TimeSpan.FromSeconds(9));

        await Task.Delay(TimeSpan.FromSeconds(2));
        proxy.Cut();
        var cutAt = Stopwatch.StartNew();
        var resumed = await tracker.WaitForChangeAfterAsync(TimeSpan.FromSeconds(5));
        var resumedAfter = cutAt.Elapsed;
        await consuming;

        resumed.Should().BeTrue("the subscription must resume within 5 s of the cut");
        resumedAfter.Should().BeLessThan(TimeSpan.FromSeconds(5));
        proxy.ConnectionCount.Should().BeGreaterThan(1, "the client reconnected");
        tracker.Violations.Should().BeEmpty();
        tracker.UnexplainedLosses.Should().BeEmpty("a change missing from the stream must lie inside a reported gap");
    }

    [Fact]
    public async Task Server_restart_is_recovered_within_5_seconds_and_the_lost_interval_is_reported()
    {
        await using var peer = await NodeOpcUaServer.StartAsync();
        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = peer.EndpointUrl }, TestOutputLoggerProvider.Factory(output));
        await using var subscription = await Subscribe(client, peer);
        var tracker = new CounterTracker(ItemCount);
        var consuming = tracker.ConsumeAsync(subscription, TimeSpan.FromSeconds(25));

        await Task.Delay(TimeSpan.FromSeconds(2));
        var restart = Stopwatch.StartNew();
        await peer.RestartAsync();
        var serverUpAfter = restart.Elapsed;
        var resumed = await tracker.WaitForChangeAfterAsync(TimeSpan.FromSeconds(5));
        var resumedAfter = restart.Elapsed - serverUpAfter;
        tracker.StopAfter(TimeSpan.FromSeconds(2));
        await consuming;

        resumed.Should().BeTrue($"the subscription must resume within 5 s of the server being back (server log:\n{peer.Log})");
        resumedAfter.Should().BeLessThan(TimeSpan.FromSeconds(5));
        tracker.Gaps.Should().ContainSingle("the restarted server lost its queued values and the client must say so");
        var gap = tracker.Gaps[0];
        gap.From.Should().BeBefore(gap.To);
        gap.Reason.Should().Contain("re-created");
        tracker.Violations.Should().BeEmpty();
    }

    private static async Task<UaSubscription> Subscribe(UaClient client, NodeOpcUaServer peer)
    {
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions
        {
            PublishingInterval = TimeSpan.FromMilliseconds(100),
            KeepAliveCount = 10,
            LifetimeCount = 100,
        });
        var nodeIds = peer.Manifest["changing"]!["nodeIds"]!.AsArray().Select(n => NodeId.Parse(n!.GetValue<string>())).ToArray();
        nodeIds.Should().HaveCount(ItemCount);
        var items = await subscription.AddItemsAsync([.. nodeIds.Select(n => new MonitoredItemRequest(n, SamplingInterval: 0, QueueSize: 100))]);
        items.Should().OnlyContain(i => i.Status.IsGood);
        return subscription;
    }

    /// <summary>
    /// Checks the counters: each item's value must never go down and must go up by exactly one,
    /// unless a reported gap (or a server restart, which resets the counters) explains the jump.
    /// A value reported twice is allowed: a server may resend current values after a session
    /// moves to a new channel.
    /// </summary>
    private sealed class CounterTracker(int items)
    {
        private readonly Dictionary<uint, (uint Value, DateTime Time)> _last = [];
        private readonly Lock _lock = new();
        private readonly TaskCompletionSource _stopSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _changes;

        public List<DataGap> Gaps { get; } = [];
        public List<string> Violations { get; } = [];
        public List<string> UnexplainedLosses { get; } = [];
        public int[] ChangesPerItem { get; } = new int[items];

        public async Task ConsumeAsync(UaSubscription subscription, TimeSpan duration)
        {
            using var timeout = new CancellationTokenSource(duration);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            _ = _stopSignal.Task.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            try
            {
                await foreach (var message in subscription.ReadAllAsync(stop.Token))
                {
                    Observe(message);
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }

        public void StopAfter(TimeSpan delay) => _ = Task.Delay(delay).ContinueWith(_ => _stopSignal.TrySetResult(), TaskScheduler.Default);

        /// <summary>True when a data change arrives within <paramref name="timeout"/> from now.</summary>
        public async Task<bool> WaitForChangeAfterAsync(TimeSpan timeout)
        {
            // Let the failure take effect before counting what arrives after it.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var before = Interlocked.Read(ref _changes);
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout)
            {
                if (Interlocked.Read(ref _changes) > before + items)
                {
                    return true;
                }

                await Task.Delay(50);
            }

            return false;
        }

        private void Observe(SubscriptionMessage message)
        {
            lock (_lock)
            {
                switch (message)
                {
                    case DataGap gap:
                        Gaps.Add(gap);

                        // Counters restart with a restarted server; the next value of each item starts afresh.
                        _last.Clear();
                        break;
                    case DataChangeMessage changes:
                        foreach (var change in changes.Changes)
                        {
                            Interlocked.Increment(ref _changes);
                            var handle = change.Item.ClientHandle;
                            var value = Convert.ToUInt32(change.Value.Value.Value, System.Globalization.CultureInfo.InvariantCulture);
                            ChangesPerItem[(handle - 1) % (uint)items]++;
                            if (_last.TryGetValue(handle, out var last))
                            {
                                if (value < last.Value)
                                {
                                    Violations.Add($"{change.Item.NodeId}: {value} after {last.Value}");
                                }
                                else if (value > last.Value + 1)
                                {
                                    UnexplainedLosses.Add($"{change.Item.NodeId}: {value} after {last.Value} with no gap reported");
                                }
                            }

                            _last[handle] = (value, change.Value.SourceTimestamp);
                        }

                        break;
                }
            }
        }
    }
}
