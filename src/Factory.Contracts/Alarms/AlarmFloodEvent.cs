namespace Factory.Contracts.Alarms;

/// <summary>
/// An alarm flood of a line began or ended (ISA-18.2: more than 10 alarms in 10 minutes). During a
/// flood the panel groups lower-priority alarms. Serialized with <see cref="AlarmJsonContext"/>.
/// </summary>
/// <param name="SchemaVersion">The version of this shape: <see cref="CurrentSchemaVersion"/>.</param>
/// <param name="Sequence">Position of the event in the line's alarm journal (shared with <see cref="AlarmEvent.Sequence"/>).</param>
/// <param name="EventType">One of <see cref="AlarmFloodEventTypes"/>.</param>
/// <param name="Time">When the flood began or ended (UTC, ISO 8601).</param>
/// <param name="Activations">Alarm activations in the window that ends at <paramref name="Time"/>.</param>
/// <param name="WindowSeconds">The length of that window, 600 by default.</param>
public sealed record AlarmFloodEvent(
    int SchemaVersion,
    long Sequence,
    string Line,
    string EventType,
    DateTimeOffset Time,
    int Activations,
    int WindowSeconds)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;
}
