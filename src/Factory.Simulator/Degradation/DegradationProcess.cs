using Factory.Simulator.Randomness;

namespace Factory.Simulator.Degradation;

/// <summary>Why a fault developed: drawn from the process's lifetime distribution, or injected by a scenario.</summary>
public enum FaultCause
{
    Random,
    Injected,
}

/// <summary>
/// One degradation process of one machine: when its current fault starts (the onset) and when
/// it will fail, both known in advance, so that labels are exact and a health value can be
/// computed for any moment without stepping. Renewed by maintenance, which draws a new life.
/// </summary>
internal sealed class DegradationProcess
{
    private const double SecondsPerDay = 86_400;
    private readonly RandomStream _lives;
    private readonly bool _randomFaults;

    public DegradationProcess(DegradationProcessDefinition definition, ulong seed, bool randomFaults)
    {
        Definition = definition;
        _lives = new RandomStream(seed);
        _randomFaults = randomFaults;
    }

    public DegradationProcessDefinition Definition { get; }

    public DegradationKind Kind => Definition.Kind;

    /// <summary>When degradation becomes detectable; null if this life has no fault in it (random faults off).</summary>
    public DateTimeOffset? Onset { get; private set; }

    /// <summary>When health reaches 0 and the machine fails; null with <see cref="Onset"/>.</summary>
    public DateTimeOffset? Failure { get; private set; }

    public FaultCause Cause { get; private set; }

    /// <summary>The onset was reported (as an event) for the current fault.</summary>
    public bool OnsetReported { get; set; }

    /// <summary>The failure happened for the current fault; the process stays at health 0 until renewed.</summary>
    public bool Failed { get; set; }

    /// <summary>The health of the part at <paramref name="time"/>: 1 new, 0 failed.</summary>
    public double Health(DateTimeOffset time)
    {
        if (Failed)
        {
            return 0;
        }

        if (Onset is not { } onset || Failure is not { } failure || time <= onset)
        {
            return 1;
        }

        var fraction = (time - onset).TotalSeconds / Math.Max(1e-3, (failure - onset).TotalSeconds);
        return HealthLaw.Health(fraction, Definition.Growth);
    }

    /// <summary>
    /// Starts the life of a part that has already run <paramref name="ageDays"/> (the plant is not
    /// new when the simulation starts): the remaining life is drawn from the Weibull distribution
    /// conditional on that age.
    /// </summary>
    public void BeginLife(DateTimeOffset at, double ageDays)
    {
        Failed = false;
        OnsetReported = false;
        Cause = FaultCause.Random;
        if (!_randomFaults)
        {
            Onset = null;
            Failure = null;
            return;
        }

        var life = _lives.NextWeibullLife(Definition.WeibullShape, Definition.WeibullScaleDays, ageDays);
        var remaining = Math.Max(life - ageDays, 0.01);

        // The P-F interval: lognormal around the process's median, and never more than half the life.
        var warning = Definition.WarningDays * Math.Exp(0.4 * _lives.NextGaussian());
        warning = Math.Min(warning, 0.5 * life);
        var failure = at + TimeSpan.FromSeconds(remaining * SecondsPerDay);
        Failure = failure;
        Onset = failure - TimeSpan.FromSeconds(warning * SecondsPerDay);
    }

    /// <summary>A fresh part; its age is drawn for the first life at the start of a simulation.</summary>
    public void BeginFirstLife(DateTimeOffset at) =>
        BeginLife(at, _lives.NextDouble() * Definition.WeibullScaleDays);

    /// <summary>Replaces the current life with a scripted fault (a scenario or --fault).</summary>
    public void Inject(DateTimeOffset onset, DateTimeOffset failure)
    {
        Failed = false;
        OnsetReported = false;
        Cause = FaultCause.Injected;
        Onset = onset;
        Failure = failure;
    }
}
