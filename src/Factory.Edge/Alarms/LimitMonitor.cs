using Factory.Edge.Telemetry;
using Factory.Plant.Model;

namespace Factory.Edge.Alarms;

/// <summary>
/// The limit conditions of one sensor (HH, H, L, LL, those configured), evaluated sample by
/// sample. Reports only what changed: a condition becoming active or clearing. Allocation-free
/// and O(number of limits) per sample; not thread-safe (one machine actor owns it).
/// </summary>
/// <remarks>
/// <para>A high condition is beyond its limit when the value is above it (<c>value &gt; limit</c>), a
/// low one when below (<c>value &lt; limit</c>). Once active, a high condition clears only when the
/// value is below <c>limit - deadband</c>, a low one above <c>limit + deadband</c>: a value
/// hovering at the limit does not chatter. HH and H are separate conditions: above HH both are
/// active.</para>
/// <para>On-delay: a condition activates only after its value has been beyond the limit for
/// <c>OnDelayMs</c>; a sample back inside the limit before then cancels it. Off-delay: an active
/// condition clears only after the value has been past the deadband for <c>OffDelayMs</c>; a
/// sample back inside the deadband cancels that. A delay that falls due fires at the instant it
/// fell due (start + delay), whether a later sample or <see cref="Tick"/> notices it: OPC UA
/// reports by exception, so a value that does not change is still the value.</para>
/// <para>A sample that is not a finite number (NaN, infinity; the caller passes NaN for a value of
/// bad quality) is no value: it changes no condition, and it restarts pending delays, because a
/// condition must be seen throughout its delay. Losing data is the stale-data alarm's business.</para>
/// </remarks>
public sealed class LimitMonitor
{
    private readonly Condition[] _conditions;
    private readonly LimitChange[] _changes;
    private readonly long _onDelayTicks;
    private readonly long _offDelayTicks;
    private int _count;
    private double _lastValue = double.NaN;

    /// <param name="sensorPath">The sensor's alarm id prefix, <c>line/machine/sensor</c>; each condition's alarm id is it plus <c>/hh</c>, <c>/h</c>, ...</param>
    /// <param name="limits">The sensor's limits from the plant configuration.</param>
    public LimitMonitor(string sensorPath, LimitAlarms limits)
    {
        if (!double.IsFinite(limits.Deadband) || limits.Deadband < 0)
        {
            throw new ArgumentException($"The deadband of {sensorPath} must be a number ≥ 0, is {limits.Deadband}.", nameof(limits));
        }

        if (limits.OnDelayMs < 0 || limits.OffDelayMs < 0)
        {
            throw new ArgumentException($"The delays of {sensorPath} must be ≥ 0 ms, are on {limits.OnDelayMs} and off {limits.OffDelayMs}.", nameof(limits));
        }

        _conditions = [.. AlarmCatalog.Levels(limits).Select(l => new Condition(
            $"{sensorPath}/{AlarmNames.Of(l.Kind)}",
            l.Kind,
            l.Level.Value,
            l.Kind.IsHighLimit() ? l.Level.Value - limits.Deadband : l.Level.Value + limits.Deadband))];
        _changes = new LimitChange[2 * _conditions.Length];
        _onDelayTicks = TimeSpan.FromMilliseconds(limits.OnDelayMs).Ticks;
        _offDelayTicks = TimeSpan.FromMilliseconds(limits.OffDelayMs).Ticks;
        Limits = limits;
    }

    public LimitAlarms Limits { get; }

    /// <summary>The configured conditions, in the order HH, H, L, LL.</summary>
    public IEnumerable<AlarmKind> Kinds => _conditions.Select(c => c.Kind);

    /// <summary>
    /// When a pending on- or off-delay falls due if no sample arrives before: the time to call
    /// <see cref="Tick"/>. Null when nothing is pending.
    /// </summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            var next = long.MaxValue;
            foreach (ref readonly var c in _conditions.AsSpan())
            {
                if (c.Phase == Phase.PendingOn)
                {
                    next = Math.Min(next, c.Since + _onDelayTicks);
                }
                else if (c.Phase == Phase.PendingOff)
                {
                    next = Math.Min(next, c.Since + _offDelayTicks);
                }
            }

