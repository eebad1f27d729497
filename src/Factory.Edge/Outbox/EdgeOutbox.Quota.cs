using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>
/// Over the disk quota (docs/outbox.md): the live records are brought under
/// <see cref="LiveShareOfQuota"/> of the quota by (1) downsampling the oldest summaries, then
/// (2) dropping the oldest anomaly windows, health records and summaries, in that order; alarms
/// are never dropped, records in flight never touched. Then segments are compacted (their live
/// records copied forward with their sequence, the file deleted) until the files fit the quota.
/// </summary>
public sealed partial class EdgeOutbox
{
    /// <summary>Live records are brought under this share of the quota, leaving room for the segment being written and for compaction.</summary>
    private const double LiveShareOfQuota = 0.8;

    private static readonly string[] EvictionOrder = [RecordKinds.AnomalyWindow, RecordKinds.Health, RecordKinds.Summary];
    private long _nextQuotaCheck;
    private DateTimeOffset? _lastAlarmsOnlyError;

    private void EnforceQuota()
    {
        long needed;
        lock (_gate)
        {
            needed = _liveFrameBytes - (long)(_options.QuotaBytes * LiveShareOfQuota);
        }

        if (needed > 0)
        {
            needed -= Downsample(needed);
            CommitStaged(closing: false);
            foreach (var kind in EvictionOrder)
            {
                if (needed > 0)
                {
                    needed -= Drop(kind, needed);
                }
            }
        }

        var fits = Compact();
        lock (_gate)
        {
            if (fits && needed <= 0)
            {
                return;
            }

            // Nothing more to do until acknowledgements arrive; do not scan again at every flush.
            _nextQuotaCheck = _time.GetTimestamp() + _time.TimestampFrequency;
            var now = _time.GetUtcNow();
            if (needed > 0 && (_lastAlarmsOnlyError is not { } last || now - last >= TimeSpan.FromHours(1)))
            {
                _lastAlarmsOnlyError = now;
                _logger.LogError(
                    "Outbox {Directory} is over its quota of {Quota} bytes ({Disk} bytes on disk) with only alarms and records in flight left: alarms are never evicted, so it grows past the quota until the cloud acknowledges them (logged at most once an hour)",
                    _directory, _options.QuotaBytes, DiskBytes());
            }
        }
    }

    /// <summary>Step 1: merges the oldest summaries of each sensor into <see cref="OutboxOptions.DownsampleTo"/> intervals; returns the bytes saved.</summary>
    private long Downsample(long needed)
    {
        var interval = _options.DownsampleTo;
        var candidates = new List<(long Sequence, RecordSlot Slot)>();
        lock (_gate)
        {
            // The oldest summaries worth the bytes needed (merging k into 1 saves (k-1)/k), then the
            // rest of the intervals they fall in, so that no interval is left half merged.
            long collected = 0;
            long? cutoff = null;
            for (var sequence = _slots.Head; sequence < _slots.Tail; sequence++)
            {
                var slot = _slots[sequence];
                if (slot.State != SlotState.Pending || _kinds[slot.Kind] != RecordKinds.Summary || slot.Flags.HasFlag(FrameFlags.Downsampled))
                {
                    continue;
                }

                if (cutoff is { } end)
                {
                    if (slot.TimeTicks >= end + interval.Ticks)
                    {
                        break;
                    }

                    if (slot.TimeTicks >= end)
                    {
                        continue;
                    }
                }

                candidates.Add((sequence, slot));
                collected += FrameLength(slot);
                if (cutoff is null && collected >= needed * 6 / 5)
                {
                    cutoff = SummaryMerge.Align(new DateTimeOffset(slot.TimeTicks, TimeSpan.Zero), interval).UtcTicks + interval.Ticks;
                }
            }
        }

        if (candidates.Count == 0)
        {
            return 0;
        }

        var groups = new Dictionary<(string Line, string Machine, string Sensor, DateTimeOffset Start), (SummaryMerge Merge, List<long> Sequences, long Time)>();
        foreach (var (sequence, slot) in candidates)
        {
            var summary = ReadSummary(sequence, slot);
            if (summary is null || summary.IntervalSeconds >= interval.TotalSeconds || summary.Count <= 0)
            {
                continue;
            }

            var key = (summary.Line, summary.Machine, summary.Sensor, SummaryMerge.Align(summary.Start, interval));
            if (!groups.TryGetValue(key, out var group))
            {
                group = (new SummaryMerge(), [], slot.TimeTicks);
            }

            group.Merge.Add(summary);
            group.Sequences.Add(sequence);
            groups[key] = group with { Time = Math.Min(group.Time, slot.TimeTicks) };
        }

        long saved = 0;
        var merged = 0;
        var parts = 0;
        lock (_gate)
        {
            var summaryKind = KindId(RecordKinds.Summary);
            foreach (var (key, group) in groups.OrderBy(g => g.Key.Start))
            {
                // Taken meanwhile (in flight) or acknowledged: the group waits for the next time.
                if (group.Sequences.Any(s => !_slots.IsLive(s) || _slots[s].State != SlotState.Pending))
                {
                    continue;
                }

                foreach (var sequence in group.Sequences)
                {
                    saved += FrameLength(_slots[sequence]);
                    RemoveLive(sequence);
                }

                var body = JsonSerializer.SerializeToUtf8Bytes(group.Merge.ToSummary(key.Start, interval), LinkJsonContext.Default.SensorSummary);
                Stage(summaryKind, group.Time, body, 0, FrameFlags.Downsampled);
                saved -= OutboxFrame.Length(_kindBytes[summaryKind].Length, body.Length);
                _state.Downsampled += group.Sequences.Count;
                parts += group.Sequences.Count;
                merged++;
            }
        }

        if (merged > 0)
        {
            _logger.LogWarning(
                "Outbox {Directory} is over its quota of {Quota} bytes: step 1, downsampled the oldest {Parts} summaries into {Merged} summaries of {Interval} s ({Saved} bytes saved)",
                _directory, _options.QuotaBytes, parts, merged, interval.TotalSeconds, saved);
        }

        return saved;
    }

