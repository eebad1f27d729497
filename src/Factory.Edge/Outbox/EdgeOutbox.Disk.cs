using System.Buffers.Binary;
using System.Text;
using Factory.Contracts.Link;
using Factory.Edge.Alarms;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Factory.Edge.Outbox;

/// <summary>The segment files: writing with group commit, reading back at open, deleting when done.</summary>
public sealed partial class EdgeOutbox
{
    private void Recover()
    {
        var files = Directory.GetFiles(_options.Directory, "outbox-*.seg")
            .Select(f => (File: f, Index: int.TryParse(Path.GetFileNameWithoutExtension(f)["outbox-".Length..], out var i) ? i : -1))
            .Where(f => f.Index >= 0)
            .OrderBy(f => f.Index)
            .ToList();
        var lastSequence = _state.LastSequence;
        long recovered = 0;
        foreach (var (file, index) in files)
        {
            var segment = Segment.Open(file, index);
            _segments[index] = segment;
            foreach (var record in ReadSegment(segment))
            {
                lastSequence = Math.Max(lastSequence, record.Sequence);
                if (record.Sequence > _state.CountedThrough)
                {
                    Count(record.Kind, record.SourceSequence, record.Copy);
                }

                if (_state.IsAcknowledged(record.Sequence))
                {
                    continue;
                }

                Register(new Entry(record.Sequence, record.Kind, record.Time, segment, record.BodyOffset, record.BodyLength));
                recovered++;
            }
        }

        _lastSequence = lastSequence;
        _durableSequence = lastSequence;
        _state.LastSequence = lastSequence;
        _state.CountedThrough = lastSequence;
        DeleteFinishedSegments();
        _active = NewSegment();
        if (recovered > 0)
        {
            _logger.LogInformation("Outbox {Directory}: {Records} records not yet acknowledged by the cloud were recovered", _options.Directory, recovered);
        }
    }

    private List<(long Sequence, string Kind, DateTimeOffset Time, long SourceSequence, bool Copy, long BodyOffset, int BodyLength)> ReadSegment(Segment segment)
    {
        var data = new byte[segment.Length];
        RandomAccess.Read(segment.Handle, data, 0);
        var offset = 0;
        var records = new List<(long, string, DateTimeOffset, long, bool, long, int)>();
        while (offset < data.Length)
        {
            var remaining = data.Length - offset;
            var length = remaining >= FrameHeader ? BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset)) : -1;
            if (length < RecordHeader || length > remaining - FrameHeader)
            {
                // A frame cut short by a crash, or garbage after the last whole one: cut it off.
                _logger.LogWarning("Outbox segment {File}: {Bytes} bytes at offset {Offset} are not a whole record (a write cut short by a crash); cut off", segment.Path, remaining, offset);
                segment.Truncate(offset);
                break;
            }

