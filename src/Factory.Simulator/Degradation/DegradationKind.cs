namespace Factory.Simulator.Degradation;

/// <summary>The ways a simulated machine wears out. docs/simulator.md tells the physics of each.</summary>
public enum DegradationKind
{
    /// <summary>Rolling-element bearing wear: surface fatigue (spalling) of races and rollers.</summary>
    BearingWear,

    /// <summary>Shaft misalignment between motor and driven machine (coupling or pulleys).</summary>
    Misalignment,

    /// <summary>Ageing of the stator winding insulation until turns short and the winding breaks down.</summary>
    WindingInsulation,

    /// <summary>Pump cavitation from a fouling suction side, eroding the impeller.</summary>
    Cavitation,

    /// <summary>Wear of a hydraulic press's piston and valve seals: internal leakage.</summary>
    SealWear,

    /// <summary>Conveyor belt stretch and wear: tension lost, slip.</summary>
    BeltWear,
}
