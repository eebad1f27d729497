using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Alarms;

/// <summary>
/// One alarm as the cloud last heard of it: its newest event (which carries the ISA-18.2 state
/// and the shelved, suppressed and out-of-service flags after it), the activation it is about,
/// and who acknowledged that activation.
/// </summary>
/// <param name="Last">The event with the highest sequence number of the alarm's line.</param>
/// <param name="Activation">The newest activation, if the cloud has it.</param>
/// <param name="Acknowledgement">The newest acknowledgement after that activation.</param>
public sealed record BoardAlarm(AlarmEvent Last, AlarmEvent? Activation, AlarmEvent? Acknowledgement)
{
    public string AlarmId => Last.AlarmId;

    /// <summary>Annunciated: not normal, and neither shelved, suppressed nor out of service (the line panel's "active" view).</summary>
    public bool Active => Last.State != AlarmStates.Normal && !Last.Shelved && !Last.Suppressed && !Last.OutOfService;

    /// <summary>What a supervisor reads: the activation's message when there is one.</summary>
    public string Message => Activation?.Message ?? Last.Message;

    internal BoardAlarm With(AlarmEvent e)
    {
        var last = e.Sequence > Last.Sequence ? e : Last;
        var activation = e.EventType == AlarmEventTypes.Activated && e.Sequence > (Activation?.Sequence ?? 0) ? e : Activation;
        var acknowledgement = e.EventType == AlarmEventTypes.Acknowledged && e.Sequence > (Acknowledgement?.Sequence ?? 0) ? e : Acknowledgement;
        if (acknowledgement is not null && activation is not null && acknowledgement.Sequence < activation.Sequence)
        {
            acknowledgement = null;
        }

        return new BoardAlarm(last, activation, acknowledgement);
    }
}

/// <summary>
/// The current state of every alarm of every line, for the portal's live alarm list: folded from
/// the alarm events the ingest stores (as they are stored) and, at start, from the store's last
/// <see cref="History"/> of events. The newest event of an alarm (by its line's sequence) wins,
/// so events arriving late or twice change nothing.
/// </summary>
public sealed class AlarmBoard : BackgroundService
{
    /// <summary>How far back the board reads the store at start: an alarm with no event for longer is normal and not on the board.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(30);

    private readonly ITelemetryStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BoardAlarm> _alarms = new(StringComparer.Ordinal);
    private long _version;

    public AlarmBoard(ITelemetryStore store, TimeProvider time, ILogger<AlarmBoard> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Changes whenever an alarm changes: a page re-reads <see cref="Alarms"/> when it differs from what it showed.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Whether the store's history has been read; until then the board holds only what arrived since the start.</summary>
    public bool Loaded { get; private set; }

    /// <summary>Why the history could not be read yet, while it cannot.</summary>
    public string? LoadProblem { get; private set; }

    /// <summary>Every alarm the board knows.</summary>
    public IReadOnlyList<BoardAlarm> Alarms
    {
        get
        {
            lock (_lock)
            {
                return [.. _alarms.Values];
            }
        }
    }

    /// <summary>Takes stored events in, in any order.</summary>
    public void Apply(IReadOnlyList<AlarmEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var e in events)
            {
                _alarms[e.AlarmId] = _alarms.TryGetValue(e.AlarmId, out var known)
                    ? known.With(e)
                    : new BoardAlarm(e, null, null).With(e);
            }
        }

        Interlocked.Increment(ref _version);
    }

    /// <summary>Reads the history, trying again every few seconds while the store cannot be read.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = _time.GetUtcNow();
                var events = await _store.AlarmHistoryAsync(new AlarmHistoryQuery(now - History, now.AddMinutes(10), Limit: 1_000_000), stoppingToken);
                Apply(events);
                (Loaded, LoadProblem) = (true, null);
                Interlocked.Increment(ref _version);
                _logger.LogInformation("Alarm board: {Alarms} alarms from {Events} stored events of the last {Days:0} days", Alarms.Count, events.Count, History.TotalDays);
                return;
            }
            catch (TelemetryStoreException e)
            {
                LoadProblem = e.Message;
                _logger.LogWarning("Alarm board: cannot read the alarm history yet: {Reason}", e.Message);
                await Task.Delay(delay, _time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
