using Factory.Contracts.Link;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>Opening an outbox directory: the lock, the state, the records of the segment files.</summary>
public sealed partial class EdgeOutbox
{
    private const string LockFileName = "outbox.lock";

    /// <summary>
    /// Opens (or creates) the outbox in <see cref="OutboxOptions.Directory"/> and recovers what it
    /// held: every record of the segment files not acknowledged is pending again (nothing is in
    /// flight). A record cut short by a crash at the end of a file is cut off, a damaged one in the
    /// middle skipped; both are logged with the file and offset.
    /// </summary>
    /// <exception cref="OutboxException">The directory cannot be used, or another process has it open.</exception>
    public static EdgeOutbox Open(OutboxOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var directory = Path.GetFullPath(options.Directory);
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(directory);

            // FileShare.None is an exclusive flock on Linux: held while this outbox is open, released by the kernel if the process dies.
            lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (Directory.Exists(directory) && File.Exists(Path.Combine(directory, LockFileName)))
        {
            throw new OutboxException($"The outbox directory {directory} is in use by another process (it holds {Path.Combine(directory, LockFileName)}): only one edge node may use an outbox directory. ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutboxException($"The outbox directory {directory} cannot be used: {e.Message}", e);
        }

        try
        {
            var (stateLog, state, trusted) = OutboxStateLog.Open(directory, logger);
            var outbox = new EdgeOutbox(options, directory, time, logger, lockFile, stateLog, state);
            try
            {
                outbox.Recover(trusted);
            }
            catch
            {
                outbox.CloseFiles();
                throw;
            }

            outbox._writer.Start();
            return outbox;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lockFile.Dispose();
            throw new OutboxException($"The outbox directory {directory} cannot be read: {e.Message}", e);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static void Validate(OutboxOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new OutboxException("The outbox needs a directory (OutboxOptions.Directory is empty).");
        }

        if (options.QuotaBytes <= 0 || options.SegmentBytes is < 1024 or > 1 << 30 || options.FlushInterval < TimeSpan.Zero || options.DownsampleTo <= TimeSpan.Zero)
        {
            throw new OutboxException(
                $"Outbox options for {options.Directory} are out of range: QuotaBytes {options.QuotaBytes} (must be > 0), SegmentBytes {options.SegmentBytes} (1 KB to 1 GB), FlushInterval {options.FlushInterval} (>= 0), DownsampleTo {options.DownsampleTo} (> 0).");
        }
    }

    private void Recover(bool stateTrusted)
    {
        var lastSequence = _state.LastSequence;
        var lastAlarm = _state.LastAlarmSequence;
        var found = new List<(long Sequence, int Order, RecordSlot Slot, int FrameLength)>();
        foreach (var (path, index) in OutboxSegment.List(_directory))
        {
            var segment = OutboxSegment.Open(path, index);
            _segments.Add(index, segment);
            _lastSegmentIndex = Math.Max(_lastSegmentIndex, index);
            foreach (var frame in segment.Scan(_logger))
            {
                var kind = KindId(frame.Kind);
                lastSequence = Math.Max(lastSequence, frame.Sequence);
                segment.MinSequence = Math.Min(segment.MinSequence, frame.Sequence);
                segment.MaxSequence = Math.Max(segment.MaxSequence, frame.Sequence);
                if (frame.Kind == RecordKinds.Alarm)
                {
                    lastAlarm = Math.Max(lastAlarm, frame.SourceSequence);
                }

                if (frame.Sequence > _state.CountedThrough && frame.Flags == FrameFlags.None)
                {
                    _state.AppendedByKind[frame.Kind] = _state.AppendedByKind.GetValueOrDefault(frame.Kind) + 1;
                }

                if (!_removed.Contains(frame.Sequence))
                {
                    found.Add((frame.Sequence, found.Count, new RecordSlot
                    {
                        TimeTicks = frame.TimeTicks,
                        BodyOffset = frame.BodyOffset,
                        BodyLength = frame.BodyLength,
                        Segment = index,
                        Kind = kind,
                        State = SlotState.Pending,
                        Flags = frame.Flags,
                    }, frame.FrameLength));
                }
            }
        }

        // A record moved by compaction may be in two files until the old one is deleted: the later copy counts.
        found.Sort((a, b) => a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : a.Order.CompareTo(b.Order));
        for (var i = 0; i < found.Count; i++)
        {
            if (i + 1 < found.Count && found[i + 1].Sequence == found[i].Sequence)
            {
                continue;
            }

            var (sequence, _, slot, frameLength) = found[i];
            _slots.Add(sequence, slot);
            var segment = _segments[slot.Segment];
            segment.Live++;
            segment.LiveBytes += frameLength;
            _pendingCount++;
            _liveBodyBytes += slot.BodyLength;
            _liveFrameBytes += frameLength;
            if (_kinds[slot.Kind] == RecordKinds.Alarm)
            {
                _pendingAlarms.Add(sequence);
            }
        }

        _state.LastSequence = _state.CountedThrough = _lastSequence = _durableSequence = lastSequence;
        _state.LastAlarmSequence = _lastAlarmSequence = lastAlarm;
        _takeCursor = _slots.Head;
        _stateDirty = !stateTrusted;
        _maintenanceDue = _segments.Count > 0;
        if (_pendingCount > 0)
        {
            _logger.LogInformation(
                "Outbox {Directory}: {Records} records not yet acknowledged by the cloud recovered from {Segments} segment files; they are sent again",
                _directory, _pendingCount, _segments.Count);
        }

        SignalPending();
    }

    private void CloseFiles()
    {
        foreach (var segment in _segments.Values)
        {
            segment.Dispose();
        }

        _stateLog.Dispose();
    }
}
