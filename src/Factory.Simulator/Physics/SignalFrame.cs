using Factory.Plant.Model;

namespace Factory.Simulator.Physics;

/// <summary>
/// What a machine's physics says each of its quantities is right now, before a sensor's noise,
/// calibration and range. Temperatures (°C), vibration (mm/s) and current imbalance (%) are in
/// physical units; the other quantities are relative to the machine's rating (1 = rated), and
/// each sensor maps them into its own range and unit (see <see cref="SensorChannel"/>).
/// </summary>
internal sealed class SignalFrame
{
    public static readonly int Count = Enum.GetValues<SignalKind>().Length;

    /// <summary>The value of each quantity, by <see cref="SignalKind"/>.</summary>
    public double[] Value { get; } = new double[Count];

    /// <summary>Extra relative fluctuation of each quantity beyond its sensor's noise (cavitation, slip).</summary>
    public double[] Fluctuation { get; } = new double[Count];

    /// <summary>Chance that a vibration sample catches an impact (a roller passing a spall).</summary>
    public double ImpulseProbability { get; set; }

    /// <summary>Mean height of such an impact, relative to the vibration RMS.</summary>
    public double ImpulseScale { get; set; }

    /// <summary>Peak over RMS of the vibration waveform: about 3 for a healthy machine's random vibration.</summary>
    public double CrestFactor { get; set; } = 3;

    public double this[SignalKind signal]
    {
        get => Value[(int)signal];
        set => Value[(int)signal] = value;
    }

    /// <summary>True for quantities expressed relative to the rating, which a sensor maps into its range.</summary>
    public static bool IsRelative(SignalKind signal) => signal switch
    {
        SignalKind.VibrationRms or SignalKind.VibrationPeak or SignalKind.BearingTemperature or
        SignalKind.WindingTemperature or SignalKind.OilTemperature or SignalKind.CurrentImbalance => false,
        _ => true,
    };
}
