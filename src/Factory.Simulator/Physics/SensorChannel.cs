using Factory.Plant.Model;
using Factory.Simulator.Randomness;

namespace Factory.Simulator.Physics;

/// <summary>
/// One sensor of a simulated machine: turns the machine's quantity into what the transmitter
/// reports. Each sensor has its own calibration (a small gain error, a temperature offset), its
/// own noise, and its range. A quantity relative to the machine's rating is scaled by the
/// sensor's rated reading, which the simulator takes from the sensor's limits (the normal
/// operating band lies between them) or, without limits, from its range (see
/// <see cref="RatedReading"/>); a reading beyond the range saturates at its end, as a 4-20 mA loop does.
/// </summary>
internal sealed class SensorChannel
{
    /// <summary>
    /// Acceleration from velocity at an effective frequency of 300 Hz (2π·300 per second): the
    /// physics computes vibration velocity; a sensor in g reports acceleration, in which the
    /// impacts of a bearing fault, rich in high frequencies, stand out.
    /// </summary>
    private const double VelocityToAcceleration = 2 * Math.PI * 300;

    private const double StandardGravity = 9806.65;

    private readonly RandomStream _noise;
    private readonly double _gain;
    private readonly double _offset;
    private readonly Func<double, double> _fromCanonical;
    private readonly double _rated;

    public SensorChannel(Sensor sensor, ulong seed)
    {
        Sensor = sensor;
        Signal = sensor.Signal;
        Low = sensor.Range.Low;
        High = sensor.Range.High;
        if (!(High > Low))
        {
            throw new SimulatorConfigurationException($"sensor '{sensor.Id}' has the range {Low} to {High}; the high end must be above the low end");
        }

        _fromCanonical = SignalFrame.IsRelative(Signal) ? static v => v : Conversion(sensor);
        _rated = RatedReading(sensor);
        _noise = new RandomStream(seed);
        _gain = 1 + (0.01 * _noise.NextGaussian());
        _offset = Signal is SignalKind.BearingTemperature or SignalKind.WindingTemperature or SignalKind.OilTemperature
            ? 0.4 * _noise.NextGaussian()
            : 0;
    }

    public Sensor Sensor { get; }

    public SignalKind Signal { get; }

    public double Low { get; }

    public double High { get; }

    /// <summary>
    /// What the sensor reads when its quantity is at the machine's rating. Limits say where normal
    /// operation lies: between a low and a high limit, the middle; below a high limit only, 80 %
    /// of it; above a low limit only, at least 1.5 times it. Without limits, a fixed fraction of
    /// the range (<see cref="RatedFraction"/>). A suction pressure sits at three times its low limit.
    /// </summary>
    public static double RatedReading(Sensor sensor)
    {
        var limits = sensor.Limits;
        var low = limits?.Low?.Value ?? limits?.LowLow?.Value;
        var high = limits?.High?.Value ?? (0.9 * limits?.HighHigh?.Value);
        var range = sensor.Range;
        var fallback = range.Low <= 0 ? RatedFraction(sensor.Signal) * range.High : range.Low + (RatedFraction(sensor.Signal) * (range.High - range.Low));
        var rated = sensor.Signal == SignalKind.SuctionPressure
            ? (low is { } suction && suction > 0 ? 3 * suction : fallback)
            : (low, high) switch
            {
                ({ } l, { } h) when h > l => (l + h) / 2,
                (_, { } h) => 0.8 * h,
                ({ } l, _) => Math.Max(1.5 * l, fallback),
                _ => fallback,
            };
        return rated > range.Low && rated <= range.High ? rated : fallback;
    }

    /// <summary>The fraction of a relative sensor's span at which the rated value sits when it has no limits.</summary>
    public static double RatedFraction(SignalKind signal) => signal switch
    {
        SignalKind.Speed => 0.8,
        SignalKind.Power => 0.7,
        SignalKind.HydraulicPressure => 0.75,
        SignalKind.BeltTension => 0.6,
        SignalKind.SuctionPressure => 0.5,
        _ => 0.65,
    };

