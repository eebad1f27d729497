using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server.AddressSpace;

/// <summary>Something that wants every new value of a variable: a monitored item.</summary>
internal interface IValueObserver
{
    void OnValueChanged(VariableNode variable, DataValue value);
}

/// <summary>
/// Decides a client's write to a variable's value: return Good to accept it (the new value is
/// then stored and reported), or a Bad status the client receives.
/// </summary>
public delegate StatusCode WriteHandler(VariableNode variable, DataValue value);

/// <summary>
/// A Variable node (OPC 10000-3, 5.6) whose value host code sets with <see cref="SetValue(DataValue)"/>;
/// every monitored item on it hears about each new value at once.
/// </summary>
public sealed class VariableNode : Node
{
    private readonly Lock _valueLock = new();
    private DataValue _value;
    private IValueObserver[] _observers = [];

    public VariableNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, NodeId dataType, int valueRank, DataValue value)
        : base(nodeId, NodeClass.Variable, browseName, displayName)
    {
        DataType = dataType;
        ValueRank = valueRank;
        _value = value;
    }

    public NodeId DataType { get; }
    public int ValueRank { get; }
    public uint[]? ArrayDimensions { get; init; }
    public AccessLevels AccessLevel { get; init; } = AccessLevels.CurrentRead;

    /// <summary>How fast the value can change, in milliseconds; 0 when it changes on events.</summary>
    public double MinimumSamplingInterval { get; init; }

    public bool Historizing { get; init; }

    /// <summary>Vetoes or accepts client writes; without one, a writable variable accepts every value of its type.</summary>
    public WriteHandler? OnWrite { get; init; }

    /// <summary>The clock of the address space this node belongs to.</summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;

    public DataValue Value
    {
        get
        {
            lock (_valueLock)
            {
                return _value;
            }
        }
    }

    /// <summary>Sets the value with the current time as source and server timestamp.</summary>
    public void SetValue(Variant value, StatusCode status = default)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        SetValue(new DataValue(value, status, now, now));
    }

    /// <summary>
    /// Sets the value (and its status and timestamps) and reports it to every monitored item.
    /// A value without a server timestamp gets the current time.
    /// </summary>
    public void SetValue(DataValue value)
    {
        if (value.ServerTimestamp == default)
        {
            value = value with { ServerTimestamp = Clock.GetUtcNow().UtcDateTime };
        }

        lock (_valueLock)
        {
            _value = value;
        }

        foreach (var observer in Volatile.Read(ref _observers))
        {
            observer.OnValueChanged(this, value);
        }
    }

    internal void AddObserver(IValueObserver observer)
    {
        while (true)
        {
            var current = Volatile.Read(ref _observers);
            if (Interlocked.CompareExchange(ref _observers, [.. current, observer], current) == current)
            {
                return;
            }
        }
    }

    internal void RemoveObserver(IValueObserver observer)
    {
        while (true)
        {
            var current = Volatile.Read(ref _observers);
            var index = Array.IndexOf(current, observer);
            if (index < 0)
            {
                return;
            }

            IValueObserver[] next = [.. current[..index], .. current[(index + 1)..]];
            if (Interlocked.CompareExchange(ref _observers, next, current) == current)
            {
                return;
            }
        }
    }
}
