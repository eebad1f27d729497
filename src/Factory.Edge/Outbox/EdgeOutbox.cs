using System.Buffers.Binary;
using System.Text;
using System.Threading.Channels;
using Factory.Contracts.Link;
using Factory.Edge.Alarms;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>
/// The edge's store and forward (docs/outbox.md): every record for the cloud is written to a
/// segment file and flushed to disk (fsync, one flush for everything appended meanwhile) before
/// the link may send it, and stays until the cloud acknowledges that it stored it. Sending takes
/// pending alarms first, then everything else in the order it was appended. A segment whose
/// records are all acknowledged is deleted. Over the disk quota the oldest segment is compacted:
/// its summaries are merged into coarser intervals, its health records and anomaly windows are
/// dropped, its alarms are carried over whole.
/// </summary>
public sealed partial class EdgeOutbox : IOutbox, IDisposable
{
    private const int FrameHeader = 8;
    private const int RecordHeader = 8 + 8 + 8 + 1 + 1;

    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly SortedDictionary<long, Entry> _pendingAlarms = [];
    private readonly SortedDictionary<long, Entry> _pendingOthers = [];
    private readonly Dictionary<long, Entry> _inFlight = [];
    private readonly SortedDictionary<int, Segment> _segments = [];
    private readonly OutboxState _state;
    private readonly List<(long Sequence, TaskCompletionSource Done)> _flushWaiters = [];
    private TaskCompletionSource _pendingSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Segment _active = null!;
    private long _lastSequence;
    private long _durableSequence;
    private long _pendingBytes;
    private bool _disposed;

