using System.Text.Json;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;

namespace Factory.Edge.Outbox;

/// <summary>
/// Where the actors of a line put what must reach the cloud. An append never blocks an actor:
/// the record is written to disk shortly after (group commit) and sent only once it is there.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Appends a record. Thread-safe, does not wait for the disk.
    /// </summary>
    /// <param name="kind">One of <see cref="RecordKinds"/>.</param>
    /// <param name="time">The record's own time (a summary's start, an event's time): the backlog's age is measured by it.</param>
    /// <param name="body">The record's JSON (<see cref="LinkJsonContext"/>).</param>
    /// <param name="sourceSequence">For alarm events, the event's sequence in the alarm journal; 0 otherwise.</param>
    void Append(string kind, DateTimeOffset time, ReadOnlySpan<byte> body, long sourceSequence = 0);

    /// <summary>
    /// The highest alarm-journal sequence ever appended (kept across restarts, also after the
    /// record was sent and removed): events of the journal after it have not reached the outbox.
    /// </summary>
    long LastAlarmSequence { get; }
}

/// <summary>Typed appends: each contract record serialized as the link carries it.</summary>
public static class OutboxAppends
{
    public static void Append(this IOutbox outbox, SensorSummary summary) =>
        outbox.Append(RecordKinds.Summary, summary.Start, JsonSerializer.SerializeToUtf8Bytes(summary, LinkJsonContext.Default.SensorSummary));

    public static void Append(this IOutbox outbox, MachineHealth health) =>
        outbox.Append(RecordKinds.Health, health.Start, JsonSerializer.SerializeToUtf8Bytes(health, LinkJsonContext.Default.MachineHealth));

    public static void Append(this IOutbox outbox, AnomalyWindow window) =>
        outbox.Append(RecordKinds.AnomalyWindow, window.Trigger, JsonSerializer.SerializeToUtf8Bytes(window, LinkJsonContext.Default.AnomalyWindow));

    public static void Append(this IOutbox outbox, AlarmEvent alarm) =>
        outbox.Append(RecordKinds.Alarm, alarm.Time, JsonSerializer.SerializeToUtf8Bytes(alarm, LinkJsonContext.Default.AlarmEvent), alarm.Sequence);
}
