using Factory.Contracts.Telemetry;
using Factory.Plant.Model;

namespace Factory.Edge.Telemetry;

/// <summary>
/// Turns a machine's samples into one <see cref="SensorSummary"/> per sensor and interval, by the
/// samples' source time (the machine's clock), intervals aligned to the Unix epoch. Good samples
/// with a finite value count; others are left out. An interval without samples produces nothing.
/// Not thread-safe: its machine actor owns it.
/// </summary>
/// <remarks>
/// <para>Closing rule: an interval <c>[start, end)</c> is closed, and its summary made, once the
/// machine's clock reaches <c>end + lateness</c>, where the lateness is a tenth of the interval,
/// at most 1 s (1 s for the default 10 s). The clock moves with every sample of the sensor (its
/// source time) and with <see cref="Tick"/> (the machine's clock as its actor estimates it, so a
/// sensor that goes quiet still has its last interval sent). Samples of one publish that arrive a
/// little out of order therefore still count in their interval; a sample for an interval already
/// closed is late: counted in <see cref="LateSamples"/> and dropped (a second summary with the
/// same identity would replace the first in the cloud).</para>
/// <para>After a start the first interval of each sensor holds only what the node saw of it: its
/// count says so.</para>
/// </remarks>
internal sealed class SensorSummarizer
{
    private readonly string _line;
    private readonly string _machine;
    private readonly IReadOnlyList<Sensor> _sensors;
    private readonly long _interval;
    private readonly long _lateness;
    private readonly double _intervalSeconds;

    // Two open intervals at most per sensor (the lateness is shorter than an interval): interval
    // number k lives in slot 2 × sensor + (k mod 2).
    private readonly Accumulator[] _slots;

    // Per sensor: intervals ending at or before this (Unix ticks) are closed.
    private readonly long[] _closedUntil;

    public SensorSummarizer(string line, Machine machine, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(10));
        _line = line;
        _machine = machine.Id;
        _sensors = machine.Sensors;
        _interval = interval.Ticks;
        _lateness = Math.Min(TimeSpan.TicksPerSecond, interval.Ticks / 10);
        _intervalSeconds = interval.TotalSeconds;
        _slots = new Accumulator[2 * _sensors.Count];
        _closedUntil = new long[_sensors.Count];
        Array.Fill(_closedUntil, long.MinValue);
    }

    /// <summary>The time after an interval's end during which its samples still count.</summary>
    public TimeSpan Lateness => TimeSpan.FromTicks(_lateness);

    /// <summary>Samples that came after their interval was closed, and were dropped.</summary>
    public long LateSamples { get; private set; }

    /// <summary>Takes one sample; summaries it completes are added to <paramref name="completed"/>.</summary>
    public void Add(in SensorSample sample, List<SensorSummary> completed)
    {
        if (!sample.Good || !double.IsFinite(sample.Value))
        {
            return;
        }

        var sensor = sample.SensorIndex;
        var ticks = sample.SourceTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var number = Math.DivRem(ticks, _interval, out var remainder);
        if (remainder < 0)
        {
            number--;
        }

        var start = number * _interval;
        if (start + _interval <= _closedUntil[sensor])
        {
            LateSamples++;
            return;
        }

        // The sample moves the sensor's clock: what it has passed by the lateness is complete.
        CloseUntil(sensor, ticks, completed);
        ref var slot = ref _slots[(2 * sensor) + (int)(number & 1)];
        if (slot.Count == 0)
        {
            slot.Start = start;
        }

        slot.Add(sample.Value, ticks);
    }

    /// <summary>Closes every interval the machine's clock has passed by the lateness, also of sensors that went quiet.</summary>
    public void Tick(DateTimeOffset machineNow, List<SensorSummary> completed)
    {
        var ticks = machineNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        for (var sensor = 0; sensor < _closedUntil.Length; sensor++)
        {
            CloseUntil(sensor, ticks, completed);
        }
    }

    private void CloseUntil(int sensor, long clock, List<SensorSummary> completed)
    {
        var closable = clock - _lateness;
        if (closable < _closedUntil[sensor] + _interval)
        {
            // Nothing more can close yet: the usual case, kept to one comparison.
            return;
        }

        var boundary = closable - (((closable % _interval) + _interval) % _interval);
        _closedUntil[sensor] = boundary;
        ref var first = ref _slots[2 * sensor];
        ref var second = ref _slots[(2 * sensor) + 1];

        // Older first, so the cloud receives a sensor's intervals in order.
        if (first.Count > 0 && second.Count > 0 && second.Start < first.Start)
        {
            Close(sensor, ref second, boundary, completed);
            Close(sensor, ref first, boundary, completed);
        }
        else
        {
            Close(sensor, ref first, boundary, completed);
            Close(sensor, ref second, boundary, completed);
        }
    }

    private void Close(int sensor, ref Accumulator slot, long boundary, List<SensorSummary> completed)
    {
        if (slot.Count == 0 || slot.Start + _interval > boundary)
        {
            return;
        }

        completed.Add(new SensorSummary(
            _line,
            _machine,
            _sensors[sensor].Id,
            DateTimeOffset.UnixEpoch.AddTicks(slot.Start),
            _intervalSeconds,
            slot.Count,
            slot.Min,
            slot.Max,
            slot.Mean,
            slot.StdDev,
            slot.Last,
            _sensors[sensor].Unit));
        slot = default;
    }

    /// <summary>
    /// Welford's running mean and variance: sound also for long intervals of nearly equal values,
    /// where sums of squares lose every digit to cancellation.
    /// </summary>
    private struct Accumulator
    {
        private double _m2;
        private long _lastTicks;

        public long Start;
        public long Count;
        public double Min;
        public double Max;
        public double Mean;
        public double Last;

        public readonly double StdDev => Count > 0 ? Math.Sqrt(_m2 / Count) : 0;

        public void Add(double value, long ticks)
        {
            Count++;
            if (Count == 1)
            {
                Min = Max = Last = value;
                Mean = value;
                _m2 = 0;
                _lastTicks = ticks;
                return;
            }

            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
            var delta = value - Mean;
            Mean += delta / Count;
            _m2 += delta * (value - Mean);

            // The newest by source time; of two with the same time, the one that came later.
            if (ticks >= _lastTicks)
            {
                _lastTicks = ticks;
                Last = value;
            }
        }
    }
}
