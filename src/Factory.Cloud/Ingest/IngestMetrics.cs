namespace Factory.Cloud.Ingest;

/// <summary>What the ingest has done since the cloud started; thread-safe counters.</summary>
public sealed class IngestMetrics
{
    private long _messages;
    private long _records;
    private long _setAsideMessages;
    private long _setAsideRecords;
    private long _storeFailures;
    private long _writes;
    private long _acknowledgementsSent;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Records stored (a redelivered record counts again; the store keeps one copy).</summary>
    public long Records => Interlocked.Read(ref _records);

    public long SetAsideMessages => Interlocked.Read(ref _setAsideMessages);

    public long SetAsideRecords => Interlocked.Read(ref _setAsideRecords);

    /// <summary>Store writes that failed and were tried again.</summary>
    public long StoreFailures => Interlocked.Read(ref _storeFailures);

    public long Writes => Interlocked.Read(ref _writes);

    public long AcknowledgementsSent => Interlocked.Read(ref _acknowledgementsSent);

    /// <summary>Why the store last failed, while it is failing; null once a write succeeded.</summary>
    public string? StoreProblem { get; internal set; }

    internal void Received() => Interlocked.Increment(ref _messages);

    internal void Stored(int records)
    {
        Interlocked.Add(ref _records, records);
        Interlocked.Increment(ref _writes);
    }

    internal void MessageSetAside() => Interlocked.Increment(ref _setAsideMessages);

    internal void RecordsSetAside(int count) => Interlocked.Add(ref _setAsideRecords, count);

    internal void StoreFailed() => Interlocked.Increment(ref _storeFailures);

    internal void AcknowledgementSent() => Interlocked.Increment(ref _acknowledgementsSent);
}