            return next == long.MaxValue ? null : new DateTimeOffset(next, TimeSpan.Zero);
        }
    }

    /// <summary>A limit monitor for a sensor of the plant configuration; null if the sensor has no limits.</summary>
    public static LimitMonitor? For(string line, string machine, Sensor sensor) =>
        sensor.Limits is { } limits ? new LimitMonitor($"{line}/{machine}/{sensor.Id}", limits) : null;

    /// <summary>
    /// Evaluates one sample. Returns the conditions that changed: usually none. The span is the
    /// monitor's own buffer, valid until the next call of <see cref="Evaluate(double, DateTimeOffset)"/> or <see cref="Tick"/>.
    /// </summary>
    /// <param name="value">The value in engineering units; NaN for a value of bad quality.</param>
    /// <param name="time">When it was measured (the OPC UA source timestamp).</param>
    public ReadOnlySpan<LimitChange> Evaluate(double value, DateTimeOffset time)
    {
        _count = 0;
        var now = time.UtcTicks;
        FireDue(now);
        var conditions = _conditions.AsSpan();
        if (!double.IsFinite(value))
        {
            foreach (ref var c in conditions)
            {
                c.Phase = c.Phase switch
                {
                    Phase.PendingOn => Phase.Normal,
                    Phase.PendingOff => Phase.Active,
                    _ => c.Phase,
                };
            }

            return default;
        }

        _lastValue = value;
        foreach (ref var c in conditions)
        {
            switch (c.Phase)
            {
                case Phase.Normal when c.IsBeyond(value):
                    if (_onDelayTicks == 0)
                    {
                        Change(ref c, Phase.Active, now, value);
                    }
                    else
                    {
                        c.Phase = Phase.PendingOn;
                        c.Since = now;
                    }

                    break;
                case Phase.PendingOn when !c.IsBeyond(value):
                    c.Phase = Phase.Normal;
                    break;
                case Phase.Active when c.IsBack(value):
                    if (_offDelayTicks == 0)
                    {
                        Change(ref c, Phase.Normal, now, value);
                    }
                    else
                    {
                        c.Phase = Phase.PendingOff;
                        c.Since = now;
                    }

                    break;
                case Phase.PendingOff when !c.IsBack(value):
                    c.Phase = Phase.Active;
                    break;
            }
        }

        return _changes.AsSpan(0, _count);
    }

    /// <summary>Evaluates a sample as read over OPC UA: a value of bad quality counts as no value.</summary>
    public ReadOnlySpan<LimitChange> Evaluate(in SensorSample sample) =>
        Evaluate(sample.Good ? sample.Value : double.NaN, sample.SourceTime);

    /// <summary>
    /// Fires the on- and off-delays that fell due by <paramref name="now"/> while no sample came
    /// (the last value still holds). Same result contract as <see cref="Evaluate(double, DateTimeOffset)"/>.
    /// </summary>
    public ReadOnlySpan<LimitChange> Tick(DateTimeOffset now)
    {
        _count = 0;
        FireDue(now.UtcTicks);
        return _changes.AsSpan(0, _count);
    }

    /// <summary>Whether the condition of <paramref name="kind"/> is active (an off-delay running counts as active).</summary>
    public bool IsActive(AlarmKind kind)
    {
        foreach (ref readonly var c in _conditions.AsSpan())
        {
            if (c.Kind == kind)
            {
                return c.Phase is Phase.Active or Phase.PendingOff;
            }
        }

        return false;
    }

    /// <summary>The alarm id of the condition of <paramref name="kind"/>; null if that limit is not configured.</summary>
    public string? AlarmId(AlarmKind kind)
    {
        foreach (ref readonly var c in _conditions.AsSpan())
        {
            if (c.Kind == kind)
            {
                return c.AlarmId;
            }
        }

        return null;
    }

    /// <summary>
    /// After a restart: marks a condition active without reporting it, because the alarm journal
    /// says it is (<see cref="AlarmBook.IsConditionActive"/>). Without this a value that came back
    /// while the edge was down would never clear it. False if that limit is not configured.
    /// </summary>
    public bool RestoreActive(AlarmKind kind)
    {
        foreach (ref var c in _conditions.AsSpan())
        {
            if (c.Kind == kind)
            {
                c.Phase = Phase.Active;
                return true;
            }
        }

        return false;
    }

    private void FireDue(long now)
    {
        foreach (ref var c in _conditions.AsSpan())
        {
            if (c.Phase == Phase.PendingOn && now - c.Since >= _onDelayTicks)
            {
                Change(ref c, Phase.Active, c.Since + _onDelayTicks, _lastValue);
            }
            else if (c.Phase == Phase.PendingOff && now - c.Since >= _offDelayTicks)
            {
                Change(ref c, Phase.Normal, c.Since + _offDelayTicks, _lastValue);
            }
        }
    }

    private void Change(ref Condition c, Phase phase, long time, double value)
    {
        c.Phase = phase;
        _changes[_count++] = new LimitChange(c.AlarmId, c.Kind, phase == Phase.Active, new DateTimeOffset(time, TimeSpan.Zero), value, c.Limit);
    }

    private enum Phase : byte
    {
        Normal,
        PendingOn,
        Active,
        PendingOff,
    }

    private struct Condition(string alarmId, AlarmKind kind, double limit, double clearAt)
    {
        public readonly string AlarmId = alarmId;
        public readonly AlarmKind Kind = kind;
        public readonly double Limit = limit;
        public readonly double ClearAt = clearAt;
        public readonly bool High = kind.IsHighLimit();
        public Phase Phase;
        public long Since;

        public readonly bool IsBeyond(double value) => High ? value > Limit : value < Limit;

        public readonly bool IsBack(double value) => High ? value < ClearAt : value > ClearAt;
    }
}

/// <summary>A limit condition of a sensor became active or cleared.</summary>
/// <param name="AlarmId">The alarm of the condition, e.g. <c>line-1/cnc-01/spindle-vibration-rms/hh</c>.</param>
/// <param name="Active">True: became active; false: cleared.</param>
/// <param name="Time">When: the sample's time, or the instant a delay fell due.</param>
/// <param name="Value">The value that raised or cleared it (for a delay that fell due, the last value).</param>
/// <param name="Limit">The limit.</param>
public readonly record struct LimitChange(string AlarmId, AlarmKind Kind, bool Active, DateTimeOffset Time, double Value, double Limit)
{
    /// <summary>The command that tells the line's <see cref="AlarmBook"/> about it.</summary>
    public AlarmBookCommand ToCommand() =>
        Active ? new ActivateCondition(AlarmId, Time, Value) : new ClearCondition(AlarmId, Time, Value);
}
