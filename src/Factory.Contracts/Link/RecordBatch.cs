using System.Text.Json;

namespace Factory.Contracts.Link;

/// <summary>
/// One MQTT message from an edge to the cloud: records taken from the edge's outbox, each with the
/// outbox sequence number that the cloud acknowledges once the record is stored.
/// </summary>
/// <param name="V">The protocol version, <see cref="LinkTopics.Version"/>; a cloud that does not know it refuses the batch.</param>
/// <param name="Line">The line whose edge sent it; must match the topic.</param>
/// <param name="Records">The records, in the order the edge sent them (alarms first after an outage).</param>
public sealed record RecordBatch(int V, string Line, IReadOnlyList<LinkRecord> Records);

/// <summary>One record of a <see cref="RecordBatch"/>.</summary>
/// <param name="Seq">The edge outbox's sequence number: unique per line, never reused, so (line, seq) identifies the record.</param>
/// <param name="Kind">One of <see cref="RecordKinds"/>.</param>
/// <param name="Body">The record itself: an AlarmEvent, SensorSummary, MachineHealth or AnomalyWindow in its JSON form.</param>
public sealed record LinkRecord(long Seq, string Kind, JsonElement Body);

/// <summary>
/// The cloud's answer on <see cref="LinkTopics.Acknowledgements"/>: the sequence numbers it has
/// stored, or set aside as unreadable (the cloud keeps those for a person to look at; the edge may
/// forget them either way).
/// </summary>
/// <param name="V">The protocol version.</param>
/// <param name="Line">The line.</param>
/// <param name="Ranges">Inclusive ranges [first, last] of sequence numbers, ascending.</param>
/// <param name="SetAside">How many of them were unreadable and set aside rather than stored.</param>
public sealed record RecordAcknowledgement(int V, string Line, IReadOnlyList<SequenceRange> Ranges, int SetAside);

/// <summary>An inclusive range of outbox sequence numbers.</summary>
public readonly record struct SequenceRange(long First, long Last);

/// <summary>The cloud's refusal of what a line sends, retained on <see cref="LinkTopics.Refusals"/>; an empty reason withdraws it.</summary>
/// <param name="Line">The line.</param>
/// <param name="Reason">Why, e.g. "protocol version 2 is newer than this cloud, which speaks 1".</param>
/// <param name="CloudVersions">The protocol versions the cloud speaks.</param>
/// <param name="Time">When the cloud refused.</param>
public sealed record LinkRefusal(string Line, string Reason, IReadOnlyList<int> CloudVersions, DateTimeOffset Time);
