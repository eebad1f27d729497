using Factory.Plant.Model;
using Factory.Simulator.Degradation;

namespace Factory.Simulator.Physics;

/// <summary>What a machine's controller asks of its drive at a moment.</summary>
/// <param name="Energized">Power is on (running or standing by).</param>
/// <param name="Speed">Speed set-point, relative to rated.</param>
/// <param name="Load">Load on the drive, relative to rated.</param>
internal readonly record struct Duty(bool Energized, double Speed, double Load)
{
    public static readonly Duty Off = new(false, 0, 0);
    public static readonly Duty Standby = new(true, 0, 0);
}

/// <summary>
/// The physics every simulated machine shares: an induction motor driving a shaft on rolling
/// bearings. Current follows load (plus the magnetising current); the winding temperature follows
/// the square of the current and the bearing temperature follows speed and load, each through a
/// first-order thermal lag toward the hall temperature; vibration grows with speed. Each kind of
/// machine adds its duty cycle (when it runs how fast, under what load) and its process
/// quantities (pressures, flow, belt tension), and each degradation process bends these
/// relationships in its own way (docs/simulator.md).
/// </summary>
internal abstract class MachinePhysics
{
    private const double NoLoadCurrent = 0.3;
    private double _speed;
    private double _load;
    private double _current;

    protected MachinePhysics(ulong stream, double healthyVibration, double bearingRise, double baseImbalance)
    {
        Stream = stream;
        HealthyVibration = healthyVibration;
        BearingRise = bearingRise;
        BaseImbalance = baseImbalance;
    }

    public SignalFrame Frame { get; } = new();

    /// <summary>The quantities this kind of machine has; a sensor of another signal is a configuration error.</summary>
    public abstract IReadOnlySet<SignalKind> Signals { get; }

    /// <summary>The seed of this machine's time noise (its jobs and load profile).</summary>
    protected ulong Stream { get; }

    /// <summary>Vibration velocity RMS of the healthy machine at rated speed, mm/s (ISO 10816 zone A).</summary>
    protected double HealthyVibration { get; }

    /// <summary>Bearing temperature rise over the hall at rated speed and load, K.</summary>
    protected double BearingRise { get; }

    /// <summary>Current imbalance of the healthy motor, %: supply and manufacturing asymmetry.</summary>
    protected double BaseImbalance { get; }

    /// <summary>Shaft speed relative to rated, after the drive's acceleration.</summary>
    protected double Speed => _speed;

    protected double Load => _load;

    protected bool Rotating => _speed > 0.02;

    public double WindingTemperature { get; private set; }

    public double BearingTemperature { get; private set; }

    public double OilTemperature { get; protected set; }

    /// <summary>Makes the machine's temperatures those of a machine that has stood in the hall.</summary>
    public void Settle(double ambient)
    {
        WindingTemperature = ambient;
        BearingTemperature = ambient;
        OilTemperature = ambient;
    }

