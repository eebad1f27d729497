using System.Diagnostics;
using Factory.Contracts.Link;
using Factory.Edge.Alarms;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>The writer: group commit of the staged records, segment files, state saves, deleting what is done.</summary>
public sealed partial class EdgeOutbox
{
    /// <summary>Acknowledgements are saved at most this long after they arrive (lost ones cost duplicates only).</summary>
    private static readonly TimeSpan StateSaveInterval = TimeSpan.FromMilliseconds(200);

    private byte[] _stage = new byte[64 * 1024];
    private int _stageLength;
    private List<StagedRecord> _staged = [];
    private byte[] _spareStage = new byte[64 * 1024];
    private List<StagedRecord> _spareStaged = [];
    private long _firstStagedAt;
    private bool _flushRequested;
    private bool _stateDirty;
    private bool _maintenanceDue;
    private long _lastStateSave;
    private OutboxSegment? _active;
    private int _lastSegmentIndex;
    private long _commits;

    /// <summary>Group commits so far (writes flushed to disk), for benchmarks.</summary>
    internal long Commits
    {
        get
        {
            lock (_gate)
            {
                return _commits;
            }
        }
    }

    private void RunWriter()
    {
        while (true)
        {
            bool closing;
            lock (_gate)
            {
                while (_staged.Count == 0 && !_closing && !_maintenanceDue)
                {
                    if (!Monitor.Wait(_gate, _stateDirty ? StateSaveInterval : Timeout.InfiniteTimeSpan) && _stateDirty)
                    {
                        break;
                    }
                }

                // Group commit: give the appends that follow a moment to share the flush.
                while (_staged.Count > 0 && !_closing && !_flushRequested && _stageLength < CommitAt)
                {
                    var remaining = _options.FlushInterval - Stopwatch.GetElapsedTime(_firstStagedAt);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    Monitor.Wait(_gate, remaining);
                }

                closing = _closing;
            }

            try
            {
                CommitStaged(closing);
                Maintain(closing);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Maintenance failed (a state save or a delete): nothing is lost, it is tried again.
                _logger.LogError(e, "Outbox {Directory}: housekeeping failed; retried shortly", _directory);
                lock (_gate)
                {
                    Monitor.Wait(_gate, TimeSpan.FromSeconds(1));
                }
            }

            if (closing)
            {
                return;
            }
        }
    }

    /// <summary>Writes and flushes what is staged, then makes it visible to <see cref="Take"/> and <see cref="FlushAsync"/>.</summary>
    private void CommitStaged(bool closing)
    {
        byte[] buffer;
        int length;
        List<StagedRecord> records;
        lock (_gate)
        {
            if (_staged.Count == 0)
            {
                return;
            }

            (buffer, length, records) = (_stage, _stageLength, _staged);
            (_stage, _stageLength, _staged) = (_spareStage, 0, _spareStaged);
            _flushRequested = false;
        }

        var offset = 0;
        var lengths = new int[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            OutboxFrame.Seal(buffer.AsSpan(offset, records[i].FrameLength));
            lengths[i] = records[i].FrameLength;
            offset += lengths[i];
        }

        var placements = WriteDurably(buffer, lengths, closing);
        lock (_gate)
        {
            if (placements is null)
            {
                var lost = new IOException($"The outbox {_directory} was closed while its disk refused {records.Count} records; they are lost.");
                foreach (var (_, done) in _flushWaiters)
                {
                    done.TrySetException(lost);
                }

                _flushWaiters.Clear();
            }
            else
            {
                for (var i = 0; i < records.Count; i++)
                {
                    Register(records[i], placements[i]);
                }

                _durableSequence = records[^1].Sequence;
                for (var i = _flushWaiters.Count - 1; i >= 0; i--)
                {
                    if (_flushWaiters[i].Sequence <= _durableSequence)
                    {
                        _flushWaiters[i].Done.TrySetResult();
                        _flushWaiters.RemoveAt(i);
                    }
                }

                SignalPending();
            }

            records.Clear();
            (_spareStage, _spareStaged) = (buffer, records);
        }
    }

    private void Register(in StagedRecord record, Placement placement)
    {
        var kind = _kinds[record.Kind];
        var segment = placement.Segment;
        _slots.Add(record.Sequence, new RecordSlot
        {
            TimeTicks = record.TimeTicks,
            BodyOffset = (int)(placement.FrameOffset + record.FrameLength - record.BodyLength),
            BodyLength = record.BodyLength,
            Segment = segment.Index,
            Kind = record.Kind,
            State = SlotState.Pending,
            Flags = record.Flags,
        });
        segment.Live++;
        segment.LiveBytes += record.FrameLength;
        segment.MinSequence = Math.Min(segment.MinSequence, record.Sequence);
        segment.MaxSequence = Math.Max(segment.MaxSequence, record.Sequence);
        _pendingCount++;
        _liveBodyBytes += record.BodyLength;
        _liveFrameBytes += record.FrameLength;
        if (kind == RecordKinds.Alarm)
        {
            _pendingAlarms.Add(record.Sequence);
            _state.LastAlarmSequence = Math.Max(_state.LastAlarmSequence, record.SourceSequence);
        }

        if (record.Flags == FrameFlags.None)
        {
            _state.AppendedByKind[kind] = _state.AppendedByKind.GetValueOrDefault(kind) + 1;
        }

        _state.CountedThrough = record.Sequence;
        _state.LastSequence = record.Sequence;
        _stateDirty = true;
    }

