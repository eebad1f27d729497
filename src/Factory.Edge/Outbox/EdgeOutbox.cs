using System.Diagnostics;
using System.Text;
using Factory.Contracts.Link;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>
/// The edge's store and forward (docs/outbox.md). Every record for the cloud is written to a
/// segment file by one background writer and flushed to disk (fsync; one flush for everything
/// appended meanwhile) before the link may take it, and stays until the cloud acknowledges that
/// it stored it. Pending alarms are taken first, then everything else in append order. A segment
/// whose records are all acknowledged or evicted is deleted. Over the disk quota, summaries are
/// downsampled, then anomaly windows, health records and summaries are dropped, oldest first;
/// alarms never are.
/// </summary>
public sealed partial class EdgeOutbox : IOutbox, IDisposable
{
    /// <summary>Staged bytes that start a flush at once, without waiting for <see cref="OutboxOptions.FlushInterval"/>.</summary>
    private const int CommitAt = 1 << 20;
    private const int MaxBodyBytes = 64 << 20;

    private readonly object _gate = new();
    private readonly OutboxOptions _options;
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FileStream _lockFile;
    private readonly OutboxStateLog _stateLog;
    private readonly OutboxState _state;
    private readonly SequenceSet _removed;
    private readonly RecordSlots _slots = new();
    private readonly SortedSet<long> _pendingAlarms = [];
    private readonly HashSet<long> _inFlight = [];
    private readonly SortedDictionary<int, OutboxSegment> _segments = [];
    private readonly Dictionary<string, byte> _kindIds = [];
    private readonly List<string> _kinds = [];
    private readonly List<byte[]> _kindBytes = [];
    private readonly List<(long Sequence, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly Thread _writer;
    private TaskCompletionSource _pendingSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSequence;
    private long _durableSequence;
    private long _lastAlarmSequence;
    private long _pendingCount;
    private long _liveBodyBytes;
    private long _liveFrameBytes;
    private long _takeCursor;
    private bool _closing;
    private bool _disposed;

    private EdgeOutbox(OutboxOptions options, string directory, TimeProvider time, ILogger logger, FileStream lockFile, OutboxStateLog stateLog, OutboxState state)
    {
        _options = options;
        _directory = directory;
        _time = time;
        _logger = logger;
        _lockFile = lockFile;
        _stateLog = stateLog;
        _state = state;
        _removed = new SequenceSet(state.Removed);

        // A thread of its own, as the alarm journal's: it blocks in fsync.
        _writer = new Thread(RunWriter) { IsBackground = true, Name = $"outbox writer {Path.GetFileName(directory)}" };
    }

    /// <summary>The highest alarm-journal sequence ever appended (kept across restarts, also after the record was acknowledged and its segment deleted).</summary>
    public long LastAlarmSequence => Interlocked.Read(ref _lastAlarmSequence);

    /// <summary>What the outbox holds and has done (cheap enough to read for every batch sent).</summary>
    public OutboxMetrics Metrics
    {
        get
        {
            lock (_gate)
            {
                var oldest = _slots.MinTime();
                return new OutboxMetrics(
                    _pendingCount + _inFlight.Count,
                    _liveBodyBytes,
                    _inFlight.Count,
                    oldest is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
                    new Dictionary<string, long>(_state.AppendedByKind),
                    _state.Acknowledged,
                    _state.Downsampled,
                    new Dictionary<string, long>(_state.EvictedByKind),
                    DiskBytes(),
                    _options.QuotaBytes,
                    _durableSequence);
            }
        }
    }

    /// <summary>
    /// Appends a record: thread-safe, never waits for the disk. Sequence numbers are given in
    /// append order, from 1, and never reused, also across restarts.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is empty or longer than 255 bytes, or the body is larger than 64 MB.</exception>
    /// <exception cref="ObjectDisposedException">The outbox is closed.</exception>
    public void Append(string kind, DateTimeOffset time, ReadOnlySpan<byte> body, long sourceSequence = 0)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (body.Length > MaxBodyBytes)
        {
            throw new ArgumentException($"A {kind} record of {body.Length} bytes is larger than the outbox takes ({MaxBodyBytes} bytes).", nameof(body));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            var kindId = KindId(kind);
            Stage(kindId, time.UtcTicks, body, sourceSequence, FrameFlags.None);
            if (kind == RecordKinds.Alarm && sourceSequence > _lastAlarmSequence)
            {
                Interlocked.Exchange(ref _lastAlarmSequence, sourceSequence);
            }
        }
    }

