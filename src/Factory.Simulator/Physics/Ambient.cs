using Factory.Simulator.Randomness;

namespace Factory.Simulator.Physics;

/// <summary>
/// The temperature of the production hall: a daily cycle (coolest at dawn, warmest mid-afternoon,
/// local time) plus weather that drifts over hours and days. Every temperature of a machine
/// settles relative to it, so a hot afternoon lifts every bearing a little: a detector must
/// not take that for a fault.
/// </summary>
internal sealed class Ambient
{
    private const double MeanCelsius = 21;
    private const double DailyAmplitude = 3.5;
    private readonly ulong _weather;
    private readonly ulong _spell;
    private readonly TimeZoneInfo _zone;

    public Ambient(ulong seed, TimeZoneInfo zone)
    {
        _weather = StableHash.Derive(seed, "ambient", "weather");
        _spell = StableHash.Derive(seed, "ambient", "spell");
        _zone = zone;
    }

    /// <summary>The hall temperature in °C at <paramref name="time"/>.</summary>
    public double At(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeMilliseconds() / 1000.0;
        var localHours = (seconds + _zone.GetUtcOffset(time).TotalSeconds) / 3600.0;
        var daily = DailyAmplitude * Math.Cos(2 * Math.PI * (localHours - 15) / 24);
        return MeanCelsius + daily + (1.5 * TimeNoise.Smooth(_weather, seconds, 6 * 3600)) + (2.0 * TimeNoise.Smooth(_spell, seconds, 3 * 86_400));
    }
}
