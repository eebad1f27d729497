using Factory.Edge.Panel;
using Factory.Ml.Packages;
using Factory.Ml.Scoring;

namespace Factory.Edge.Actors;

/// <summary>
/// From the model store to a machine: score with <paramref name="Scorer"/> from now on, or with
/// nothing (null) for the reason given. The machine answers <see cref="ScorerReleased"/> with the
/// scorer it stopped using, so the store can dispose of it once no machine holds it.
/// </summary>
public sealed record UseModel(AnomalyScorer? Scorer, ModelManifest? Manifest, string Description);

/// <summary>A machine stopped using a scorer.</summary>
public sealed record ScorerReleased(int MachineIndex, AnomalyScorer Scorer);

/// <summary>A machine (re)started and has no model yet: the store sends it the one it should score with.</summary>
public sealed record ModelWanted(int MachineIndex);

/// <summary>Asks the alarm actor which conditions of a machine are active (after a restart); answered with <see cref="ActiveConditions"/>.</summary>
public sealed record GetActiveConditions(string Machine);

public sealed record ActiveConditions(IReadOnlyList<string> AlarmIds);

/// <summary>A machine's status for the panel, sent to its line after every evaluation.</summary>
public sealed record MachineStatusChanged(int MachineIndex, MachineStatus Status);

/// <summary>Asks the line for the state of the model store; answered with <see cref="ModelReport"/>.</summary>
public sealed record GetModels;

/// <summary>Which package scores each machine, and which packages were refused and why.</summary>
public sealed record ModelReport(string Directory, DateTimeOffset? LastScan, IReadOnlyList<MachineModel> Machines, IReadOnlyList<RefusedModel> Refused);

/// <param name="Package">The package id and version scoring the machine, null if none.</param>
/// <param name="Reason">Without a package, why.</param>
public sealed record MachineModel(string MachineId, string MachineType, string? Package, int? Version, string? Path, string? Reason);

/// <param name="Machine">The machine the package does not fit, or null when it failed to load at all.</param>
public sealed record RefusedModel(string Path, string? Machine, string Reason, DateTimeOffset Since);
