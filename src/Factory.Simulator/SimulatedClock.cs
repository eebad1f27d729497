namespace Factory.Simulator;

/// <summary>
/// Simulated time: the start of the simulation plus the real time elapsed since, multiplied by
/// the acceleration (1 is real time, 3600 makes an hour pass every second). Real time comes from
/// an injected <see cref="TimeProvider"/>, so tests move the plant forward by advancing a fake clock.
/// </summary>
public sealed class SimulatedClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _realStart;

    /// <param name="start">The simulated time at this moment.</param>
    /// <param name="acceleration">Simulated seconds per real second; more than 0.</param>
    public SimulatedClock(DateTimeOffset start, double acceleration, TimeProvider time)
    {
        if (!(acceleration > 0) || double.IsInfinity(acceleration))
        {
            throw new ArgumentOutOfRangeException(nameof(acceleration), acceleration, "The acceleration must be a positive number.");
        }

        _time = time;
        _realStart = time.GetUtcNow();
        Start = start.ToUniversalTime();
        Acceleration = acceleration;
    }

    /// <summary>The simulated time when the clock was made.</summary>
    public DateTimeOffset Start { get; }

    public double Acceleration { get; }

    public TimeProvider RealTime => _time;

    /// <summary>The simulated time now.</summary>
    public DateTimeOffset Now => At(_time.GetUtcNow());

    /// <summary>The simulated time at real time <paramref name="real"/>.</summary>
    public DateTimeOffset At(DateTimeOffset real) =>
        Start + TimeSpan.FromTicks((long)((real - _realStart).Ticks * Acceleration));

    /// <summary>How long a simulated span takes in real time.</summary>
    public TimeSpan RealDuration(TimeSpan simulated) => TimeSpan.FromTicks((long)(simulated.Ticks / Acceleration));
}
