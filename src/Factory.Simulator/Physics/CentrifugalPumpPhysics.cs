using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using Factory.Simulator.Randomness;

namespace Factory.Simulator.Physics;

/// <summary>
/// A fixed-speed centrifugal pump on a process loop. The plant's demand (valve positions) sets
/// the flow; the pump curve gives the head at that flow (H = 1.25 − 0.25 Q², rated point Q = H = 1)
/// and the shaft power follows Q·H over an efficiency that peaks near the rated point. Between
/// shifts the pump stands still.
/// </summary>
internal sealed class CentrifugalPumpPhysics(ulong stream, double baseImbalance)
    : MachinePhysics(stream, healthyVibration: 1.8, bearingRise: 22, baseImbalance)
{
    private static readonly HashSet<SignalKind> Supported =
        [.. DriveSignals, SignalKind.Flow, SignalKind.DischargePressure, SignalKind.SuctionPressure];

    private readonly ulong _demand = StableHash.Derive(stream, "demand");
    private readonly ulong _valves = StableHash.Derive(stream, "valves");
    private double _flow;
    private double _head;

    public override IReadOnlySet<SignalKind> Signals => Supported;

    protected override Duty Duty(double seconds, ReadOnlySpan<double> severity)
    {
        var cavitation = severity[(int)DegradationKind.Cavitation];
        var demand = Math.Clamp(0.78 + (0.15 * TimeNoise.Smooth(_demand, seconds, 1800)) + (0.05 * TimeNoise.Smooth(_valves, seconds, 120)), 0.3, 1.1);

        // Vapour pockets in the impeller eye block part of the flow and the head breaks down.
        _flow = demand * (1 - (0.25 * cavitation));
        _head = (1.25 - (0.25 * _flow * _flow)) * (1 - (0.15 * cavitation));
        var power = _flow * _head / Efficiency(_flow);
        return new Duty(true, 1, power / (1 / Efficiency(1)));
    }

    protected override void Process(double seconds, double dt, OperatingState state, Duty duty, double ambient, ReadOnlySpan<double> severity)
    {
        var frame = Frame;
        var cavitation = severity[(int)DegradationKind.Cavitation];
        var bearing = severity[(int)DegradationKind.BearingWear];
        if (Rotating)
        {
            // Affinity laws while the pump runs up or down: flow with speed, head with its square.
            frame[SignalKind.Flow] = _flow * Speed;
            frame[SignalKind.DischargePressure] = _head * Speed * Speed;

            // The fouling strainer takes suction pressure away until it falls below the vapour
            // pressure margin (NPSH) and the pump cavitates.
            frame[SignalKind.SuctionPressure] = 1 - (0.08 * _flow * _flow) - (0.8 * cavitation);
            frame.Fluctuation[(int)SignalKind.Flow] = 0.05 * cavitation;
            frame.Fluctuation[(int)SignalKind.DischargePressure] = 0.08 * cavitation;
            frame.Fluctuation[(int)SignalKind.SuctionPressure] = 0.03 * cavitation;
        }
        else
        {
            frame[SignalKind.Flow] = 0;
            frame[SignalKind.DischargePressure] = 0.05;
            frame[SignalKind.SuctionPressure] = 1.02 - (0.4 * cavitation);
        }

        OilTemperature = Lag(OilTemperature, ambient + (duty.Energized ? 6 : 0) + (14 * Speed) + (10 * bearing * bearing), dt, 2400);
        frame[SignalKind.OilTemperature] = OilTemperature;
    }

    private static double Efficiency(double flow) => Math.Max(0.2, 1 - (0.9 * (flow - 0.95) * (flow - 0.95)));
}
