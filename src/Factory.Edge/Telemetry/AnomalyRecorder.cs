using Factory.Contracts.Telemetry;
using Factory.Plant.Model;

namespace Factory.Edge.Telemetry;

/// <summary>
/// Keeps the raw good samples of a machine's last moments, and turns them into an
/// <see cref="AnomalyWindow"/> when its anomaly alarm is raised: every sensor's samples from
/// <c>trigger − before</c> to <c>trigger + after</c> by source time, sent once the machine's clock
/// has passed the end by <see cref="Lateness"/>, so that the samples of the last publishes, still
/// on their way when the estimated clock passed the end, are in it. Not thread-safe: its machine
/// actor owns it.
/// </summary>
/// <remarks>
/// <para>Memory: one ring per sensor, sized for <c>before</c> plus 2 s (the trigger lies up to an
/// evaluation interval behind the newest sample) at the sensor's configured sampling interval,
/// 12 bytes a sample (the value, and the low 32 bits of its Unix millisecond time, completed from
/// the sensor's newest time). A sensor sampled faster than configured keeps less than
/// <c>before</c>: the bound on memory wins. What comes after the trigger is collected in lists
/// that exist only while a window is open.</para>
/// <para>A second activation while a window is open (the alarm cleared and came back within
/// <c>after</c>) opens a window of its own: every raise of the alarm is an event in the cloud,
/// and each has its own trace, the two overlapping.</para>
/// </remarks>
internal sealed class AnomalyRecorder
{
    private const int MaximumRing = 100_000;

    /// <summary>How long after its end a window waits for samples still on their way.</summary>
    public static readonly TimeSpan Lateness = TimeSpan.FromSeconds(1);

    private readonly string _line;
    private readonly string _machine;
    private readonly IReadOnlyList<Sensor> _sensors;
    private readonly TimeSpan _before;
    private readonly TimeSpan _after;
    private readonly Ring[] _rings;
    private readonly List<OpenWindow> _open = [];

    public AnomalyRecorder(string line, Machine machine, TimeSpan before, TimeSpan after)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(before, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(after, TimeSpan.Zero);
        _line = line;
        _machine = machine.Id;
        _sensors = machine.Sensors;
        _before = before;
        _after = after;
        var kept = before + TimeSpan.FromSeconds(2);
        _rings = [.. machine.Sensors.Select(s => new Ring((int)Math.Min(MaximumRing, Math.Ceiling(kept.TotalMilliseconds / Math.Max(1, s.SamplingIntervalMs)) + 4)))];
    }

    /// <summary>Windows started and not yet complete.</summary>
    public int OpenWindows => _open.Count;

    /// <summary>The samples a sensor's ring can hold.</summary>
    public int Capacity(int sensor) => _rings[sensor].Capacity;

    /// <summary>Takes one sample (bad quality and values that are not numbers are left out).</summary>
    public void Add(in SensorSample sample)
    {
        if (!sample.Good || !double.IsFinite(sample.Value))
        {
            return;
        }

        var ms = sample.SourceTime.ToUnixTimeMilliseconds();
        _rings[sample.SensorIndex].Add(ms, sample.Value);
        for (var i = 0; i < _open.Count; i++)
        {
            _open[i].Add(sample.SensorIndex, ms, sample.Value);
        }
    }

    /// <summary>The machine's anomaly alarm was raised at <paramref name="trigger"/> (the machine's clock): a window starts.</summary>
    public void Trigger(string alarmId, DateTimeOffset trigger, double? score, double? threshold)
    {
        var window = new OpenWindow(alarmId, trigger, trigger - _before, trigger + _after, score, threshold, _sensors.Count);
        for (var sensor = 0; sensor < _rings.Length; sensor++)
        {
            _rings[sensor].CopyTo(sensor, window);
        }

        _open.Add(window);
    }

    /// <summary>Completes every window whose end the machine's clock has passed by the lateness.</summary>
    public void Tick(DateTimeOffset machineNow, List<AnomalyWindow> completed)
    {
        for (var i = 0; i < _open.Count; i++)
        {
            if (machineNow >= _open[i].To + Lateness)
            {
                completed.Add(_open[i].Complete(_line, _machine, _sensors));
                _open.RemoveAt(i--);
            }
        }
    }

    private sealed class OpenWindow(string alarmId, DateTimeOffset trigger, DateTimeOffset from, DateTimeOffset to, double? score, double? threshold, int sensors)
    {
        private readonly long _fromMs = from.ToUnixTimeMilliseconds();
        private readonly long _toMs = to.ToUnixTimeMilliseconds();
        private readonly List<long>[] _times = [.. Enumerable.Range(0, sensors).Select(_ => new List<long>())];
        private readonly List<double>[] _values = [.. Enumerable.Range(0, sensors).Select(_ => new List<double>())];

        public DateTimeOffset To => to;

        public void Add(int sensor, long ms, double value)
        {
            if (ms >= _fromMs && ms <= _toMs)
            {
                _times[sensor].Add(ms);
                _values[sensor].Add(value);
            }
        }

        public AnomalyWindow Complete(string line, string machine, IReadOnlyList<Sensor> sensors)
        {
            var traces = new SensorTrace[sensors.Count];
            for (var i = 0; i < traces.Length; i++)
            {
                var times = _times[i].ToArray();
                var values = _values[i].ToArray();

                // Samples come in order of arrival; a sensor's few out of order are put in time order (stable: equal times keep their arrival order).
                if (!IsSorted(times))
                {
                    var order = Enumerable.Range(0, times.Length).OrderBy(k => times[k]).ToArray();
                    times = [.. order.Select(k => _times[i][k])];
                    values = [.. order.Select(k => _values[i][k])];
                }

                traces[i] = new SensorTrace(sensors[i].Id, times, values);
            }

            return new AnomalyWindow(line, machine, alarmId, trigger, from, to, score, threshold, traces);
        }

        private static bool IsSorted(long[] times)
        {
            for (var i = 1; i < times.Length; i++)
            {
                if (times[i] < times[i - 1])
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The newest samples of one sensor, oldest overwritten first.</summary>
    private sealed class Ring(int capacity)
    {
        private readonly uint[] _times = new uint[capacity];
        private readonly double[] _values = new double[capacity];
        private long _newestMs = long.MinValue;
        private int _next;
        private int _count;

        public int Capacity => _times.Length;

        public void Add(long ms, double value)
        {
            _times[_next] = unchecked((uint)ms);
            _values[_next] = value;
            _next = _next + 1 == _times.Length ? 0 : _next + 1;
            if (_count < _times.Length)
            {
                _count++;
            }

            if (ms > _newestMs)
            {
                _newestMs = ms;
            }
        }

        public void CopyTo(int sensor, OpenWindow window)
        {
            var oldest = _next - _count;
            if (oldest < 0)
            {
                oldest += _times.Length;
            }

            for (var k = 0; k < _count; k++)
            {
                var i = (oldest + k) % _times.Length;

                // Within 49 days of the newest (the ring spans seconds), the low 32 bits say how far back a sample is.
                var ms = _newestMs - unchecked((uint)_newestMs - _times[i]);
                window.Add(sensor, ms, _values[i]);
            }
        }
    }
}
