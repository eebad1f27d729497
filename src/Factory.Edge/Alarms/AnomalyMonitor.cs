namespace Factory.Edge.Alarms;

/// <summary>
/// The anomaly condition of one machine, decided from its scores with hysteresis: it becomes
/// active after <see cref="RaiseAfter"/> consecutive scores above the threshold, and clears after
/// <see cref="ClearAfter"/> consecutive scores below <see cref="ClearRatio"/> × threshold. One
/// score over the line (a transient, a tool change) raises nothing; a score wavering at the
/// threshold does not chatter. Not thread-safe: its machine actor owns it.
/// </summary>
public sealed class AnomalyMonitor
{
    private int _above;
    private int _below;

    /// <param name="alarmId">The machine's anomaly alarm.</param>
    /// <param name="raiseAfter">Consecutive scores above the threshold that raise the alarm (≥ 1).</param>
    /// <param name="clearAfter">Consecutive scores below the clearing level that clear it (≥ 1).</param>
    /// <param name="clearRatio">The clearing level as a fraction of the threshold, in (0, 1].</param>
    public AnomalyMonitor(string alarmId, int raiseAfter = 2, int clearAfter = 5, double clearRatio = 0.9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(raiseAfter, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clearAfter, 1);
        if (!(clearRatio > 0 && clearRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(clearRatio), clearRatio, "The clearing level is a fraction of the threshold in (0, 1].");
        }

        AlarmId = alarmId;
        RaiseAfter = raiseAfter;
        ClearAfter = clearAfter;
        ClearRatio = clearRatio;
    }

    public string AlarmId { get; }

    public int RaiseAfter { get; }

    public int ClearAfter { get; }

    public double ClearRatio { get; }

    /// <summary>Whether the condition is active.</summary>
    public bool Active { get; private set; }

    /// <summary>
    /// Takes one score. Returns the command for the line's alarm book when the condition changes,
    /// otherwise null. A score that is not a finite number counts neither way.
    /// </summary>
    public AlarmBookCommand? Evaluate(double score, double threshold, DateTimeOffset time)
    {
        if (!double.IsFinite(score) || !double.IsFinite(threshold))
        {
            return null;
        }

        if (score > threshold)
        {
            _below = 0;
            if (!Active && ++_above >= RaiseAfter)
            {
                Active = true;
                _above = 0;
                return new ActivateCondition(AlarmId, time, null, score, threshold);
            }
        }
        else if (score < threshold * ClearRatio)
        {
            _above = 0;
            if (Active && ++_below >= ClearAfter)
            {
                Active = false;
                _below = 0;
                return new ClearCondition(AlarmId, time);
            }
        }
        else
        {
            // Between the clearing level and the threshold: neither raises nor clears.
            _above = 0;
            _below = 0;
        }

        return null;
    }

    /// <summary>
    /// Forgets the scores counted so far (the model changed, or the data stopped): counting
    /// starts again, and the condition stays as it is.
    /// </summary>
    public void Restart()
    {
        _above = 0;
        _below = 0;
    }

    /// <summary>After a restart: the alarm journal says the condition is active.</summary>
    public void RestoreActive() => Active = true;
}
