using System.Text.Json;
using System.Threading.Channels;
using Factory.Cloud.Storage;
using Factory.Contracts.Link;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Ingest;

/// <summary>How the ingest writes to the store.</summary>
public sealed record IngestOptions
{
    /// <summary>Records gathered into one store write at most.</summary>
    public int MaxRecordsPerWrite { get; init; } = 10_000;

    /// <summary>Store writes under way at once, at most.</summary>
    public int MaxConcurrentWrites { get; init; } = 2;

    /// <summary>First wait before a failed write is tried again; doubles up to <see cref="RetryMaximum"/>.</summary>
    public TimeSpan RetryMinimum { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaximum { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages read but not yet stored, at most; the MQTT client's receive maximum keeps it far below.</summary>
    public int QueueLimit { get; init; } = 10_000;

    /// <summary>
    /// With several cloud nodes on one external broker: the MQTT 5 shared subscription group
    /// (<c>$share/{group}/...</c>) over which the broker spreads the edges' records, each message
    /// to one node of the group. Null: this node takes every record.
    /// </summary>
    public string? SharedGroup { get; init; }
}

/// <summary>One MQTT message handed to the ingest, with how to acknowledge it to the broker.</summary>
public sealed record IngestMessage(string Topic, ReadOnlyMemory<byte> Payload, Func<CancellationToken, Task> AcknowledgeAsync);

/// <summary>
/// From edge messages to the store: each message is read and checked, gathered with others into
/// one write, and acknowledged (to the broker, and to its edge on the line's acks topic) only
/// once the write has succeeded. A store that is down is tried again with backoff for as long as
/// it takes; nothing is acknowledged meanwhile, so nothing is lost. Unreadable messages and
/// records are set aside with the reason, counted, logged, and acknowledged so the stream goes on.
/// </summary>
public sealed class IngestPipeline
{
    private readonly ITelemetryStore _store;
    private readonly SetAsideLog _setAside;
    private readonly Func<string, byte[], bool, CancellationToken, Task> _publish;
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<(IngestMessage Message, ReadBatch? Batch)> _queue;

    /// <param name="publish">Publishes (topic, payload, retain) at QoS 1: the acknowledgements and refusals to the edges.</param>
    public IngestPipeline(ITelemetryStore store, SetAsideLog setAside, Func<string, byte[], bool, CancellationToken, Task> publish, IngestOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _setAside = setAside;
        _publish = publish;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<(IngestMessage, ReadBatch?)>(new BoundedChannelOptions(options.QueueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public IngestMetrics Metrics { get; } = new();

    /// <summary>Raised after each write the store confirmed, with what it stored (the alarm board follows the alarms this way).</summary>
    public event Action<TelemetryBatch>? Stored;

    /// <summary>Reads a message and queues it for the store; waits only if the queue is full.</summary>
    public async ValueTask AcceptAsync(IngestMessage message, CancellationToken cancellationToken)
    {
        Metrics.Received();
        if (!RecordBatchReader.TryRead(message.Topic, message.Payload.Span, out var batch, out var error))
        {
            await RefuseAsync(message, error, cancellationToken);
        }

        await _queue.Writer.WriteAsync((message, error.Length == 0 ? batch : null), cancellationToken);
    }

    /// <summary>Stores what was accepted, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Up to MaxConcurrentWrites writes at once, acknowledged strictly in the order received:
        // influxd takes the next write while the previous one is being committed.
        var writes = new Queue<(List<(IngestMessage Message, ReadBatch? Batch)> Gathered, Task Stored)>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken))
            {
                var gathered = new List<(IngestMessage Message, ReadBatch? Batch)>();
                var records = 0;
                while (records < _options.MaxRecordsPerWrite && _queue.Reader.TryRead(out var item))
                {
                    gathered.Add(item);
                    records += item.Batch?.Records.Count ?? 0;
                }

                writes.Enqueue((gathered, StoreAsync(gathered, cancellationToken)));
                while (writes.Count > 0 && (writes.Count >= _options.MaxConcurrentWrites || writes.Peek().Stored.IsCompleted || !_queue.Reader.TryPeek(out _)))
                {
                    var (done, stored) = writes.Dequeue();
                    await stored;
                    await AcknowledgeAsync(done, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // What was not acknowledged stays with the broker and the edges, and comes again.
        }
    }

    private async Task RefuseAsync(IngestMessage message, string reason, CancellationToken cancellationToken)
    {
        Metrics.MessageSetAside();
        _logger.LogWarning("Set aside a message on {Topic}: {Reason}", message.Topic, reason);
        _setAside.Add(_time.GetUtcNow(), message.Topic, reason, message.Payload.Span);

        // A line whose edge speaks a version this cloud does not is told so, on a topic every version reads.
        if (LinkTopics.TryParseRecords(message.Topic, out var version, out var line) && !RecordBatchReader.Versions.Contains(version))
        {
            var refusal = new LinkRefusal(line, reason, RecordBatchReader.Versions, _time.GetUtcNow());
            await PublishQuietlyAsync(LinkTopics.Refusals(line), JsonSerializer.SerializeToUtf8Bytes(refusal, LinkJsonContext.Default.LinkRefusal), retain: true, cancellationToken);
        }
    }

    private async Task StoreAsync(List<(IngestMessage Message, ReadBatch? Batch)> gathered, CancellationToken cancellationToken)
    {
        var batches = gathered.Where(g => g.Batch is not null).Select(g => g.Batch!).ToList();
        foreach (var batch in batches.Where(b => b.SetAside.Count > 0))
        {
            Metrics.RecordsSetAside(batch.SetAside.Count);
            foreach (var record in batch.SetAside)
            {
                _logger.LogWarning("Set aside {Reason}", record.Reason);
                _setAside.Add(new SetAsideEntry(_time.GetUtcNow(), LinkTopics.Records(batch.Line), record.Reason, record.Body, false));
            }
        }

        var write = Merge(batches);
        if (write.Count == 0)
        {
            return;
        }

        var delay = _options.RetryMinimum;
        var failures = 0;
        while (true)
        {
            try
            {
                await _store.WriteAsync(write, cancellationToken);
                Metrics.Stored(write.Count);
                Stored?.Invoke(write);
                if (failures > 0)
                {
                    _logger.LogInformation("The telemetry store is back: {Records} records stored after {Failures} failed attempts", write.Count, failures);
                }

                Metrics.StoreProblem = null;
                return;
            }
            catch (TelemetryStoreException e) when (!e.Transient && batches.Count > 1)
            {
                // One bad message must not hold the others back: store them one by one to find it.
                _logger.LogWarning("The telemetry store refused a write of {Messages} messages ({Reason}); storing them one by one", batches.Count, e.Message);
                foreach (var item in gathered.Where(g => g.Batch is not null))
                {
                    await StoreAsync([item], cancellationToken);
                }

                return;
            }
            catch (TelemetryStoreException e) when (!e.Transient)
            {
                var batch = batches[0];
                var reason = $"the telemetry store refused the records of line {batch.Line}: {e.Message}";
                _logger.LogError("Set aside {Records} records: {Reason}", write.Count, reason);
                Metrics.RecordsSetAside(write.Count);
                var item = gathered.First(g => g.Batch is not null);
                _setAside.Add(_time.GetUtcNow(), item.Message.Topic, reason, item.Message.Payload.Span);
                return;
            }
            catch (TelemetryStoreException e)
            {
                Metrics.StoreFailed();
                Metrics.StoreProblem = e.Message;

                // Nothing is acknowledged while the store is down: the edges keep their records and the broker its messages.
                if (failures++ % 30 == 0)
                {
                    _logger.LogWarning("Cannot store {Records} records: {Reason}; trying again with backoff up to {Max:0} s (attempt {Attempt})", write.Count, e.Message, _options.RetryMaximum.TotalSeconds, failures);
                }

                await Task.Delay(delay * (0.8 + (0.4 * Random.Shared.NextDouble())), _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaximum.Ticks));
            }
        }
    }

    private async Task AcknowledgeAsync(List<(IngestMessage Message, ReadBatch? Batch)> gathered, CancellationToken cancellationToken)
    {
        foreach (var (message, _) in gathered)
        {
            try
            {
                await message.AcknowledgeAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The broker will deliver it again; storing it again changes nothing.
                _logger.LogDebug(e, "Could not acknowledge a message on {Topic} to the broker", message.Topic);
            }
        }

        foreach (var line in gathered.Where(g => g.Batch is not null).GroupBy(g => g.Batch!.Line))
        {
            var sequences = line.SelectMany(g => g.Batch!.AllSequences).Order().ToList();
            var setAside = line.Sum(g => g.Batch!.SetAside.Count);
            var ack = new RecordAcknowledgement(LinkTopics.Version, line.Key, ToRanges(sequences), setAside);
            if (await PublishQuietlyAsync(LinkTopics.Acknowledgements(line.Key), JsonSerializer.SerializeToUtf8Bytes(ack, LinkJsonContext.Default.RecordAcknowledgement), retain: false, cancellationToken))
            {
                Metrics.AcknowledgementSent();
            }
        }
    }

    private async Task<bool> PublishQuietlyAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        try
        {
            await _publish(topic, payload, retain, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An edge that does not hear the acknowledgement sends the records again; the store keeps one copy.
            _logger.LogDebug(e, "Could not publish on {Topic}", topic);
            return false;
        }
    }

    internal static IReadOnlyList<SequenceRange> ToRanges(IReadOnlyList<long> sorted)
    {
        var ranges = new List<SequenceRange>();
        for (var i = 0; i < sorted.Count;)
        {
            var first = sorted[i];
            var last = first;
            while (++i < sorted.Count && sorted[i] <= last + 1)
            {
                last = sorted[i];
            }

            ranges.Add(new SequenceRange(first, last));
        }

        return ranges;
    }

    private static TelemetryBatch Merge(List<ReadBatch> batches)
    {
        if (batches.Count == 1)
        {
            return batches[0].Records;
        }

        return new TelemetryBatch(
            [.. batches.SelectMany(b => b.Records.Summaries)],
            [.. batches.SelectMany(b => b.Records.Health)],
            [.. batches.SelectMany(b => b.Records.Alarms)],
            [.. batches.SelectMany(b => b.Records.AnomalyWindows)]);
    }
}
