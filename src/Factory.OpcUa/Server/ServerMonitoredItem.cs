using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server;

/// <summary>
/// A monitored item on a variable's value (OPC 10000-4, 5.12.1). Values are pushed by the
/// variable as host code sets them; the item applies its data change filter, keeps at most one
/// value per sampling interval (the newest one), and queues what passes for the next publish.
/// </summary>
internal sealed class ServerMonitoredItem : IValueObserver
{
    /// <summary>StatusCode info bits: InfoType DataValue (0x400) with Overflow (0x80) (OPC 10000-4, 7.39).</summary>
    private const uint OverflowBits = 0x0480;

    private readonly Lock _lock = new();
    private readonly LinkedList<DataValue> _queue = new();
    private readonly TimeProvider _clock;
    private DataValue? _lastQueued;
    private DataValue? _pendingSample;
    private DateTime _lastSampleTime;

    public ServerMonitoredItem(
        uint id,
        ServerSubscription subscription,
        VariableNode variable,
        uint clientHandle,
        MonitoringMode mode,
        double samplingInterval,
        uint queueSize,
        bool discardOldest,
        DataChangeFilter filter,
        double? absoluteDeadband,
        TimestampsToReturn timestamps,
        TimeProvider clock)
    {
        Id = id;
        Subscription = subscription;
        Variable = variable;
        ClientHandle = clientHandle;
        Mode = mode;
        SamplingInterval = samplingInterval;
        QueueSize = queueSize;
        DiscardOldest = discardOldest;
        Filter = filter;
        AbsoluteDeadband = absoluteDeadband;
        Timestamps = timestamps;
        _clock = clock;
    }

    public uint Id { get; }
    public ServerSubscription Subscription { get; }
    public VariableNode Variable { get; }
    public uint ClientHandle { get; private set; }
    public MonitoringMode Mode { get; private set; }
    public double SamplingInterval { get; private set; }
    public uint QueueSize { get; private set; }
    public bool DiscardOldest { get; private set; }
    public DataChangeFilter Filter { get; private set; }
    public double? AbsoluteDeadband { get; private set; }
    public TimestampsToReturn Timestamps { get; }