    /// <summary>Writes frames until the disk takes them; null only if the outbox closes while it refuses them.</summary>
    private Placement[]? WriteDurably(byte[] buffer, int[] lengths, bool closing)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return WriteFrames(buffer, lengths);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 1 || attempt % 60 == 0)
                {
                    _logger.LogError(e, "Outbox {Directory}: writing {Records} records failed (attempt {Attempt}); they stay in memory and are tried again every second", _directory, lengths.Length, attempt);
                }

                if (closing && attempt >= 3)
                {
                    _logger.LogError("Outbox {Directory}: closing with {Records} records the disk did not take; they are lost", _directory, lengths.Length);
                    return null;
                }

                lock (_gate)
                {
                    Monitor.Wait(_gate, TimeSpan.FromSeconds(1));
                }
            }
        }
    }

    /// <summary>Appends whole frames to the active segment (a new one when it is full) and flushes every file written.</summary>
    private Placement[] WriteFrames(byte[] buffer, int[] lengths)
    {
        var placements = new Placement[lengths.Length];
        var written = new List<(OutboxSegment Segment, long From, long To)>();
        try
        {
            var i = 0;
            var position = 0;
            while (i < lengths.Length)
            {
                var segment = _active ?? NewSegment();
                var end = segment.Length;
                var runStart = position;

                // An empty segment takes any frame, however large.
                while (i < lengths.Length && (end == 0 || end + lengths[i] <= _options.SegmentBytes))
                {
                    placements[i] = new Placement(segment, end);
                    end += lengths[i];
                    position += lengths[i];
                    i++;
                }

                if (position > runStart)
                {
                    RandomAccess.Write(segment.Handle, buffer.AsSpan(runStart, position - runStart), segment.Length);
                    written.Add((segment, segment.Length, end));
                }

                if (i < lengths.Length || end >= _options.SegmentBytes)
                {
                    lock (_gate)
                    {
                        // Full: the next write starts a new segment; this one may be finished already.
                        _active = null;
                        _maintenanceDue = true;
                    }
                }
            }

            foreach (var (segment, _, _) in written)
            {
                RandomAccess.FlushToDisk(segment.Handle);
            }
        }
        catch
        {
            // Cut off what may be half-written, so that the next attempt starts at a whole frame.
            foreach (var (segment, from, _) in written)
            {
                try
                {
                    RandomAccess.SetLength(segment.Handle, from);
                }
                catch (IOException)
                {
                    // Open() cuts off a torn tail as well.
                }
            }

            throw;
        }

        lock (_gate)
        {
            foreach (var (segment, _, to) in written)
            {
                segment.Length = to;
            }

            _commits++;
        }

        return placements;
    }

    private OutboxSegment NewSegment()
    {
        var segment = OutboxSegment.Create(_directory, ++_lastSegmentIndex);

        // The new file's name must be on disk before the records in it count.
        DirectorySync.Flush(_directory);
        lock (_gate)
        {
            _segments.Add(segment.Index, segment);
            _active = segment;
        }

        return segment;
    }

    private void Maintain(bool closing)
    {
        bool quota;
        lock (_gate)
        {
            quota = DiskBytes() > _options.QuotaBytes && (_maintenanceDue || _time.GetTimestamp() >= _nextQuotaCheck);
            _maintenanceDue = false;
        }

        if (quota && !closing)
        {
            EnforceQuota();
        }

        DeleteFinishedSegments();
        bool save;
        lock (_gate)
        {
            save = _stateDirty && (closing || Stopwatch.GetElapsedTime(_lastStateSave) >= StateSaveInterval);
        }

        if (save)
        {
            SaveState();
        }
    }

    /// <summary>Deletes the segments (not the one written to) that hold nothing live, after saving the state that counts their records.</summary>
    private void DeleteFinishedSegments()
    {
        List<OutboxSegment> finished;
        lock (_gate)
        {
            finished = [.. _segments.Values.Where(s => s.Live == 0 && !ReferenceEquals(s, _active))];
        }

        if (finished.Count == 0)
        {
            return;
        }

        SaveState();
        lock (_gate)
        {
            foreach (var segment in finished)
            {
                _segments.Remove(segment.Index);
                segment.Dispose();
                File.Delete(segment.Path);
            }
        }

        DirectorySync.Flush(_directory);
        lock (_gate)
        {
            // Acknowledgements of sequences below every remaining segment's are not needed any more.
            var lowest = _segments.Values.Select(s => s.MinSequence).DefaultIfEmpty(long.MaxValue).Min();
            _removed.RemoveBelow(Math.Min(lowest, _durableSequence + 1));
            _stateDirty = true;
        }

        _logger.LogDebug("Outbox {Directory}: deleted {Segments} segments whose records were all acknowledged or evicted", _directory, finished.Count);
    }

    private void SaveState()
    {
        OutboxState snapshot;
        lock (_gate)
        {
            snapshot = _state.Copy();
            snapshot.Removed = [.. _removed.Ranges];
            _stateDirty = false;
            _lastStateSave = Stopwatch.GetTimestamp();
        }

        try
        {
            _stateLog.Save(snapshot);
        }
        catch
        {
            lock (_gate)
            {
                _stateDirty = true;
            }

            throw;
        }
    }

    private readonly record struct Placement(OutboxSegment Segment, long FrameOffset);
}
