namespace Factory.Edge.Outbox;

internal enum SlotState : byte
{
    /// <summary>Acknowledged, evicted, or never on disk.</summary>
    Empty,
    Pending,
    InFlight,
}

/// <summary>Where a live record is and what it is; 24 bytes, so that millions of records fit.</summary>
internal struct RecordSlot
{
    public long TimeTicks;
    public int BodyOffset;
    public int BodyLength;
    public int Segment;
    public byte Kind;
    public SlotState State;
    public FrameFlags Flags;
}

/// <summary>
/// The live records indexed by sequence: an array over [<see cref="Head"/>, <see cref="Tail"/>)
/// that grows at the tail (sequences are registered in order) and drops its head as the oldest
/// records go. Keeps the earliest record time per chunk of sequences, so that the backlog's age
/// costs a look at each chunk rather than at each record.
/// </summary>
internal sealed class RecordSlots
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;

    private RecordSlot[] _slots = new RecordSlot[ChunkSize];
    private long[] _chunkMin = [long.MaxValue];
    private bool[] _chunkStale = [false];
    private long _base = 1;

    /// <summary>The lowest sequence that may be live.</summary>
    public long Head { get; private set; } = 1;

    /// <summary>One past the highest sequence registered.</summary>
    public long Tail { get; private set; } = 1;

    public ref RecordSlot this[long sequence] => ref _slots[sequence - _base];

    public bool IsLive(long sequence) => sequence >= Head && sequence < Tail && _slots[sequence - _base].State != SlotState.Empty;

    /// <summary>Registers a record at or after <see cref="Tail"/> (the sequences between stay empty).</summary>
    public void Add(long sequence, in RecordSlot slot)
    {
        if (Head == Tail)
        {
            // Empty: start over at this sequence, chunk-aligned so that the chunk minima line up.
            Array.Clear(_slots);
            Array.Fill(_chunkMin, long.MaxValue);
            Array.Clear(_chunkStale);
            _base = sequence & ~(long)(ChunkSize - 1);
            Head = sequence;
        }

        while (sequence - _base >= _slots.Length)
        {
            Grow();
        }

        _slots[sequence - _base] = slot;
        var chunk = (sequence - _base) >> ChunkShift;
        _chunkMin[chunk] = Math.Min(_chunkMin[chunk], slot.TimeTicks);
        Tail = sequence + 1;
    }

    /// <summary>Marks a live record gone; drops the empty head.</summary>
    public void Remove(long sequence)
    {
        ref var slot = ref _slots[sequence - _base];
        var chunk = (sequence - _base) >> ChunkShift;
        if (slot.TimeTicks <= _chunkMin[chunk])
        {
            _chunkStale[chunk] = true;
        }

        slot.State = SlotState.Empty;
        while (Head < Tail && _slots[Head - _base].State == SlotState.Empty)
        {
            Head++;
        }
    }

    /// <summary>The earliest time of a live record, or null if none is.</summary>
    public long? MinTime()
    {
        var min = long.MaxValue;
        if (Head == Tail)
        {
            return null;
        }

        for (var chunk = (Head - _base) >> ChunkShift; chunk <= (Tail - 1 - _base) >> ChunkShift; chunk++)
        {
            if (_chunkStale[chunk])
            {
                var chunkMin = long.MaxValue;
                var end = Math.Min(_slots.Length, (chunk + 1) << ChunkShift);
                for (var i = chunk << ChunkShift; i < end; i++)
                {
                    if (_slots[i].State != SlotState.Empty)
                    {
                        chunkMin = Math.Min(chunkMin, _slots[i].TimeTicks);
                    }
                }

                _chunkMin[chunk] = chunkMin;
                _chunkStale[chunk] = false;
            }

            min = Math.Min(min, _chunkMin[chunk]);
        }

        return min == long.MaxValue ? null : min;
    }

    private void Grow()
    {
        // Reuse the space before the head if it is at least half the array; double otherwise.
        var drop = (Head - _base) & ~(long)(ChunkSize - 1);
        if (drop >= _slots.Length / 2)
        {
            var keep = (int)(_slots.Length - drop);
            Array.Copy(_slots, drop, _slots, 0, keep);
            Array.Clear(_slots, keep, (int)drop);
            var chunks = (int)(drop >> ChunkShift);
            Array.Copy(_chunkMin, chunks, _chunkMin, 0, _chunkMin.Length - chunks);
            Array.Fill(_chunkMin, long.MaxValue, _chunkMin.Length - chunks, chunks);
            Array.Copy(_chunkStale, chunks, _chunkStale, 0, _chunkStale.Length - chunks);
            Array.Clear(_chunkStale, _chunkStale.Length - chunks, chunks);
            _base += drop;
            return;
        }

        Array.Resize(ref _slots, _slots.Length * 2);
        var oldChunks = _chunkMin.Length;
        Array.Resize(ref _chunkMin, _slots.Length >> ChunkShift);
        Array.Fill(_chunkMin, long.MaxValue, oldChunks, _chunkMin.Length - oldChunks);
        Array.Resize(ref _chunkStale, _chunkMin.Length);
    }
}
