using System.Text.Json;
using System.Text.Json.Serialization;
using Factory.Contracts.Link;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Outbox;

/// <summary>
/// What the outbox must remember beyond its segment files (<c>state.json</c>, replaced atomically):
/// the acknowledged ranges of records still in segments, the counters since the outbox was
/// created, the highest alarm-journal sequence appended. A state file that is lost or unreadable
/// costs duplicates (records sent again), never lost records.
/// </summary>
internal sealed class OutboxState
{
    public const string FileName = "state.json";

    public long LastSequence { get; set; }

    /// <summary>Records up to this sequence are counted in <see cref="AppendedByKind"/>.</summary>
    public long CountedThrough { get; set; }

    public long LastAlarmSequence { get; set; }

    public long Acknowledged { get; set; }

    public long Downsampled { get; set; }

    public Dictionary<string, long> AppendedByKind { get; set; } = [];

    public Dictionary<string, long> EvictedByKind { get; set; } = [];

    /// <summary>Merged, ascending.</summary>
    public List<SequenceRange> AcknowledgedRanges { get; set; } = [];

    public static OutboxState Load(string path, ILogger logger)
    {
        if (!File.Exists(path))
        {
            return new OutboxState();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), OutboxStateJson.Default.OutboxState) ?? new OutboxState();
        }
        catch (JsonException e)
        {
            logger.LogError("Outbox state {File} is unreadable ({Reason}): records already acknowledged will be sent again (the cloud keeps one copy) and the counters start over", path, e.Message);
            return new OutboxState();
        }
    }

    public bool IsAcknowledged(long sequence)
    {
        var ranges = AcknowledgedRanges;
        int low = 0, high = ranges.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (sequence < ranges[mid].First)
            {
                high = mid - 1;
            }
            else if (sequence > ranges[mid].Last)
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    public void AppendAcknowledgements(string directory, IEnumerable<SequenceRange> ranges)
    {
        var all = AcknowledgedRanges.Concat(ranges).OrderBy(r => r.First).ToList();
        var merged = new List<SequenceRange>(all.Count);
        foreach (var range in all)
        {
            if (merged.Count > 0 && range.First <= merged[^1].Last + 1)
            {
                merged[^1] = merged[^1] with { Last = Math.Max(merged[^1].Last, range.Last) };
            }
            else
            {
                merged.Add(range);
            }
        }

        AcknowledgedRanges = merged;
        Save(directory);
    }

    public void ForgetAcknowledgementsBelow(long sequence) =>
        AcknowledgedRanges = [.. AcknowledgedRanges.Where(r => r.Last >= sequence)];

    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, this, OutboxStateJson.Default.OutboxState);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(OutboxState))]
internal sealed partial class OutboxStateJson : JsonSerializerContext;
