using Factory.Contracts.Link;

namespace Factory.Edge.Outbox;

/// <summary>
/// Sequence numbers as merged, ascending inclusive ranges: the records acknowledged or evicted
/// that may still be in a segment file. Acknowledgements come mostly in order, so this stays short.
/// </summary>
internal sealed class SequenceSet
{
    private readonly List<SequenceRange> _ranges;

    public SequenceSet(IEnumerable<SequenceRange>? ranges = null)
    {
        _ranges = [];
        foreach (var range in (ranges ?? []).Where(r => r.First <= r.Last).OrderBy(r => r.First))
        {
            if (_ranges.Count > 0 && range.First <= _ranges[^1].Last + 1)
            {
                _ranges[^1] = _ranges[^1] with { Last = Math.Max(_ranges[^1].Last, range.Last) };
            }
            else
            {
                _ranges.Add(range);
            }
        }
    }

    public IReadOnlyList<SequenceRange> Ranges => _ranges;

    public bool Contains(long sequence) => Find(sequence) >= 0;

    public void Add(long sequence)
    {
        if (_ranges.Count > 0 && _ranges[^1].Last + 1 == sequence)
        {
            _ranges[^1] = _ranges[^1] with { Last = sequence };
            return;
        }

        var at = Find(sequence);
        if (at >= 0)
        {
            return;
        }

        // ~at: the first range after the sequence.
        var next = ~at;
        var joinsPrevious = next > 0 && _ranges[next - 1].Last + 1 == sequence;
        var joinsNext = next < _ranges.Count && _ranges[next].First - 1 == sequence;
        if (joinsPrevious && joinsNext)
        {
            _ranges[next - 1] = _ranges[next - 1] with { Last = _ranges[next].Last };
            _ranges.RemoveAt(next);
        }
        else if (joinsPrevious)
        {
            _ranges[next - 1] = _ranges[next - 1] with { Last = sequence };
        }
        else if (joinsNext)
        {
            _ranges[next] = _ranges[next] with { First = sequence };
        }
        else
        {
            _ranges.Insert(next, new SequenceRange(sequence, sequence));
        }
    }

    /// <summary>Forgets every sequence below <paramref name="sequence"/>.</summary>
    public void RemoveBelow(long sequence)
    {
        var drop = 0;
        while (drop < _ranges.Count && _ranges[drop].Last < sequence)
        {
            drop++;
        }

        _ranges.RemoveRange(0, drop);
    }

    /// <summary>The index of the range holding <paramref name="sequence"/>, or the complement of the first range after it.</summary>
    private int Find(long sequence)
    {
        int low = 0, high = _ranges.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (sequence < _ranges[mid].First)
            {
                high = mid - 1;
            }
            else if (sequence > _ranges[mid].Last)
            {
                low = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return ~low;
    }
}