            var payload = data.AsSpan(offset + FrameHeader, length);
            if (Crc32.Compute(payload) != BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4)))
            {
                // Its length is readable, so the records after it are found: skip this one only.
                _logger.LogError("Outbox segment {File}: the record at offset {Offset} is damaged (checksum mismatch); skipped, the records after it are kept", segment.Path, offset);
                offset += FrameHeader + length;
                continue;
            }

            var kindLength = payload[24];
            var kind = Encoding.UTF8.GetString(payload.Slice(RecordHeader, kindLength));
            var bodyOffset = offset + FrameHeader + RecordHeader + kindLength;
            records.Add((
                BinaryPrimitives.ReadInt64LittleEndian(payload),
                kind,
                new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(payload[8..]), TimeSpan.Zero),
                BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
                payload[25] == 1,
                bodyOffset,
                length - RecordHeader - kindLength));
            offset += FrameHeader + length;
        }

        return records;
    }

    private void Write()
    {
        var batch = new List<PendingAppend>();
        var buffer = new byte[64 * 1024];
        while (_appends.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < 10_000 && _appends.Reader.TryRead(out var append))
            {
                batch.Add(append);
            }

            try
            {
                WriteBatch(batch, ref buffer);
            }
            catch (IOException e)
            {
                // The records stay unwritten and are lost to the cloud; the alarms still reach the panel and the journal.
                _logger.LogError(e, "Outbox {Directory}: {Records} records could not be written", _options.Directory, batch.Count);
            }
        }
    }

    private void WriteBatch(List<PendingAppend> batch, ref byte[] buffer)
    {
        var written = new List<Entry>(batch.Count);
        var start = 0;
        while (start < batch.Count)
        {
            // Frames for the active segment, up to its size; the rest goes to the next one.
            var segment = _active;
            var used = 0;
            var end = start;
            while (end < batch.Count)
            {
                var frame = FrameLength(batch[end].Kind, batch[end].Body.Length);
                if (end > start && segment.Length + used + frame > _options.SegmentBytes)
                {
                    break;
                }

                if (buffer.Length < used + frame)
                {
                    Array.Resize(ref buffer, Math.Max(buffer.Length * 2, used + frame));
                }

                var a = batch[end];
                WriteFrame(buffer.AsSpan(used, frame), a.Sequence, a.Kind, a.Time, a.SourceSequence, a.Copy, a.Body);
                written.Add(new Entry(a.Sequence, a.Kind, a.Time, segment, segment.Length + used + frame - a.Body.Length, a.Body.Length));
                used += frame;
                end++;
            }

            RandomAccess.Write(segment.Handle, buffer.AsSpan(0, used), segment.Length);
            RandomAccess.FlushToDisk(segment.Handle);
            lock (_gate)
            {
                segment.Length += used;
                if (segment.Length >= _options.SegmentBytes)
                {
                    _active = NewSegment();
                }
            }

            start = end;
        }

        lock (_gate)
        {
            foreach (var (entry, append) in written.Zip(batch))
            {
                Count(append.Kind, append.SourceSequence, append.Copy);
                Register(entry);
            }

            _durableSequence = batch[^1].Sequence;
            _state.CountedThrough = _durableSequence;
            _pendingSignal.TrySetResult();
            for (var i = _flushWaiters.Count - 1; i >= 0; i--)
            {
                if (_flushWaiters[i].Sequence <= _durableSequence)
                {
                    _flushWaiters[i].Done.TrySetResult();
                    _flushWaiters.RemoveAt(i);
                }
            }

            if (_segments.Values.Sum(s => s.Length) > _options.QuotaBytes)
            {
                Compact();
            }
        }
    }

    private void Count(string kind, long sourceSequence, bool copy)
    {
        if (!copy)
        {
            _state.AppendedByKind[kind] = _state.AppendedByKind.GetValueOrDefault(kind) + 1;
        }

        if (kind == RecordKinds.Alarm && sourceSequence > _state.LastAlarmSequence)
        {
            _state.LastAlarmSequence = sourceSequence;
        }
    }

    private void Register(Entry entry)
    {
        (entry.Kind == RecordKinds.Alarm ? _pendingAlarms : _pendingOthers)[entry.Sequence] = entry;
        entry.Segment.Live++;
        _pendingBytes += entry.BodyLength;
    }

    private Segment NewSegment()
    {
        var index = _segments.Count == 0 ? 1 : _segments.Keys.Max() + 1;
        var segment = Segment.Open(Path.Combine(_options.Directory, $"outbox-{index:D6}.seg"), index);
        _segments[index] = segment;
        return segment;
    }

    /// <summary>Deletes the segments (not the one written to) that hold nothing pending; keeps the state file in step.</summary>
    private void DeleteFinishedSegments()
    {
        var finished = _segments.Values.Where(s => s.Live == 0 && !ReferenceEquals(s, _active)).ToList();
        if (finished.Count == 0)
        {
            return;
        }

        foreach (var segment in finished)
        {
            _segments.Remove(segment.Index);
            segment.Dispose();
            File.Delete(segment.Path);
        }

        // Acknowledgements of records in deleted segments are not needed any more.
        var firstKept = _pendingAlarms.Keys.Concat(_pendingOthers.Keys).Concat(_inFlight.Keys).DefaultIfEmpty(_lastSequence + 1).Min();
        _state.ForgetAcknowledgementsBelow(firstKept);
        _state.LastSequence = _lastSequence;
        _state.Save(_options.Directory);
    }

    private sealed class Segment(string path, int index, SafeFileHandle handle, long length) : IDisposable
    {
        public string Path { get; } = path;

        public int Index { get; } = index;

        public SafeFileHandle Handle { get; } = handle;

        public long Length { get; set; } = length;

        /// <summary>Records of this segment not yet acknowledged or evicted.</summary>
        public int Live { get; set; }

        public static Segment Open(string path, int index)
        {
            var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            return new Segment(path, index, handle, RandomAccess.GetLength(handle));
        }

        public void Truncate(long length)
        {
            RandomAccess.SetLength(Handle, length);
            Length = length;
        }

        public void Dispose() => Handle.Dispose();
    }
}
