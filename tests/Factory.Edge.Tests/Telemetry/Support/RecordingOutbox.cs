using System.Text.Json;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Outbox;

namespace Factory.Edge.Tests.EdgeTelemetry.Support;

/// <summary>
/// An outbox that keeps every record in memory, as the link would read it back: for tests of
/// what the actors produce. The durable outbox has tests of its own.
/// </summary>
internal sealed class RecordingOutbox(long lastAlarmSequence = 0) : IOutbox
{
    private readonly List<Record> _records = [];
    private long _lastAlarmSequence = lastAlarmSequence;

    public long LastAlarmSequence => Interlocked.Read(ref _lastAlarmSequence);

    public void Append(string kind, DateTimeOffset time, ReadOnlySpan<byte> body, long sourceSequence = 0)
    {
        var record = new Record(kind, time, body.ToArray(), sourceSequence);
        lock (_records)
        {
            _records.Add(record);
            if (sourceSequence > _lastAlarmSequence)
            {
                Interlocked.Exchange(ref _lastAlarmSequence, sourceSequence);
            }
        }
    }

    public IReadOnlyList<Record> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public IReadOnlyList<SensorSummary> Summaries => Read(RecordKinds.Summary, LinkJsonContext.Default.SensorSummary);

    public IReadOnlyList<MachineHealth> Health => Read(RecordKinds.Health, LinkJsonContext.Default.MachineHealth);

    public IReadOnlyList<AnomalyWindow> AnomalyWindows => Read(RecordKinds.AnomalyWindow, LinkJsonContext.Default.AnomalyWindow);

    public IReadOnlyList<AlarmEvent> Alarms => Read(RecordKinds.Alarm, LinkJsonContext.Default.AlarmEvent);

    private List<T> Read<T>(string kind, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        [.. Records.Where(r => r.Kind == kind).Select(r => JsonSerializer.Deserialize(r.Body, type)!)];

    public sealed record Record(string Kind, DateTimeOffset Time, byte[] Body, long SourceSequence);
}
