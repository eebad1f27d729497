using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Randomness;

namespace Factory.Simulator.Physics;

/// <summary>
/// A belt conveyor's drive: motor, gearbox and drive drum. It runs at constant speed in a shift;
/// the load is the material on the belt, which comes in waves of minutes with lumps of seconds.
/// The speed sensor is on the tail drum, so belt slip shows in it; belt tension is measured at
/// the take-up.
/// </summary>
internal sealed class ConveyorDrivePhysics(ulong stream, double baseImbalance)
    : MachinePhysics(stream, healthyVibration: 1.5, bearingRise: 18, baseImbalance)
{
    private static readonly HashSet<SignalKind> Supported = [.. DriveSignals, SignalKind.BeltTension];

    private readonly ulong _material = StableHash.Derive(stream, "material");
    private readonly ulong _lumps = StableHash.Derive(stream, "lumps");

    public override IReadOnlySet<SignalKind> Signals => Supported;

    protected override Duty Duty(double seconds, ReadOnlySpan<double> severity)
    {
        var material = 0.5 + (0.5 * TimeNoise.Smooth(_material, seconds, 240));
        var load = Math.Clamp(0.35 + (0.45 * material) + (0.08 * TimeNoise.Smooth(_lumps, seconds, 20)), 0.1, 1);
        return new Duty(true, 1, load);
    }

    protected override void Process(double seconds, double dt, OperatingState state, Duty duty, double ambient, ReadOnlySpan<double> severity)
    {
        var frame = Frame;
        var belt = severity[(int)DegradationKind.BeltWear];
        var misalignment = severity[(int)DegradationKind.Misalignment];

        // A stretched belt loses pre-tension and slips on the drive drum, more so under load.
        var slip = 0.15 * belt * belt * (0.5 + Load);
        frame[SignalKind.Speed] = Speed * (1 - slip);
        frame.Fluctuation[(int)SignalKind.Speed] = Rotating ? 0.02 * belt : 0;
        var tension = Rotating ? 0.8 + (0.35 * Load) : 0.75;
        frame[SignalKind.BeltTension] = tension * (1 - (0.45 * belt));
        frame.Fluctuation[(int)SignalKind.BeltTension] = (0.04 * belt) + (0.03 * misalignment);

        OilTemperature = Lag(OilTemperature, ambient + (duty.Energized ? 5 : 0) + (25 * Load * Speed), dt, 3600);
        frame[SignalKind.OilTemperature] = OilTemperature;
    }
}