    /// <summary>
    /// Advances the machine by <paramref name="dt"/> seconds to <paramref name="seconds"/> (Unix
    /// time) in <paramref name="state"/>, and computes its quantities into <see cref="Frame"/>.
    /// </summary>
    /// <param name="severity">1 − health of each degradation process, by <see cref="DegradationKind"/>.</param>
    public void Step(double seconds, double dt, OperatingState state, double ambient, ReadOnlySpan<double> severity)
    {
        var duty = state switch
        {
            OperatingState.Running => Duty(seconds, severity),
            OperatingState.Idle => IdleDuty(seconds),
            _ => Physics.Duty.Off,
        };

        var bearing = severity[(int)DegradationKind.BearingWear];
        var misalignment = severity[(int)DegradationKind.Misalignment];
        var winding = severity[(int)DegradationKind.WindingInsulation];
        var cavitation = severity[(int)DegradationKind.Cavitation];
        var belt = severity[(int)DegradationKind.BeltWear];

        // A drive reaches its set speed within seconds: a lag of 2 s.
        _speed = Lag(_speed, duty.Speed, dt, 2);
        if (duty.Speed == 0 && _speed < 1e-3)
        {
            // Coasted to a standstill: the encoder reads zero, not an exponential tail.
            _speed = 0;
        }

        _load = duty.Speed > 0 ? duty.Load : 0;

        // Losses from friction (a worn bearing), coupling forces (misalignment) and circulating
        // currents in shorted turns (insulation) all draw extra current.
        var losses = 1 + (0.03 * bearing * bearing) + (0.04 * misalignment * _speed) + (0.05 * winding);
        _current = !duty.Energized ? 0 : Rotating ? (NoLoadCurrent + ((1 - NoLoadCurrent) * _load)) * losses : 0.03;

        // Insulation with shorted turns runs hot where the fault current circulates.
        var windingTarget = ambient + (55 * _current * _current) + (duty.Energized ? 40 * winding * winding : 0);
        WindingTemperature = Lag(WindingTemperature, windingTarget, dt, duty.Energized ? 1500 : 2700);

        // Bearing friction heat grows with speed and load; a spalled bearing heats up only late
        // (cubic), a misaligned coupling loads the bearing next to it all along.
        var bearingTarget = ambient + (BearingRise * _speed * (0.6 + (0.4 * _load))) + (Rotating ? (25 * bearing * bearing * bearing) + (8 * misalignment * _speed) : 0);
        BearingTemperature = Lag(BearingTemperature, bearingTarget, dt, 1800);

        var frame = Frame;
        Array.Clear(frame.Fluctuation);
        if (Rotating)
        {
            // Velocity RMS of imbalance grows with speed; the faults multiply it: a misaligned
            // shaft at 1x and 2x running speed (so more at speed), cavitation and a flapping belt broadband.
            frame[SignalKind.VibrationRms] = HealthyVibration
                * (0.25 + (0.75 * _speed * Math.Sqrt(_speed)))
                * (0.9 + (0.2 * _load))
                * (1 + (5 * bearing * Math.Sqrt(bearing)))
                * (1 + (1.8 * misalignment * _speed))
                * (1 + (1.5 * cavitation))
                * (1 + (0.8 * belt));
            frame.ImpulseProbability = bearing > 0 ? 0.12 * Math.Pow(bearing, 0.7) : 0;
            frame.ImpulseScale = 1.5 + (6 * bearing);
            frame.CrestFactor = 3 + (5 * bearing) - (0.8 * misalignment) + cavitation;
        }
        else
        {
            // A machine at rest still shows what its neighbours shake the floor with.
            frame[SignalKind.VibrationRms] = 0.03;
            frame.ImpulseProbability = 0;
            frame.ImpulseScale = 0;
            frame.CrestFactor = 3;
        }

        frame.Fluctuation[(int)SignalKind.VibrationRms] = (0.25 * cavitation) + (0.1 * belt);
        frame.Fluctuation[(int)SignalKind.VibrationPeak] = frame.Fluctuation[(int)SignalKind.VibrationRms];
        frame[SignalKind.VibrationPeak] = frame[SignalKind.VibrationRms] * frame.CrestFactor;
        frame[SignalKind.BearingTemperature] = BearingTemperature;
        frame[SignalKind.WindingTemperature] = WindingTemperature;
        frame[SignalKind.MotorCurrent] = _current;
        frame.Fluctuation[(int)SignalKind.MotorCurrent] = (0.04 * cavitation) + (0.03 * belt);
        frame[SignalKind.CurrentImbalance] = duty.Energized && Rotating ? BaseImbalance + (8 * winding) : 0;
        frame[SignalKind.Speed] = _speed;
        frame[SignalKind.Torque] = Rotating ? _load : 0;
        frame[SignalKind.Power] = !duty.Energized ? 0 : Rotating ? (0.05 + (0.95 * _load)) * losses : 0.02;
        frame.Fluctuation[(int)SignalKind.Power] = frame.Fluctuation[(int)SignalKind.MotorCurrent];

        Process(seconds, dt, state, duty, ambient, severity);
    }

    /// <summary>What the machine does in a shift at time <paramref name="seconds"/>.</summary>
    protected abstract Duty Duty(double seconds, ReadOnlySpan<double> severity);

    /// <summary>What it does between shifts: by default power on, motor at rest.</summary>
    protected virtual Duty IdleDuty(double seconds) => Physics.Duty.Standby;

    /// <summary>The quantities of the machine's own process: pressures, flow, tension, oil.</summary>
    protected abstract void Process(double seconds, double dt, OperatingState state, Duty duty, double ambient, ReadOnlySpan<double> severity);

    /// <summary>One step of a first-order lag with time constant <paramref name="tau"/>, exact for any step.</summary>
    protected static double Lag(double value, double target, double dt, double tau) =>
        target + ((value - target) * Math.Exp(-dt / tau));

    public static MachinePhysics Create(MachineKind kind, ulong stream, double baseImbalance) => kind switch
    {
        MachineKind.CncSpindle => new CncSpindlePhysics(stream, baseImbalance),
        MachineKind.CentrifugalPump => new CentrifugalPumpPhysics(stream, baseImbalance),
        MachineKind.ConveyorDrive => new ConveyorDrivePhysics(stream, baseImbalance),
        MachineKind.HydraulicPress => new HydraulicPressPhysics(stream, baseImbalance),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "This kind of machine cannot be simulated."),
    };

    protected static readonly SignalKind[] DriveSignals =
    [
        SignalKind.VibrationRms, SignalKind.VibrationPeak, SignalKind.BearingTemperature, SignalKind.WindingTemperature,
        SignalKind.MotorCurrent, SignalKind.CurrentImbalance, SignalKind.Speed, SignalKind.Torque, SignalKind.Power,
        SignalKind.OilTemperature,
    ];
}
