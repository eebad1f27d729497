using Factory.Simulator.Faults;

namespace Factory.Simulator;

/// <summary>How a simulated plant behaves: its randomness, its start, its scripted faults.</summary>
public sealed record SimulationOptions
{
    /// <summary>
    /// The start used when none is given for a history: a fixed Monday, so that the same seed
    /// gives the same files on any day.
    /// </summary>
    public static readonly DateTimeOffset DefaultHistoryStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>All randomness (lifetimes, operating profile, noise) derives from this seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The simulated time at which the simulation starts (UTC).</summary>
    public DateTimeOffset Start { get; init; } = DefaultHistoryStart;

    /// <summary>Whether parts wear out by their random lifetimes; off, only injected faults happen.</summary>
    public bool RandomFaults { get; init; } = true;

    /// <summary>Scripted faults (scenarios, --fault).</summary>
    public IReadOnlyList<FaultInjection> Faults { get; init; } = [];

    /// <summary>
    /// Corrective maintenance: a failed machine is repaired this long after it fails (waiting for
    /// the technician), with the actions its failed processes call for. Null: it stays failed until
    /// someone performs maintenance.
    /// </summary>
    public TimeSpan? RepairAfter { get; init; }
}
