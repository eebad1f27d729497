using System.Threading.Channels;
using Factory.Contracts.Alarms;

namespace Factory.Edge.Panel;

/// <summary>What the line-side panel's live stream carries.</summary>
public abstract record FeedMessage;

/// <summary>The current state of one alarm, after an event changed it.</summary>
public sealed record AlarmChangedMessage(AlarmSnapshot Alarm, AlarmEvent Event) : FeedMessage;

/// <summary>A flood began (<see cref="Since"/> set) or ended (null).</summary>
public sealed record FloodChangedMessage(DateTimeOffset? Since, AlarmFloodEvent Event) : FeedMessage;

/// <summary>The state of the line's machines and connections changed.</summary>
public sealed record LineChangedMessage(LineStatus Line) : FeedMessage;

/// <summary>
/// The edge node's live view of its line, shared by the actors that change it and the panel
/// clients that watch it: the current state (for a client that connects) and a stream of
/// changes (for one that stays). Every method is thread-safe and never blocks a publisher: a
/// client too slow to keep up loses its stream and reconnects for a fresh snapshot.
/// </summary>
public sealed class AlarmFeed
{
    private const int RecentEventLimit = 10_000;
    private const int ClientBacklogLimit = 5_000;

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, AlarmSnapshot> _alarms = [];
    private readonly LinkedList<AlarmEvent> _recentEvents = new();
    private readonly List<Channel<FeedMessage>> _clients = [];
    private DateTimeOffset? _floodSince;
    private LineStatus? _line;

    /// <summary>The alarms as they stand, the flood state and the line status.</summary>
    public (IReadOnlyList<AlarmSnapshot> Alarms, DateTimeOffset? FloodSince, LineStatus? Line) Current()
    {
        lock (_lock)
        {
            return ([.. _alarms.Values], _floodSince, _line);
        }
    }

    /// <summary>Alarm events after <paramref name="sequence"/> still held in memory (the most recent 10,000).</summary>
    public IReadOnlyList<AlarmEvent> EventsAfter(long sequence)
    {
        lock (_lock)
        {
            return [.. _recentEvents.Where(e => e.Sequence > sequence)];
        }
    }

    /// <summary>
    /// A stream of changes from now on. Read the current state after subscribing, so nothing
    /// falls between the two; a change can then arrive twice, which replaces an alarm by itself.
    /// </summary>
    public ChannelReader<FeedMessage> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<FeedMessage>(new BoundedChannelOptions(ClientBacklogLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        lock (_lock)
        {
            _clients.Add(channel);
        }

        cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                _clients.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>Replaces everything known (at start, after the journal was replayed).</summary>
    /// <summary>Completes once the alarm actor has read the journal and set the feed's state for the first time.</summary>
    public Task Loaded => _loaded.Task;

    public void Reset(IEnumerable<AlarmSnapshot> alarms, DateTimeOffset? floodSince, IEnumerable<AlarmEvent> recentEvents)
    {
        ResetState(alarms, floodSince, recentEvents);
        _loaded.TrySetResult();
    }

    private void ResetState(IEnumerable<AlarmSnapshot> alarms, DateTimeOffset? floodSince, IEnumerable<AlarmEvent> recentEvents)
    {
        lock (_lock)
        {
            _alarms.Clear();
            foreach (var alarm in alarms)
            {
                _alarms[alarm.AlarmId] = alarm;
            }

            _floodSince = floodSince;
            _recentEvents.Clear();
            foreach (var e in recentEvents.TakeLast(RecentEventLimit))
            {
                _recentEvents.AddLast(e);
            }
        }
    }

    public void Publish(AlarmSnapshot alarm, AlarmEvent alarmEvent)
    {
        lock (_lock)
        {
            _alarms[alarm.AlarmId] = alarm;
            _recentEvents.AddLast(alarmEvent);
            if (_recentEvents.Count > RecentEventLimit)
            {
                _recentEvents.RemoveFirst();
            }

            Broadcast(new AlarmChangedMessage(alarm, alarmEvent));
        }
    }

    public void Publish(AlarmFloodEvent flood)
    {
        lock (_lock)
        {
            _floodSince = flood.EventType == AlarmFloodEventTypes.Started ? flood.Time : null;
            Broadcast(new FloodChangedMessage(_floodSince, flood));
        }
    }

    public void Publish(LineStatus line)
    {
        lock (_lock)
        {
            _line = line;
            Broadcast(new LineChangedMessage(line));
        }
    }

    private void Broadcast(FeedMessage message)
    {
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            if (!_clients[i].Writer.TryWrite(message))
            {
                // Too slow: end its stream; the browser reconnects and gets a fresh snapshot.
                _clients[i].Writer.TryComplete();
                _clients.RemoveAt(i);
            }
        }
    }
}

/// <summary>What the panel shows about the line besides alarms: machines, data freshness, connections.</summary>
public sealed record LineStatus(
    string LineId,
    string LineName,
    DateTimeOffset Time,
    IReadOnlyList<MachineStatus> Machines,
    IReadOnlyList<EndpointStatus> Endpoints,
    IReadOnlyList<DataGapStatus> Gaps);

/// <param name="State">What its status node reports (running, idle, stopped, failed, maintenance, unknown).</param>
/// <param name="Stale">No current data: a sensor has been silent for longer than allowed.</param>
/// <param name="LastSample">When its newest sample was measured.</param>
/// <param name="AnomalyScore">The last anomaly score, when a model scores this machine.</param>
/// <param name="Model">The model package scoring it (id and version), or why none does.</param>
public sealed record MachineStatus(string MachineId, string Name, string Type, string State, bool Stale, DateTimeOffset? LastSample, double? AnomalyScore, double? Threshold, string? Model);

public sealed record EndpointStatus(string Endpoint, bool Connected, string Reason, DateTimeOffset Since);

/// <summary>An interval in which values may be missing (the OPC UA session was lost and not recovered whole).</summary>
public sealed record DataGapStatus(string Endpoint, DateTimeOffset From, DateTimeOffset To, string Reason);