    private EdgeOutbox(OutboxOptions options, TimeProvider time, ILogger logger, FileStream lockFile, OutboxState state)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _lock = lockFile;
        _state = state;
        _writer = new Thread(Write) { IsBackground = true, Name = $"outbox {Path.GetFileName(options.Directory)}" };
    }

    /// <summary>The highest alarm-journal sequence ever appended (kept across restarts).</summary>
    public long LastAlarmSequence
    {
        get
        {
            lock (_gate)
            {
                return _state.LastAlarmSequence;
            }
        }
    }

    public OutboxMetrics Metrics
    {
        get
        {
            lock (_gate)
            {
                var oldest = _pendingAlarms.Values.Concat(_pendingOthers.Values).Concat(_inFlight.Values).Select(e => (DateTimeOffset?)e.Time).Min();
                return new OutboxMetrics(
                    _pendingAlarms.Count + _pendingOthers.Count + _inFlight.Count,
                    _pendingBytes,
                    _inFlight.Count,
                    oldest,
                    new Dictionary<string, long>(_state.AppendedByKind),
                    _state.Acknowledged,
                    _state.Downsampled,
                    new Dictionary<string, long>(_state.EvictedByKind),
                    _segments.Values.Sum(s => s.Length),
                    _options.QuotaBytes,
                    _lastSequence);
            }
        }
    }

    /// <summary>Opens (or creates) the outbox in its folder and recovers what it held.</summary>
    /// <exception cref="OutboxException">The folder cannot be used, or another process has it open.</exception>
    public static EdgeOutbox Open(OutboxOptions options, TimeProvider time, ILogger logger)
    {
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(options.Directory);
            lockFile = new FileStream(Path.Combine(options.Directory, "outbox.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new OutboxException($"{Path.GetFullPath(options.Directory)} cannot be used: {e.Message} (is another edge node of this line running with the same data directory?)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OutboxException($"{Path.GetFullPath(options.Directory)} cannot be used: {e.Message}", e);
        }

        var state = OutboxState.Load(Path.Combine(options.Directory, OutboxState.FileName), logger);
        var outbox = new EdgeOutbox(options, time, logger, lockFile, state);
        try
        {
            outbox.Recover();
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }

        outbox._writer.Start();
        return outbox;
    }

    public void Append(string kind, DateTimeOffset time, ReadOnlySpan<byte> body, long sourceSequence = 0)
    {
        if (kind.Length is 0 or > 64)
        {
            throw new ArgumentException($"kind '{kind}' must be 1 to 64 characters", nameof(kind));
        }

        Enqueue(kind, time, body.ToArray(), sourceSequence, copy: false);
    }

    /// <summary>Completes once everything appended before the call is on disk.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_durableSequence >= _lastSequence)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((_lastSequence, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Takes records to send: every pending alarm first, then the others in sequence order, only
    /// records already on disk; at most <paramref name="maxRecords"/> and about
    /// <paramref name="maxBytes"/> of bodies (one record at least). They are in flight until
    /// acknowledged or requeued.
    /// </summary>
    public IReadOnlyList<OutboxRecord> Take(int maxRecords, int maxBytes)
    {
        List<Entry> taken = [];
        lock (_gate)
        {
            var bytes = 0;
            foreach (var queue in new[] { _pendingAlarms, _pendingOthers })
            {
                foreach (var entry in queue.Values)
                {
                    if (taken.Count >= maxRecords || (taken.Count > 0 && bytes + entry.BodyLength > maxBytes))
                    {
                        break;
                    }

                    taken.Add(entry);
                    bytes += entry.BodyLength;
                }
            }

            foreach (var entry in taken)
            {
                (entry.Kind == RecordKinds.Alarm ? _pendingAlarms : _pendingOthers).Remove(entry.Sequence);
                _inFlight[entry.Sequence] = entry;
            }
        }

        return [.. taken.Select(e => new OutboxRecord(e.Sequence, e.Kind, e.Time, ReadBody(e)))];
    }

    /// <summary>Forgets the records the cloud stored. Sequences not held (already acknowledged) are ignored.</summary>
    public void Acknowledge(IReadOnlyList<SequenceRange> ranges)
    {
        lock (_gate)
        {
            var removed = 0L;
            foreach (var range in ranges)
            {
                if (range.Last - range.First > _inFlight.Count + _pendingAlarms.Count + _pendingOthers.Count)
                {
                    // A wide range: walk what is held rather than every number in it.
                    foreach (var sequence in _inFlight.Keys.Concat(_pendingAlarms.Keys).Concat(_pendingOthers.Keys).Where(s => s >= range.First && s <= range.Last).ToList())
                    {
                        removed += Remove(sequence) ? 1 : 0;
                    }
                }
                else
                {
                    for (var sequence = range.First; sequence <= range.Last; sequence++)
                    {
                        removed += Remove(sequence) ? 1 : 0;
                    }
                }
            }

            if (removed > 0)
            {
                _state.Acknowledged += removed;
                _state.AppendAcknowledgements(_options.Directory, ranges);
                DeleteFinishedSegments();
            }
        }
    }

    /// <summary>Everything in flight becomes pending again (sent again on the next take).</summary>
    public void Requeue()
    {
        lock (_gate)
        {
            foreach (var entry in _inFlight.Values)
            {
                (entry.Kind == RecordKinds.Alarm ? _pendingAlarms : _pendingOthers)[entry.Sequence] = entry;
            }

            _inFlight.Clear();
            if (_pendingAlarms.Count + _pendingOthers.Count > 0)
            {
                _pendingSignal.TrySetResult();
            }
        }
    }

    /// <summary>Completes when <see cref="Take"/> would return something.</summary>
    public Task WaitForPendingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pendingAlarms.Count + _pendingOthers.Count > 0)
            {
                return Task.CompletedTask;
            }

            if (_pendingSignal.Task.IsCompleted)
            {
                _pendingSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _pendingSignal.Task.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _appends.Writer.TryComplete();
        _writer.Join();
        lock (_gate)
        {
            foreach (var segment in _segments.Values)
            {
                segment.Dispose();
            }

            _state.Save(_options.Directory);
        }

        _lock.Dispose();
    }

    private void Enqueue(string kind, DateTimeOffset time, byte[] body, long sourceSequence, bool copy)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(EdgeOutbox), "the outbox is closed");
            }

            _appends.Writer.TryWrite(new PendingAppend(++_lastSequence, kind, time, sourceSequence, copy, body));
        }
    }

    private bool Remove(long sequence)
    {
        if (!_inFlight.Remove(sequence, out var entry) && !_pendingAlarms.Remove(sequence, out entry) && !_pendingOthers.Remove(sequence, out entry))
        {
            return false;
        }

        _pendingBytes -= entry.BodyLength;
        entry.Segment.Live--;
        return true;
    }

    private static ReadOnlyMemory<byte> ReadBody(Entry entry)
    {
        var body = new byte[entry.BodyLength];
        lock (entry.Segment)
        {
            RandomAccess.Read(entry.Segment.Handle, body, entry.BodyOffset);
        }

        return body;
    }

    private sealed record PendingAppend(long Sequence, string Kind, DateTimeOffset Time, long SourceSequence, bool Copy, byte[] Body);

    private sealed record Entry(long Sequence, string Kind, DateTimeOffset Time, Segment Segment, long BodyOffset, int BodyLength);

    internal static int FrameLength(string kind, int bodyLength) => FrameHeader + RecordHeader + Encoding.UTF8.GetByteCount(kind) + bodyLength;

    /// <summary>[length][crc32 of the rest] [sequence][time ticks][source sequence][kind length][flags][kind][body], little-endian.</summary>
    internal static void WriteFrame(Span<byte> frame, long sequence, string kind, DateTimeOffset time, long sourceSequence, bool copy, ReadOnlySpan<byte> body)
    {
        var payload = frame[FrameHeader..];
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], time.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], sourceSequence);
        var kindLength = Encoding.UTF8.GetBytes(kind, payload[RecordHeader..]);
        payload[24] = (byte)kindLength;
        payload[25] = copy ? (byte)1 : (byte)0;
        body.CopyTo(payload[(RecordHeader + kindLength)..]);
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32.Compute(payload));
    }
}