    public bool HasNotifications
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count > 0;
            }
        }
    }

    /// <summary>A variable's new value: filtered, rate-limited to the sampling interval, queued.</summary>
    public void OnValueChanged(VariableNode variable, DataValue value)
    {
        if (Mode == MonitoringMode.Disabled)
        {
            return;
        }

        var now = _clock.GetUtcNow().UtcDateTime;
        bool queued;
        lock (_lock)
        {
            if (!PassesFilter(value))
            {
                return;
            }

            // A variable that changes no faster than the sampling interval reports every change;
            // a faster one keeps the newest value of each interval (10% tolerance for jitter).
            if (SamplingInterval > Variable.MinimumSamplingInterval &&
                (now - _lastSampleTime).TotalMilliseconds < SamplingInterval * 0.9)
            {
                _pendingSample = value;
                return;
            }

            _pendingSample = null;
            _lastSampleTime = now;
            queued = EnqueueLocked(value);
        }

        if (queued)
        {
            Subscription.OnNotificationQueued();
        }
    }

    /// <summary>Queues a value held back by the sampling interval once the interval has passed.</summary>
    /// <returns>True when a value was queued.</returns>
    public bool FlushSample(DateTime now)
    {
        lock (_lock)
        {
            if (_pendingSample is not { } value || (now - _lastSampleTime).TotalMilliseconds < SamplingInterval * 0.9)
            {
                return false;
            }

            _pendingSample = null;
            _lastSampleTime = now;
            return EnqueueLocked(value);
        }
    }

    /// <summary>Queues the variable's current value: the first report of a new item, or after a transfer.</summary>
    public void QueueCurrentValue()
    {
        lock (_lock)
        {
            _lastQueued = null;
            EnqueueLocked(Variable.Value);
        }
    }

    /// <summary>Moves up to <paramref name="max"/> queued values into <paramref name="into"/>; returns how many.</summary>
    public int Drain(List<MonitoredItemNotification> into, int max)
    {
        lock (_lock)
        {
            if (Mode != MonitoringMode.Reporting)
            {
                return 0;
            }

            var count = 0;
            while (count < max && _queue.First is { } first)
            {
                into.Add(new MonitoredItemNotification(ClientHandle, first.Value));
                _queue.RemoveFirst();
                count++;
            }

            return count;
        }
    }

    public void Modify(uint clientHandle, double samplingInterval, uint queueSize, bool discardOldest, DataChangeFilter filter, double? absoluteDeadband)
    {
        lock (_lock)
        {
            ClientHandle = clientHandle;
            SamplingInterval = samplingInterval;
            QueueSize = queueSize;
            DiscardOldest = discardOldest;
            Filter = filter;
            AbsoluteDeadband = absoluteDeadband;
            while (_queue.Count > QueueSize)
            {
                _queue.RemoveFirst();
            }
        }
    }

    public void SetMode(MonitoringMode mode)
    {
        lock (_lock)
        {
            var wasDisabled = Mode == MonitoringMode.Disabled;
            Mode = mode;
            if (mode == MonitoringMode.Disabled)
            {
                _queue.Clear();
                _lastQueued = null;
            }
            else if (wasDisabled)
            {
                EnqueueLocked(Variable.Value);
            }
        }
    }

    private bool EnqueueLocked(DataValue value)
    {
        value = Timestamps switch
        {
            TimestampsToReturn.Source => value with { ServerTimestamp = default, ServerPicoseconds = 0 },
            TimestampsToReturn.Server => value with { SourceTimestamp = default, SourcePicoseconds = 0 },
            TimestampsToReturn.Neither => value with { SourceTimestamp = default, ServerTimestamp = default, SourcePicoseconds = 0, ServerPicoseconds = 0 },
            _ => value,
        };
        _lastQueued = value;

        if (_queue.Count < QueueSize)
        {
            _queue.AddLast(value);
            return true;
        }

        // A full queue drops a value and marks its neighbour with the overflow bit (OPC 10000-4, 5.12.1.5);
        // a queue of one simply holds the newest value.
        if (QueueSize == 1)
        {
            _queue.First!.Value = value;
            return true;
        }

        if (DiscardOldest)
        {
            _queue.RemoveFirst();
            var oldest = _queue.First!;
            oldest.Value = WithOverflow(oldest.Value);
            _queue.AddLast(value);
        }
        else
        {
            _queue.Last!.Value = WithOverflow(value);
        }

        return true;
    }

    private static DataValue WithOverflow(DataValue value) => value with { StatusCode = new StatusCode(value.StatusCode.Code | OverflowBits) };

    private bool PassesFilter(DataValue value)
    {
        if (_lastQueued is not { } last)
        {
            return true;
        }

        if (value.StatusCode != last.StatusCode && (value.StatusCode.Code & ~0x3FFu) != (last.StatusCode.Code & ~0x3FFu))
        {
            return true;
        }

        switch (Filter.Trigger)
        {
            case DataChangeTrigger.Status:
                return false;
            case DataChangeTrigger.StatusValueTimestamp when value.SourceTimestamp != last.SourceTimestamp:
                return true;
        }

        if (AbsoluteDeadband is { } deadband && deadband > 0)
        {
            return ExceedsDeadband(value.Value, last.Value, deadband);
        }

        return !value.Value.Equals(last.Value);
    }

    /// <summary>True when a numeric value (or any element of an array) moved more than the deadband (OPC 10000-4, 7.22.2).</summary>
    private static bool ExceedsDeadband(Variant current, Variant previous, double deadband)
    {
        if (current.TryGetDouble(out var a) && previous.TryGetDouble(out var b))
        {
            return Math.Abs(a - b) > deadband;
        }

        if (current.ArrayValue is { } currentArray && previous.ArrayValue is { } previousArray)
        {
            if (currentArray.Length != previousArray.Length || current.Type != previous.Type)
            {
                return true;
            }

            for (var i = 0; i < currentArray.Length; i++)
            {
                var x = Convert.ToDouble(currentArray.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                var y = Convert.ToDouble(previousArray.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                if (Math.Abs(x - y) > deadband)
                {
                    return true;
                }
            }

            return false;
        }

        return !current.Equals(previous);
    }
}