    /// <summary>Completes once everything appended before the call is on disk (written and flushed).</summary>
    public Task FlushAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_durableSequence >= _lastSequence)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((_lastSequence, done));
            _flushRequested = true;
            Monitor.PulseAll(_gate);
            return done.Task.WaitAsync(ct);
        }
    }

    /// <summary>
    /// Takes records to send, only ones already on disk and not in flight: every pending alarm
    /// first, in sequence order, then the other kinds in sequence order; at most
    /// <paramref name="maxRecords"/> and <paramref name="maxBytes"/> of bodies, but at least one
    /// record if any is pending. They are in flight until acknowledged or requeued.
    /// </summary>
    public IReadOnlyList<OutboxRecord> Take(int maxRecords, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var taken = new List<long>();
            long bytes = 0;
            var full = false;
            foreach (var sequence in _pendingAlarms)
            {
                if (!Fits(sequence, _slots[sequence].BodyLength))
                {
                    full = true;
                    break;
                }
            }

            foreach (var sequence in taken)
            {
                _pendingAlarms.Remove(sequence);
            }

            var cursor = Math.Max(_takeCursor, _slots.Head);
            for (; !full && cursor < _slots.Tail; cursor++)
            {
                ref var slot = ref _slots[cursor];
                if (slot.State != SlotState.Pending || _kinds[slot.Kind] == RecordKinds.Alarm)
                {
                    continue;
                }

                if (!Fits(cursor, slot.BodyLength))
                {
                    break;
                }
            }

            _takeCursor = cursor;
            foreach (var sequence in taken)
            {
                _slots[sequence].State = SlotState.InFlight;
                _inFlight.Add(sequence);
            }

            _pendingCount -= taken.Count;
            return ReadBodies(taken);

            bool Fits(long sequence, int length)
            {
                if (taken.Count >= maxRecords || (taken.Count > 0 && bytes + length > maxBytes))
                {
                    return false;
                }

                taken.Add(sequence);
                bytes += length;
                return true;
            }
        }
    }

    /// <summary>
    /// Forgets for good the records the cloud stored (kept in the state file; a crash before it is
    /// saved costs duplicates, not records). Sequences not held any more are ignored.
    /// </summary>
    public void Acknowledge(IReadOnlyList<SequenceRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        lock (_gate)
        {
            long acknowledged = 0;
            foreach (var range in ranges)
            {
                for (var sequence = Math.Max(range.First, _slots.Head); sequence <= range.Last && sequence < _slots.Tail; sequence++)
                {
                    if (_slots.IsLive(sequence))
                    {
                        RemoveLive(sequence);
                        acknowledged++;
                    }
                }
            }

            _state.Acknowledged += acknowledged;
        }
    }

    /// <summary>The lowest sequence sent and not yet acknowledged; null when nothing is in flight.</summary>
    public long? OldestInFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count == 0 ? null : _inFlight.Min();
            }
        }
    }

    /// <summary>Every record in flight becomes pending again, to be taken again in the usual order.</summary>
    public void Requeue()
    {
        lock (_gate)
        {
            foreach (var sequence in _inFlight)
            {
                ref var slot = ref _slots[sequence];
                slot.State = SlotState.Pending;
                if (_kinds[slot.Kind] == RecordKinds.Alarm)
                {
                    _pendingAlarms.Add(sequence);
                }
                else
                {
                    _takeCursor = Math.Min(_takeCursor, sequence);
                }
            }

            _pendingCount += _inFlight.Count;
            _inFlight.Clear();
            SignalPending();
        }
    }

    /// <summary>Completes when <see cref="Take"/> would return something.</summary>
    public Task WaitForPendingAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_pendingCount > 0)
            {
                return Task.CompletedTask;
            }

            if (_pendingSignal.Task.IsCompleted)
            {
                _pendingSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _pendingSignal.Task.WaitAsync(ct);
        }
    }

    /// <summary>Writes what was appended, saves the state, closes the files and releases the directory.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.PulseAll(_gate);
        }

        _writer.Join();
        lock (_gate)
        {
            _disposed = true;
            foreach (var segment in _segments.Values)
            {
                segment.Dispose();
            }

            foreach (var (_, done) in _flushWaiters)
            {
                done.TrySetException(new ObjectDisposedException(nameof(EdgeOutbox), $"The outbox {_directory} was closed before these records could be written."));
            }
        }

        _stateLog.Dispose();
        _lockFile.Dispose();
    }

    private byte KindId(string kind)
    {
        if (_kindIds.TryGetValue(kind, out var id))
        {
            return id;
        }

        var bytes = Encoding.UTF8.GetBytes(kind);
        if (bytes.Length is 0 or > 255)
        {
            throw new ArgumentException($"The record kind '{kind}' must be 1 to 255 bytes of UTF-8.", nameof(kind));
        }

        if (_kinds.Count == 255)
        {
            throw new ArgumentException($"The outbox takes at most 255 record kinds; '{kind}' would be one more.", nameof(kind));
        }

        id = (byte)_kinds.Count;
        _kindIds[kind] = id;
        _kinds.Add(kind);
        _kindBytes.Add(bytes);
        return id;
    }

    /// <summary>Frames a record into the staging buffer for the writer; the lock is held.</summary>
    private long Stage(byte kind, long timeTicks, ReadOnlySpan<byte> body, long sourceSequence, FrameFlags flags)
    {
        var kindBytes = _kindBytes[kind];
        var length = OutboxFrame.Length(kindBytes.Length, body.Length);
        if (_stage.Length - _stageLength < length)
        {
            Array.Resize(ref _stage, Math.Max(_stage.Length * 2, _stageLength + length));
        }

        var sequence = ++_lastSequence;
        OutboxFrame.Write(_stage.AsSpan(_stageLength, length), sequence, timeTicks, sourceSequence, flags, kindBytes, body);
        _stageLength += length;
        _staged.Add(new StagedRecord(sequence, kind, timeTicks, length, body.Length, flags, sourceSequence));
        if (_staged.Count == 1)
        {
            _firstStagedAt = Stopwatch.GetTimestamp();
            Monitor.PulseAll(_gate);
        }
        else if (_stageLength >= CommitAt && _stageLength - length < CommitAt)
        {
            Monitor.PulseAll(_gate);
        }

        return sequence;
    }

    /// <summary>Removes a live record (acknowledged or evicted); the lock is held.</summary>
    private void RemoveLive(long sequence)
    {
        ref var slot = ref _slots[sequence];
        var segment = _segments[slot.Segment];
        var frameLength = OutboxFrame.Length(_kindBytes[slot.Kind].Length, slot.BodyLength);
        segment.Live--;
        segment.LiveBytes -= frameLength;
        if (slot.State == SlotState.InFlight)
        {
            _inFlight.Remove(sequence);
        }
        else
        {
            _pendingCount--;
            if (_kinds[slot.Kind] == RecordKinds.Alarm)
            {
                _pendingAlarms.Remove(sequence);
            }
        }

        _liveBodyBytes -= slot.BodyLength;
        _liveFrameBytes -= frameLength;
        _slots.Remove(sequence);
        _removed.Add(sequence);
        if (!_stateDirty)
        {
            // Wakes the writer to save the state within StateSaveInterval.
            _stateDirty = true;
            Monitor.PulseAll(_gate);
        }

        if (segment.Live == 0 && !ReferenceEquals(segment, _active))
        {
            _maintenanceDue = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Reads the bodies of records just taken, one read for each run of neighbours in a segment; the lock is held.</summary>
    private List<OutboxRecord> ReadBodies(List<long> sequences)
    {
        var records = new List<OutboxRecord>(sequences.Count);
        var i = 0;
        while (i < sequences.Count)
        {
            var first = _slots[sequences[i]];
            var start = first.BodyOffset;
            var end = start + first.BodyLength;
            var j = i + 1;
            while (j < sequences.Count)
            {
                var next = _slots[sequences[j]];
                if (next.Segment != first.Segment || next.BodyOffset < end || next.BodyOffset - end > 4096)
                {
                    break;
                }

                end = next.BodyOffset + next.BodyLength;
                j++;
            }

            var segment = _segments[first.Segment];
            var buffer = new byte[end - start];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = RandomAccess.Read(segment.Handle, buffer.AsSpan(read), start + read);
                if (n == 0)
                {
                    throw new OutboxException($"Outbox segment {segment.Path} ends at {start + read} bytes, before the record {sequences[i]} it should hold (was it changed by something else?).");
                }

                read += n;
            }

            for (; i < j; i++)
            {
                var slot = _slots[sequences[i]];
                records.Add(new OutboxRecord(
                    sequences[i],
                    _kinds[slot.Kind],
                    new DateTimeOffset(slot.TimeTicks, TimeSpan.Zero),
                    buffer.AsMemory(slot.BodyOffset - start, slot.BodyLength)));
            }
        }

        return records;
    }

    private void SignalPending()
    {
        if (_pendingCount > 0)
        {
            _pendingSignal.TrySetResult();
        }
    }

    private long DiskBytes()
    {
        long bytes = 0;
        foreach (var segment in _segments.Values)
        {
            bytes += segment.Length;
        }

        return bytes;
    }

    private int FrameLength(in RecordSlot slot) => OutboxFrame.Length(_kindBytes[slot.Kind].Length, slot.BodyLength);

    private readonly record struct StagedRecord(long Sequence, byte Kind, long TimeTicks, int FrameLength, int BodyLength, FrameFlags Flags, long SourceSequence);
}
