using System.Net;
using System.Text.Json;
using Factory.Cloud.Broker;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Link;
using Factory.Edge.Outbox;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Link;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Edge.Tests.Link;

/// <summary>
/// With several cloud nodes sharing the ingest, one may die holding a message: the others keep
/// acknowledging what came after it, so the link never goes quiet. The edge still sends the
/// held records again once they have waited longer than the acknowledgement timeout.
/// </summary>
public sealed class SharedIngestResendTests : IAsyncLifetime
{
    private const string Line = "line-9";

    private readonly TemporaryDirectory _directory = new();
    private readonly EmbeddedBroker _broker = new(new EmbeddedBrokerOptions(IPAddress.Loopback, 0), NullLogger<EmbeddedBroker>.Instance);
    private EdgeOutbox _outbox = null!;

    public async Task InitializeAsync()
    {
        await _broker.StartAsync(CancellationToken.None);
        _outbox = EdgeOutbox.Open(new OutboxOptions(_directory.Path) { FlushInterval = TimeSpan.FromMilliseconds(5) }, TimeProvider.System, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        _outbox.Dispose();
        await _broker.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_message_a_dead_node_took_is_sent_again_while_later_ones_are_acknowledged()
    {
        // A "cloud" that acknowledges every message but the first, as if the node that took it had died.
        var held = new List<long>();
        var acknowledgedTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var messages = 0;
        await using var cloud = new MqttLink(new MqttLinkOptions { Broker = _broker.Address, ClientId = "fake-cloud", Subscriptions = [LinkTopics.Records(Line)] }, NullLogger.Instance);
        cloud.MessageReceived = async e =>
        {
            var batch = JsonSerializer.Deserialize(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), LinkJsonContext.Default.RecordBatch)!;
            var sequences = batch.Records.Select(r => r.Seq).ToList();
            if (Interlocked.Increment(ref messages) == 1)
            {
                lock (held)
                {
                    held.AddRange(sequences);
                }

                return;
            }

            lock (held)
            {
                if (held.Count > 0 && sequences.Contains(held[0]))
                {
                    acknowledgedTwice.TrySetResult();
                }
            }

            var ack = new RecordAcknowledgement(1, Line, [.. sequences.Select(s => new SequenceRange(s, s))], 0);
            await cloud.PublishAsync(LinkTopics.Acknowledgements(Line), JsonSerializer.SerializeToUtf8Bytes(ack, LinkJsonContext.Default.RecordAcknowledgement), retain: false, CancellationToken.None);
        };
        using var stop = new CancellationTokenSource();
        var cloudRun = cloud.RunAsync(stop.Token);
        await cloud.WhenConnectedAsync(CancellationToken.None);

        var link = new CloudLink(
            Line,
            new CloudLinkOptions { Broker = _broker.Address, AcknowledgementTimeout = TimeSpan.FromSeconds(2), MaxRecordsPerMessage = 10 },
            _outbox,
            TimeProvider.System,
            NullLoggerFactory.Instance);
        await link.StartAsync(CancellationToken.None);

        // Records keep coming, and the later ones keep being acknowledged: the link is never quiet.
        var producing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                _outbox.Append(new SensorSummary(Line, "m-1", "s-1", DateTimeOffset.UtcNow.AddSeconds(i), 1, 10, 1, 2, 1.5, 0.1, 1.7, "mm/s"));
                await Task.Delay(50);
            }
        });

        await acknowledgedTwice.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var status = link.Status;
        status.Resends.Should().BeGreaterThanOrEqualTo(1);
        status.LastAcknowledgement.Should().NotBeNull();
        (DateTimeOffset.UtcNow - status.LastAcknowledgement!.Value).Should().BeLessThan(TimeSpan.FromSeconds(2), "acknowledgements never stopped, so only the held records' age could reveal the loss");

        await stop.CancelAsync();
        await producing;
        await link.StopAsync(CancellationToken.None);
        await cloudRun;
    }
}