    /// <summary>Step 2: drops the oldest pending records of a kind (by their time) until the bytes needed are freed; returns the bytes freed.</summary>
    private long Drop(string kind, long needed)
    {
        long freed = 0;
        var dropped = 0;
        lock (_gate)
        {
            var victims = new List<(long Time, long Sequence)>();
            for (var sequence = _slots.Head; sequence < _slots.Tail; sequence++)
            {
                var slot = _slots[sequence];
                if (slot.State == SlotState.Pending && _kinds[slot.Kind] == kind)
                {
                    victims.Add((slot.TimeTicks, sequence));
                }
            }

            victims.Sort();
            foreach (var (_, sequence) in victims)
            {
                if (freed >= needed)
                {
                    break;
                }

                freed += FrameLength(_slots[sequence]);
                RemoveLive(sequence);
                dropped++;
            }

            if (dropped > 0)
            {
                _state.EvictedByKind[kind] = _state.EvictedByKind.GetValueOrDefault(kind) + dropped;
            }
        }

        if (dropped > 0)
        {
            _logger.LogWarning(
                "Outbox {Directory} is over its quota of {Quota} bytes: step 2, dropped the oldest {Dropped} {Kind} records ({Freed} bytes)",
                _directory, _options.QuotaBytes, dropped, kind, freed);
        }

        return freed;
    }

    /// <summary>Copies the live records of the segments with the most dead bytes forward and deletes them, until the files fit the quota; false if they cannot.</summary>
    private bool Compact()
    {
        while (true)
        {
            OutboxSegment? victim;
            var moving = new List<(long Sequence, RecordSlot Slot)>();
            lock (_gate)
            {
                if (DiskBytes() <= _options.QuotaBytes)
                {
                    return true;
                }

                victim = _segments.Values
                    .Where(s => !ReferenceEquals(s, _active) && s.Length > s.LiveBytes)
                    .MaxBy(s => s.Length - s.LiveBytes);
                if (victim is null)
                {
                    return false;
                }

                for (var sequence = Math.Max(victim.MinSequence, _slots.Head); sequence <= victim.MaxSequence && sequence < _slots.Tail; sequence++)
                {
                    var slot = _slots[sequence];
                    if (slot.State != SlotState.Empty && slot.Segment == victim.Index)
                    {
                        moving.Add((sequence, slot));
                    }
                }
            }

            var buffer = new byte[moving.Sum(m => (long)FrameLength(m.Slot))];
            var lengths = new int[moving.Count];
            var position = 0;
            for (var i = 0; i < moving.Count; i++)
            {
                var slot = moving[i].Slot;
                lengths[i] = FrameLength(slot);
                var frame = buffer.AsSpan(position, lengths[i]);
                _ = RandomAccess.Read(victim.Handle, frame, slot.BodyOffset + slot.BodyLength - lengths[i]);
                OutboxFrame.SetFlags(frame, slot.Flags | FrameFlags.Relocated);
                position += lengths[i];
            }

            var placements = WriteDurably(buffer, lengths, closing: false)!;
            lock (_gate)
            {
                for (var i = 0; i < moving.Count; i++)
                {
                    var (sequence, old) = moving[i];
                    if (!_slots.IsLive(sequence) || _slots[sequence].Segment != victim.Index)
                    {
                        continue;
                    }

                    ref var slot = ref _slots[sequence];
                    var target = placements[i].Segment;
                    victim.Live--;
                    victim.LiveBytes -= lengths[i];
                    target.Live++;
                    target.LiveBytes += lengths[i];
                    target.MinSequence = Math.Min(target.MinSequence, sequence);
                    target.MaxSequence = Math.Max(target.MaxSequence, sequence);
                    slot.Segment = target.Index;
                    slot.BodyOffset = (int)(placements[i].FrameOffset + lengths[i] - old.BodyLength);
                }
            }

            _logger.LogInformation("Outbox {Directory}: compacted {File}, {Records} live records copied forward", _directory, victim.Path, moving.Count);
            DeleteFinishedSegments();
        }
    }

    private SensorSummary? ReadSummary(long sequence, RecordSlot slot)
    {
        OutboxSegment segment;
        lock (_gate)
        {
            segment = _segments[slot.Segment];
        }

        var body = new byte[slot.BodyLength];
        _ = RandomAccess.Read(segment.Handle, body, slot.BodyOffset);
        try
        {
            return JsonSerializer.Deserialize(body, LinkJsonContext.Default.SensorSummary);
        }
        catch (JsonException e)
        {
            _logger.LogWarning("Outbox {Directory}: summary record {Sequence} is not a summary this version reads ({Reason}); it is not downsampled", _directory, sequence, e.Message);
            return null;
        }
    }
}
