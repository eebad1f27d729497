using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Randomness;

namespace Factory.Simulator.Physics;

/// <summary>
/// A belt-driven machining-centre spindle. Jobs of 20 minutes each have their own spindle speed
/// and cutting load; within a job the machine repeats a cycle of cutting (full load, coolant on),
/// rapid moves (spindle turning, light load, little coolant) and a tool change (spindle stopped).
/// Around it: coolant (flow and pressure), tool clamping hydraulics, the spindle's cooling oil
/// and its drive belt.
/// </summary>
internal sealed class CncSpindlePhysics(ulong stream, double baseImbalance)
    : MachinePhysics(stream, healthyVibration: 0.9, bearingRise: 28, baseImbalance)
{
    private const double JobSeconds = 1200;
    private static readonly HashSet<SignalKind> Supported =
        [.. DriveSignals, SignalKind.Flow, SignalKind.DischargePressure, SignalKind.HydraulicPressure, SignalKind.BeltTension];

    private readonly ulong _jobs = StableHash.Derive(stream, "jobs");
    private readonly ulong _chatter = StableHash.Derive(stream, "chatter");
    private double _coolant;
    private double _clamping;

    public override IReadOnlySet<SignalKind> Signals => Supported;

    protected override Duty Duty(double seconds, ReadOnlySpan<double> severity)
    {
        var job = (long)Math.Floor(seconds / JobSeconds);
        var speed = 0.3 + (0.65 * TimeNoise.Uniform(_jobs, (job * 4) + 1));
        var load = 0.35 + (0.5 * TimeNoise.Uniform(_jobs, (job * 4) + 2));
        var cycle = 90 + (150 * TimeNoise.Uniform(_jobs, (job * 4) + 3));
        var elapsed = seconds - (job * JobSeconds);
        var phase = (elapsed / cycle) - Math.Floor(elapsed / cycle);
        if (phase < 0.75)
        {
            _coolant = 1;
            return new Duty(true, speed, load * (1 + (0.15 * TimeNoise.Smooth(_chatter, seconds, 7))));
        }

        if (phase < 0.95)
        {
            _coolant = 0.3;
            return new Duty(true, speed, 0.08);
        }

        _coolant = 0;
        return new Duty(true, 0, 0);
    }

    protected override void Process(double seconds, double dt, OperatingState state, Duty duty, double ambient, ReadOnlySpan<double> severity)
    {
        if (state != OperatingState.Running)
        {
            _coolant = 0;
        }

        var frame = Frame;
        var misalignment = severity[(int)DegradationKind.Misalignment];
        frame[SignalKind.Flow] = _coolant;
        frame[SignalKind.DischargePressure] = 0.95 * _coolant * _coolant;

        // The tool clamp is held hydraulically while the machine is powered; the accumulator bleeds down when it is not.
        _clamping = duty.Energized ? 1 : Lag(_clamping, 0, dt, 600);
        frame[SignalKind.HydraulicPressure] = _clamping;

        // Belt tension: static pre-tension at rest, more on the tight side under load; misaligned
        // pulleys make the belt run off-track and the tension flutter.
        frame[SignalKind.BeltTension] = Rotating ? 0.85 + (0.25 * Load) : 0.7;
        frame.Fluctuation[(int)SignalKind.BeltTension] = 0.05 * misalignment;

        OilTemperature = Lag(OilTemperature, ambient + (duty.Energized ? 3 : 0) + (12 * Speed) + (3 * Load), dt, 1200);
        frame[SignalKind.OilTemperature] = OilTemperature;
    }
}
