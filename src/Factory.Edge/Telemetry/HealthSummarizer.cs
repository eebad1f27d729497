using Factory.Contracts.Telemetry;

namespace Factory.Edge.Telemetry;

/// <summary>
/// Turns a machine's evaluations into one <see cref="MachineHealth"/> per interval of the
/// machine's clock (the same intervals as the sensor summaries, aligned to the Unix epoch): how
/// often it was scored, the newest, mean and largest score, and the model, operating state and
/// staleness at the end of the interval. Every interval in which the machine was evaluated at all
/// produces one, also without a score (no model yet, stale data): the cloud sees that too. Not
/// thread-safe: its machine actor owns it.
/// </summary>
/// <remarks>
/// An interval is complete when an evaluation falls into a later one; evaluations come every
/// evaluation interval, with data or without, so that is at most one evaluation interval after
/// its end. The machine's clock is an estimate between samples and may step back a little when
/// a sample comes: an evaluation that falls before the open interval counts in it.
/// </remarks>
internal sealed class HealthSummarizer
{
    private readonly string _line;
    private readonly string _machine;
    private readonly long _interval;
    private readonly double _intervalSeconds;
    private bool _open;
    private long _start;
    private int _scores;
    private double _sum;
    private double _max;
    private double _last;
    private double? _threshold;
    private string? _model;
    private string _state = "unknown";
    private bool _stale;

    public HealthSummarizer(string line, string machine, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(10));
        _line = line;
        _machine = machine;
        _interval = interval.Ticks;
        _intervalSeconds = interval.TotalSeconds;
    }

    /// <summary>
    /// Takes one evaluation at <paramref name="machineTime"/>. Returns the health of the interval
    /// it completed, if any.
    /// </summary>
    /// <param name="score">The score, null when the machine was not scored (no model, stale, windows not full, the model failed).</param>
    /// <param name="threshold">The model's threshold; null without a model.</param>
    /// <param name="model">The model in service (e.g. <c>pump-anomaly v3</c>); null without one.</param>
    /// <param name="state">The machine's operating state, lower case.</param>
    public MachineHealth? Evaluated(DateTimeOffset machineTime, double? score, double? threshold, string? model, string state, bool stale)
    {
        var ticks = machineTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var start = ticks - (((ticks % _interval) + _interval) % _interval);
        MachineHealth? completed = null;
        if (!_open)
        {
            _open = true;
            _start = start;
        }
        else if (start > _start)
        {
            completed = Complete();
            _start = start;
        }

        if (score is { } value && double.IsFinite(value))
        {
            _scores++;
            _sum += value;
            _max = _scores == 1 ? value : Math.Max(_max, value);
            _last = value;
        }

        _threshold = threshold is { } t && double.IsFinite(t) ? t : null;
        _model = model;
        _state = state;
        _stale = stale;
        return completed;
    }

    private MachineHealth Complete()
    {
        var health = new MachineHealth(
            _line,
            _machine,
            DateTimeOffset.UnixEpoch.AddTicks(_start),
            _intervalSeconds,
            _scores,
            _scores > 0 ? _last : null,
            _scores > 0 ? _sum / _scores : null,
            _scores > 0 ? _max : null,
            _threshold,
            _model,
            _state,
            _stale);
        _scores = 0;
        _sum = 0;
        _max = 0;
        _last = 0;
        return health;
    }
}
