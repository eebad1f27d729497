namespace Factory.Edge.Outbox;

/// <summary>Where and how the outbox keeps its records.</summary>
/// <param name="Directory">The outbox's own folder (one per line).</param>
public sealed record OutboxOptions(string Directory)
{
    /// <summary>Disk space the segment files may take; over it, records are downsampled and evicted in the order of docs/outbox.md (alarms never).</summary>
    public long QuotaBytes { get; init; } = 1L << 30;

    /// <summary>A new segment file is started at this size.</summary>
    public int SegmentBytes { get; init; } = 4 << 20;

    /// <summary>The longest an append waits for others to share its flush to disk (group commit).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The interval summaries are merged into when the quota is reached (eviction step 1).</summary>
    public TimeSpan DownsampleTo { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>One record of the outbox, as the link sends it.</summary>
public readonly record struct OutboxRecord(long Sequence, string Kind, DateTimeOffset Time, ReadOnlyMemory<byte> Body);

/// <summary>What the outbox holds and has done; shown on the panel and at <c>/api/link</c>.</summary>
/// <param name="PendingRecords">Records on disk not yet acknowledged by the cloud, in flight included (the backlog).</param>
/// <param name="PendingBytes">Their bodies' size in bytes.</param>
/// <param name="InFlightRecords">Records sent and waiting for the cloud's acknowledgement.</param>
/// <param name="OldestPendingTime">The earliest record time among the records not yet acknowledged: the backlog's age.</param>
/// <param name="AppendedByKind">Records appended per kind and written to disk since the outbox was created, kept across restarts (merged summaries of step 1 not counted).</param>
/// <param name="Acknowledged">Records the cloud acknowledged since the outbox was created.</param>
/// <param name="Downsampled">Summaries replaced by coarser merged ones because the quota was reached (not in <paramref name="EvictedByKind"/>).</param>
/// <param name="EvictedByKind">Records dropped because the quota was reached, per kind (never alarms).</param>
/// <param name="DiskBytes">Size of the segment files (compare with <paramref name="QuotaBytes"/>).</param>
/// <param name="QuotaBytes">The quota.</param>
/// <param name="LastSequence">The newest sequence number given out.</param>
public sealed record OutboxMetrics(
    long PendingRecords,
    long PendingBytes,
    long InFlightRecords,
    DateTimeOffset? OldestPendingTime,
    IReadOnlyDictionary<string, long> AppendedByKind,
    long Acknowledged,
    long Downsampled,
    IReadOnlyDictionary<string, long> EvictedByKind,
    long DiskBytes,
    long QuotaBytes,
    long LastSequence);

/// <summary>The outbox cannot be used; the message names the file and the problem.</summary>
public sealed class OutboxException : Exception
{
    public OutboxException(string message)
        : base(message)
    {
    }

    public OutboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