    /// <summary>A reading of the sensor now, from the machine's current quantities.</summary>
    public double Sample(SignalFrame frame)
    {
        var value = frame[Signal];
        var fluctuation = frame.Fluctuation[(int)Signal];
        double reading;
        switch (Signal)
        {
            case SignalKind.VibrationRms:
                reading = (value * (1 + ((0.06 + fluctuation) * _noise.NextGaussian()))) + Impulse(frame, value, 1);
                reading = _fromCanonical(Math.Max(0.005, reading * _gain));
                break;
            case SignalKind.VibrationPeak:
                reading = (value * (1 + ((0.08 + fluctuation) * _noise.NextGaussian()))) + Impulse(frame, value, 2.5);
                reading = _fromCanonical(Math.Max(0.01, reading * _gain));
                break;
            case SignalKind.BearingTemperature or SignalKind.WindingTemperature or SignalKind.OilTemperature:
                reading = _fromCanonical(value + _offset + (0.1 * _noise.NextGaussian()));
                break;
            case SignalKind.CurrentImbalance:
                reading = value <= 0 ? 0 : Math.Max(0, (value * (1 + (0.05 * _noise.NextGaussian()))) + (0.05 * _noise.NextGaussian()));
                break;
            default:
                var relative = value * (1 + ((BaseNoise(Signal) + fluctuation) * _noise.NextGaussian())) * _gain;
                reading = Place(relative);
                if (Signal != SignalKind.Speed)
                {
                    // Analog transmitters never read a clean zero: a little electrical noise on the loop.
                    reading += 0.001 * (High - Low) * _noise.NextGaussian();
                }

                break;
        }

        return Math.Clamp(reading, Low, High);
    }

    /// <summary>Puts a relative quantity into the sensor's range and unit.</summary>
    private double Place(double relative) =>
        // A range that includes zero (0 to 25 bar, -1 to 6 bar gauge) reads zero at rest; a live-zero
        // range (400 to 1200 rpm) reads its low end.
        Low <= 0 ? relative * _rated : Low + (relative * (_rated - Low));

    private double Impulse(SignalFrame frame, double rms, double height) =>
        frame.ImpulseProbability > 0 && _noise.NextDouble() < frame.ImpulseProbability
            ? rms * frame.ImpulseScale * height * _noise.NextExponential()
            : 0;

    private static double BaseNoise(SignalKind signal) => signal switch
    {
        SignalKind.Speed => 0.002,
        SignalKind.MotorCurrent => 0.01,
        SignalKind.Torque => 0.015,
        SignalKind.Power => 0.01,
        SignalKind.Flow => 0.01,
        SignalKind.BeltTension => 0.01,
        _ => 0.005,
    };

    /// <summary>From the physics' unit (°C, mm/s, %) to the sensor's.</summary>
    private static Func<double, double> Conversion(Sensor sensor)
    {
        var unit = sensor.Unit.Trim();
        switch (sensor.Signal)
        {
            case SignalKind.BearingTemperature or SignalKind.WindingTemperature or SignalKind.OilTemperature:
                if (unit is "°C" or "degC" or "C" or "Cel" or "celsius" or "Celsius" or "℃")
                {
                    return static v => v;
                }

                if (unit is "°F" or "degF" or "F" or "℉")
                {
                    return static v => (v * 9 / 5) + 32;
                }

                if (unit is "K" or "kelvin")
                {
                    return static v => v + 273.15;
                }

                throw Unsupported(sensor, "°C, °F or K");
            case SignalKind.VibrationRms or SignalKind.VibrationPeak:
                if (unit is "g" or "gn")
                {
                    return static v => v * VelocityToAcceleration / StandardGravity;
                }

                if (unit is "m/s²" or "m/s2" or "m/s^2")
                {
                    return static v => v * VelocityToAcceleration / 1000;
                }

                if (unit.StartsWith("mm/s", StringComparison.Ordinal))
                {
                    return static v => v;
                }

                if (unit.StartsWith("in/s", StringComparison.Ordinal) || unit == "ips")
                {
                    return static v => v / 25.4;
                }

                if (unit.StartsWith("m/s", StringComparison.Ordinal) && !unit.StartsWith("m/s²", StringComparison.Ordinal) && !unit.StartsWith("m/s2", StringComparison.Ordinal))
                {
                    return static v => v / 1000;
                }

                throw Unsupported(sensor, "velocity (mm/s, in/s, m/s) or acceleration (g, m/s²)");
            case SignalKind.CurrentImbalance:
                return unit == "%" ? static v => v : throw Unsupported(sensor, "%");
            default:
                return static v => v;
        }
    }

    private static SimulatorConfigurationException Unsupported(Sensor sensor, string units) =>
        new($"sensor '{sensor.Id}' ({sensor.Signal}) is in '{sensor.Unit}', which the simulator cannot produce; use {units}");
}
