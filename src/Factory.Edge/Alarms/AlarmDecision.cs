namespace Factory.Edge.Alarms;

/// <summary>
/// What <see cref="AlarmBook.Handle"/> decided. <see cref="Events"/> are to be journaled and
/// applied in order, also when the command is refused: they may be what time did before the
/// command (a shelve that expired). <see cref="Book"/> is the book with them applied.
/// </summary>
/// <param name="Refusal">Why the command was refused, in words for the person who sent it; null if accepted.</param>
public sealed record AlarmDecision(IReadOnlyList<AlarmBookEvent> Events, string? Refusal, AlarmBook Book)
{
    public bool IsRefused => Refusal is not null;
}

/// <summary>What the line-side panel shows: alarms one by one, and during a flood one group entry for the lower priorities.</summary>
/// <param name="Alarms">Annunciated alarms not in the group, highest priority first, newest first within a priority.</param>
/// <param name="FloodGroup">The group during a flood; null otherwise.</param>
public sealed record AlarmPanel(IReadOnlyList<Alarm> Alarms, AlarmGroup? FloodGroup);

/// <summary>The lower-priority alarms grouped during a flood; each is still recorded and can be acknowledged (one by one or <see cref="AcknowledgeGroup"/>).</summary>
/// <param name="Since">When the flood began.</param>
/// <param name="Alarms">The alarms in the group, in panel order.</param>
public sealed record AlarmGroup(DateTimeOffset Since, IReadOnlyList<Alarm> Alarms)
{
    public int Count => Alarms.Count;

    public int Unacknowledged => Alarms.Count(a => a.State is AlarmState.Unacknowledged or AlarmState.ReturnedUnacknowledged);
}

/// <summary>Annunciated alarm activations per 10 minutes, the rate ISA-18.2 performance reports are made of.</summary>
/// <param name="Buckets">Consecutive 10-minute periods (aligned to UTC), empty ones included.</param>
/// <param name="FloodThreshold">Activations above which a period counts as a flood.</param>
public sealed record AlarmRate(IReadOnlyList<AlarmRateBucket> Buckets, int FloodThreshold)
{
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(10);

    public double Average => Buckets.Count == 0 ? 0 : Buckets.Average(b => b.Activations);

    public int Maximum => Buckets.Count == 0 ? 0 : Buckets.Max(b => b.Activations);

    /// <summary>The share of periods, 0 to 1, with more than <see cref="FloodThreshold"/> activations.</summary>
    public double FloodShare => Buckets.Count == 0 ? 0 : (double)Buckets.Count(b => b.Activations > FloodThreshold) / Buckets.Count;
}

/// <summary>Activations annunciated from <paramref name="Start"/> for <see cref="AlarmRate.BucketLength"/>.</summary>
public readonly record struct AlarmRateBucket(DateTimeOffset Start, int Activations);
