using System.Collections.Frozen;
using Factory.Edge.Telemetry;
using Factory.Plant.Model;

namespace Factory.Edge.Alarms;

/// <summary>The rules of an <see cref="AlarmBook"/>; the defaults are the ones docs/alarms.md describes.</summary>
public sealed record AlarmBookOptions
{
    /// <summary>The longest a shelve may last (ISA-18.2 asks for shelving with a time limit); one shift.</summary>
    public TimeSpan MaxShelveDuration { get; init; } = TimeSpan.FromHours(8);

    /// <summary>A flood begins when more than this many alarms are annunciated within <see cref="FloodWindow"/> (ISA-18.2: 10 in 10 minutes).</summary>
    public int FloodThreshold { get; init; } = 10;

    public TimeSpan FloodWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A flood ends when fewer than this many alarms were annunciated within the last <see cref="FloodWindow"/>: below the start, so that a rate hovering at the threshold does not start and end floods over and over.</summary>
    public int FloodEndThreshold { get; init; } = 5;

    /// <summary>During a flood, annunciated alarms of this priority and lower are shown as one group.</summary>
    public AlarmPriority GroupedPriorityCeiling { get; init; } = AlarmPriority.Medium;

    /// <summary>The machine states in which a machine's <see cref="SuppressedKinds"/> alarms are suppressed by design.</summary>
    public IReadOnlySet<MachineOperatingState> SuppressingStates { get; init; } =
        new[] { MachineOperatingState.Stopped, MachineOperatingState.Idle, MachineOperatingState.Maintenance }.ToFrozenSet();

    /// <summary>
    /// The alarms a stopped or idle machine raises by its nature: low limits (no flow, no
    /// pressure, no current) and the anomaly score (models learn running machines). High limits
    /// and stale data stay live: a stopped machine that overheats still needs someone.
    /// </summary>
    public IReadOnlySet<AlarmKind> SuppressedKinds { get; init; } =
        new[] { AlarmKind.Low, AlarmKind.LowLow, AlarmKind.Anomaly }.ToFrozenSet();

    /// <summary>
    /// How long after a machine starts running its suppressed alarms are released. Flow and
    /// pressure need seconds to build up; without this, every start would annunciate the low
    /// limits that are still active and clear them moments later.
    /// </summary>
    public TimeSpan SuppressionReleaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries of an alarm's history kept in memory (the journal keeps all of them).</summary>
    public int HistoryLimit { get; init; } = 100;

    /// <summary>How far back the alarm rate (activations per 10 minutes) is kept.</summary>
    public TimeSpan RateRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value that makes no sense.</summary>
    public void Validate()
    {
        Check(MaxShelveDuration > TimeSpan.Zero, nameof(MaxShelveDuration), MaxShelveDuration, "must be positive");
        Check(FloodThreshold >= 1, nameof(FloodThreshold), FloodThreshold, "must be at least 1");
        Check(FloodWindow > TimeSpan.Zero, nameof(FloodWindow), FloodWindow, "must be positive");
        Check(FloodEndThreshold >= 1 && FloodEndThreshold <= FloodThreshold, nameof(FloodEndThreshold), FloodEndThreshold, $"must be from 1 to {nameof(FloodThreshold)} ({FloodThreshold})");
        Check(SuppressionReleaseDelay >= TimeSpan.Zero, nameof(SuppressionReleaseDelay), SuppressionReleaseDelay, "must not be negative");
        Check(HistoryLimit >= 1, nameof(HistoryLimit), HistoryLimit, "must be at least 1");
        Check(RateRetention >= AlarmRate.BucketLength, nameof(RateRetention), RateRetention, $"must be at least {AlarmRate.BucketLength}");
    }

    private static void Check(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"Alarm option {name} {rule}, is {value}.", name);
        }
    }
}
