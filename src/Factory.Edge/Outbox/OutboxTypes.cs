namespace Factory.Edge.Outbox;

/// <summary>Where and how the outbox keeps its records.</summary>
/// <param name="Directory">The outbox's own folder (one per line).</param>
public sealed record OutboxOptions(string Directory)
{
    /// <summary>Disk space the segment files may take; over it, the oldest segment is compacted (docs/outbox.md).</summary>
    public long QuotaBytes { get; init; } = 1L << 30;

    /// <summary>A new segment file is started at this size.</summary>
    public int SegmentBytes { get; init; } = 4 << 20;

    /// <summary>The interval summaries are merged into when the quota is reached.</summary>
    public TimeSpan DownsampleTo { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>One record of the outbox, as the link sends it.</summary>
public readonly record struct OutboxRecord(long Sequence, string Kind, DateTimeOffset Time, ReadOnlyMemory<byte> Body);

/// <summary>What the outbox holds and has done; shown on the panel and at <c>/api/link</c>.</summary>
/// <param name="PendingRecords">Records not yet acknowledged by the cloud (in flight included).</param>
/// <param name="PendingBytes">Their bodies' size.</param>
/// <param name="InFlightRecords">Records sent and waiting for the cloud's acknowledgement.</param>
/// <param name="OldestPendingTime">The time of the oldest record not yet acknowledged (by the record's own time).</param>
/// <param name="AppendedByKind">Records appended per kind since the outbox was created, kept across restarts.</param>
/// <param name="Acknowledged">Records the cloud acknowledged since the outbox was created.</param>
/// <param name="Downsampled">Summaries merged into coarser ones because the quota was reached.</param>
/// <param name="EvictedByKind">Records dropped because the quota was reached, per kind (never alarms).</param>
/// <param name="DiskBytes">Size of the segment files.</param>
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
