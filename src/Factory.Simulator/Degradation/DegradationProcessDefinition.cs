using Factory.Plant.Model;

namespace Factory.Simulator.Degradation;

/// <summary>
/// A degradation process of a kind of machine: how long it takes to fail, how long before the
/// failure it can be seen, how its health falls, and which maintenance action renews it.
/// </summary>
/// <param name="Kind">The physics of the process.</param>
/// <param name="Id">Its name in files, on the command line and in the address space, e.g. <c>bearing-wear</c>.</param>
/// <param name="RepairAction">The maintenance action that renews it (overhaul renews every process).</param>
/// <param name="WeibullShape">Shape k of the Weibull distribution of the life from renewal to failure: above 1, wear-out.</param>
/// <param name="WeibullScaleDays">Scale η of that distribution in simulated days (63% of lives are shorter).</param>
/// <param name="WarningDays">Median time from the onset of detectable degradation to failure (the P-F interval).</param>
/// <param name="Growth">How sharply the health decline accelerates towards failure (see <see cref="HealthLaw"/>).</param>
public sealed record DegradationProcessDefinition(
    DegradationKind Kind,
    string Id,
    string RepairAction,
    double WeibullShape,
    double WeibullScaleDays,
    double WarningDays,
    double Growth);

/// <summary>
/// The degradation processes of each kind of machine and the maintenance actions that renew them.
/// Lifetimes are compressed, on purpose, about a hundred times against real plants: a bearing
/// that lasts years in a real spindle lasts weeks here, so that a month of history holds several
/// run-to-failure cycles to train and judge models on.
/// </summary>
public static class DegradationCatalog
{
    public const string ReplaceBearing = "replace-bearing";
    public const string Realign = "realign";
    public const string RewindMotor = "rewind-motor";
    public const string RepairImpeller = "repair-impeller";
    public const string ReplaceSeals = "replace-seals";
    public const string ReplaceBelt = "replace-belt";
    public const string Overhaul = "overhaul";

    private static readonly DegradationProcessDefinition CncBearing = new(DegradationKind.BearingWear, "bearing-wear", ReplaceBearing, 2.0, 60, 8, 4.0);
    private static readonly DegradationProcessDefinition CncMisalignment = new(DegradationKind.Misalignment, "misalignment", Realign, 1.5, 90, 10, 1.5);
    private static readonly DegradationProcessDefinition CncWinding = new(DegradationKind.WindingInsulation, "winding-insulation", RewindMotor, 2.5, 120, 12, 3.0);

    private static readonly Dictionary<MachineKind, DegradationProcessDefinition[]> ByKind = new()
    {
        [MachineKind.CncSpindle] = [CncBearing, CncMisalignment, CncWinding],
        [MachineKind.CentrifugalPump] =
        [
            CncBearing with { WeibullScaleDays = 70 },
            new(DegradationKind.Cavitation, "cavitation", RepairImpeller, 1.2, 50, 4, 2.0),
            CncMisalignment,
            CncWinding with { WeibullScaleDays = 150 },
        ],
        [MachineKind.ConveyorDrive] =
        [
            CncBearing with { WeibullScaleDays = 80 },
            new(DegradationKind.BeltWear, "belt-wear", ReplaceBelt, 2.5, 45, 6, 2.0),
            CncMisalignment with { WeibullScaleDays = 100 },
            CncWinding with { WeibullScaleDays = 150 },
        ],
        [MachineKind.HydraulicPress] =
        [
            new(DegradationKind.SealWear, "seal-wear", ReplaceSeals, 2.0, 50, 7, 2.5),
            CncBearing with { WeibullScaleDays = 90 },
            CncWinding with { WeibullScaleDays = 150 },
        ],
    };

    /// <summary>Every maintenance action; overhaul renews everything.</summary>
    public static IReadOnlyList<MaintenanceAction> Actions { get; } =
    [
        new(ReplaceBearing, "replace the worn bearings", TimeSpan.FromHours(4), [DegradationKind.BearingWear]),
        new(Realign, "align the shafts (laser alignment of coupling or pulleys)", TimeSpan.FromHours(2), [DegradationKind.Misalignment]),
        new(RewindMotor, "exchange the motor for a rewound one", TimeSpan.FromHours(8), [DegradationKind.WindingInsulation]),
        new(RepairImpeller, "clean the suction strainer and replace the eroded impeller", TimeSpan.FromHours(6), [DegradationKind.Cavitation]),
        new(ReplaceSeals, "replace the cylinder and valve seals", TimeSpan.FromHours(6), [DegradationKind.SealWear]),
        new(ReplaceBelt, "replace and tension the belt", TimeSpan.FromHours(3), [DegradationKind.BeltWear]),
        new(Overhaul, "overhaul: everything above", TimeSpan.FromHours(16), Enum.GetValues<DegradationKind>()),
    ];

    /// <summary>The processes a machine of <paramref name="kind"/> undergoes.</summary>
    public static IReadOnlyList<DegradationProcessDefinition> For(MachineKind kind) =>
        ByKind.TryGetValue(kind, out var processes) ? processes : throw new ArgumentOutOfRangeException(nameof(kind), kind, "No degradation processes are known for this kind of machine.");

    /// <summary>The action with this id, or null.</summary>
    public static MaintenanceAction? Action(string id) => Actions.FirstOrDefault(a => a.Id == id);

    /// <summary>The actions that make sense on a machine of <paramref name="kind"/>: those renewing one of its processes.</summary>
    public static IEnumerable<MaintenanceAction> ActionsFor(MachineKind kind) =>
        Actions.Where(a => a.Resets.Any(r => For(kind).Any(p => p.Kind == r)));
}

/// <summary>A maintenance job and the degradation it removes.</summary>
/// <param name="Id">Its name, written to a machine's maintenance node, e.g. <c>replace-bearing</c>.</param>
/// <param name="Duration">How long the machine is out of service for the job (simulated time).</param>
/// <param name="Resets">The processes it renews.</param>
public sealed record MaintenanceAction(string Id, string Description, TimeSpan Duration, IReadOnlyList<DegradationKind> Resets);
