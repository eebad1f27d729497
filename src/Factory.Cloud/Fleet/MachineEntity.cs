using Akka.Actor;
using Akka.Cluster;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Fleet;

/// <summary>
/// One machine's state in the cluster (an Akka.Cluster.Sharding entity keyed by <c>line/machine</c>):
/// its newest health, the model in service, its active alarms and its RUL outlook. It lives on one
/// node at a time; when it starts (first use, or after its node left or died) it reads the stores
/// before it answers, and messages that arrive meanwhile wait, so nothing observed is lost to the
/// rebuild. Ingest on any node tells it what was stored; any node asks it.
/// </summary>
public sealed class MachineEntity : ReceiveActor, IWithStash
{
    /// <summary>How far back active alarms are looked for when rebuilding (as the alarm board does).</summary>
    public static readonly TimeSpan AlarmHistory = TimeSpan.FromDays(30);

    private static readonly TimeSpan RulCacheFor = TimeSpan.FromMinutes(1);

    private readonly string _line;
    private readonly string _machine;
    private readonly ITelemetryStore _store;
    private readonly RulForecaster _forecaster;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, AlarmEvent> _alarms = new(StringComparer.Ordinal);
    private MachineHealth? _health;
    private RulOutlook? _rul;
    private DateTimeOffset _rulAt;
    private DateTimeOffset _rebuiltAt;
    private long _observations;
    private string? _problem;

    public MachineEntity(string entityId, ITelemetryStore store, RulForecaster forecaster, TimeProvider time, ILogger logger)
    {
        var slash = entityId.IndexOf('/', StringComparison.Ordinal);
        _line = slash > 0 ? entityId[..slash] : entityId;
        _machine = slash > 0 ? entityId[(slash + 1)..] : "";
        _store = store;
        _forecaster = forecaster;
        _time = time;
        _logger = logger;
        Rebuilding();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(string entityId, ITelemetryStore store, RulForecaster forecaster, TimeProvider time, ILogger logger) =>
        Akka.Actor.Props.Create(() => new MachineEntity(entityId, store, forecaster, time, logger));

    protected override void PreStart() => RebuildAsync().PipeTo(Self);

    private void Rebuilding()
    {
        Receive<Rebuilt>(rebuilt =>
        {
            _rebuiltAt = _time.GetUtcNow();
            _problem = rebuilt.Problem;
            if (rebuilt.Health is not null)
            {
                ApplyHealth(rebuilt.Health);
            }

            ApplyAlarms(rebuilt.Alarms);
            _logger.LogDebug("Machine {Line}/{Machine} rebuilt from the stores on {Node}", _line, _machine, Node);
            Stash.UnstashAll();
            Become(Ready);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Ready()
    {
        Receive<ObserveMachine>(observe =>
        {
            _observations++;
            if (observe.Health is not null)
            {
                ApplyHealth(observe.Health);
            }

            ApplyAlarms(observe.Alarms);
        });
        Receive<GetMachineState>(_ =>
        {
            var now = _time.GetUtcNow();
            if (_rul is not null && now - _rulAt < RulCacheFor)
            {
                Sender.Tell(State());
                return;
            }

            var replyTo = Sender;
            _forecaster.ForecastAsync(_line, _machine, null, CancellationToken.None).PipeTo(
                Self,
                success: outlook => new RulReady(outlook, replyTo),
                failure: e => new RulReady(new RulOutlook(_line, _machine, null, null, $"the forecast failed: {e.Message}"), replyTo));
        });
        Receive<RulReady>(ready =>
        {
            _rul = ready.Outlook;
            _rulAt = _time.GetUtcNow();
            ready.ReplyTo.Tell(State());
        });
    }

    private MachineState State() => new(
        _line,
        _machine,
        _health,
        _health?.Model,
        [.. _alarms.Values.Where(a => a.State != AlarmStates.Normal).OrderBy(a => a.AlarmId, StringComparer.Ordinal)],
        _rul,
        Node,
        _rebuiltAt,
        _observations,
        _problem);

    private static string Node => Cluster.Get(Context.System).SelfAddress.ToString();

    private void ApplyHealth(MachineHealth health)
    {
        if (_health is null || health.Start >= _health.Start)
        {
            _health = health;
        }
    }

    /// <summary>Keeps the newest event of each alarm (by the edge's sequence, then time).</summary>
    private void ApplyAlarms(IEnumerable<AlarmEvent> events)
    {
        foreach (var e in events)
        {
            if (!_alarms.TryGetValue(e.AlarmId, out var known) || e.Sequence > known.Sequence || (e.Sequence == known.Sequence && e.Time > known.Time))
            {
                _alarms[e.AlarmId] = e;
            }
        }
    }

    private async Task<Rebuilt> RebuildAsync()
    {
        var now = _time.GetUtcNow();
        try
        {
            var latest = await _store.LatestAsync(_line, CancellationToken.None).ConfigureAwait(false);
            var health = latest.FirstOrDefault(m => m.Machine == _machine)?.Health;
            var alarms = await _store.AlarmHistoryAsync(new AlarmHistoryQuery(now - AlarmHistory, now.AddMinutes(1), _line, _machine, 10_000), CancellationToken.None).ConfigureAwait(false);
            return new Rebuilt(health, alarms, null);
        }
        catch (TelemetryStoreException e)
        {
            _logger.LogWarning("Machine {Line}/{Machine}: the stores could not be read to rebuild its state: {Reason}", _line, _machine, e.Message);
            return new Rebuilt(null, [], $"the telemetry store could not be read when this state was rebuilt: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the entity answers with what comes next rather than not at all.
            _logger.LogWarning(e, "Machine {Line}/{Machine}: rebuilding its state failed", _line, _machine);
            return new Rebuilt(null, [], $"the state could not be rebuilt from the stores: {e.Message}");
        }
    }

    private sealed record Rebuilt(MachineHealth? Health, IReadOnlyList<AlarmEvent> Alarms, string? Problem);

    private sealed record RulReady(RulOutlook Outlook, IActorRef ReplyTo);
}
