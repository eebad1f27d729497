using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Randomness;

namespace Factory.Simulator.Physics;

/// <summary>
/// A hydraulic press driven by a motor-pump unit. Each stroke: rapid approach (high flow, low
/// pressure), pressing (pressure builds to the job's set-point), hold, decompression and return,
/// part change. Between shifts the pump idles at standby pressure. A fixed-displacement pump at
/// constant speed delivers nearly constant flow (a little less at pressure, its own internal
/// leakage); what the cylinder does not take returns to tank through the unloading valve. The
/// motor's load is the hydraulic power, pressure times the flow pushed at that pressure.
/// </summary>
internal sealed class HydraulicPressPhysics(ulong stream, double baseImbalance)
    : MachinePhysics(stream, healthyVibration: 1.4, bearingRise: 20, baseImbalance)
{
    private const double JobSeconds = 1800;
    private static readonly HashSet<SignalKind> Supported =
        [.. DriveSignals, SignalKind.HydraulicPressure, SignalKind.DischargePressure, SignalKind.Flow];

    private readonly ulong _jobs = StableHash.Derive(stream, "jobs");
    private double _pressure;
    private double _flow;
    private double _residual;

    public override IReadOnlySet<SignalKind> Signals => Supported;

    /// <summary>Length of the last stroke in seconds: worn seals take longer to build pressure.</summary>
    public double CycleTime { get; private set; }

    protected override Duty Duty(double seconds, ReadOnlySpan<double> severity)
    {
        var seals = severity[(int)DegradationKind.SealWear];
        var job = (long)Math.Floor(seconds / JobSeconds);
        var setPoint = 0.8 + (0.2 * TimeNoise.Uniform(_jobs, job * 2));
        CycleTime = (9 + (3 * TimeNoise.Uniform(_jobs, (job * 2) + 1))) * (1 + (0.5 * seals));
        var phase = (seconds / CycleTime) - Math.Floor(seconds / CycleTime);

        // Oil leaking past worn seals caps the pressure reached and bleeds it off during the hold;
        // the pump delivers the leakage on top of the motion.
        var peak = setPoint * (1 - (0.2 * seals));
        (_pressure, _flow) = phase switch
        {
            < 0.25 => (0.08, 1.0),
            < 0.5 => (0.1 + ((peak - 0.1) * (phase - 0.25) / 0.25), 0.35 + (0.2 * seals)),
            < 0.65 => (peak * (1 - (0.1 * seals * (phase - 0.5) / 0.15)), 0.08 + (0.3 * seals)),
            < 0.85 => (0.12, 0.9),
            _ => (0.05, 0.05),
        };
        return new Duty(true, 1, 0.1 + (0.9 * _pressure * (0.25 + (0.75 * _flow))) + (0.1 * seals));
    }

    protected override Duty IdleDuty(double seconds)
    {
        _pressure = 0.05;
        _flow = 0.03;
        return new Duty(true, 1, 0.08);
    }

    protected override void Process(double seconds, double dt, OperatingState state, Duty duty, double ambient, ReadOnlySpan<double> severity)
    {
        var frame = Frame;
        var seals = severity[(int)DegradationKind.SealWear];
        if (Rotating)
        {
            _residual = _pressure;
            frame[SignalKind.HydraulicPressure] = _pressure * Speed;
            frame[SignalKind.DischargePressure] = (_pressure + 0.03) * Speed;
            frame[SignalKind.Flow] = Speed * (1 - (0.04 * _pressure));
        }
        else
        {
            // With the pump stopped the trapped pressure bleeds away through the valves.
            _residual = Lag(_residual, 0, dt, 30);
            frame[SignalKind.HydraulicPressure] = _residual;
            frame[SignalKind.DischargePressure] = _residual;
            frame[SignalKind.Flow] = 0;
        }

        frame.Fluctuation[(int)SignalKind.HydraulicPressure] = 0.02 * seals;

        // Throttling losses heat the oil; leakage across worn seals is pure throttling.
        OilTemperature = Lag(OilTemperature, ambient + (duty.Energized ? 18 + (22 * Load) + (15 * seals) : 0), dt, 2700);
        frame[SignalKind.OilTemperature] = OilTemperature;
    }
}
