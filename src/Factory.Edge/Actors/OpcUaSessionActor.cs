using Akka.Actor;
using Factory.Edge.Telemetry;
using Factory.OpcUa;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Actors;

/// <summary>
/// The OPC UA session to one endpoint of the line: subscribes to every sensor and status node
/// and forwards values to the machine actors, grouped per machine. The client reconnects on its
/// own once connected; if the first connection fails the actor fails, and its backoff supervisor
/// starts it again, so a server that is down never takes the line down.
/// </summary>
public sealed class OpcUaSessionActor : ReceiveActor
{
    private static readonly DataChangeFilter EverySample = new(DataChangeTrigger.StatusValueTimestamp);

    private readonly string _endpoint;
    private readonly Hosting.OpcUaAccess _access;
    private readonly NodeMap _nodes;
    private readonly IActorRef _line;
    private readonly EdgeTuning _tuning;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private UaClient? _client;
    private UaSubscription? _subscription;

    public OpcUaSessionActor(string endpoint, Hosting.OpcUaAccess access, NodeMap nodes, IActorRef line, EdgeTuning tuning, ILoggerFactory loggerFactory)
    {
        _endpoint = endpoint;
        _access = access;
        _nodes = nodes;
        _line = line;
        _tuning = tuning;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<OpcUaSessionActor>();

        Receive<Connected>(OnConnected);
        Receive<PerformMaintenance>(OnPerformMaintenance);
        Receive<Status.Failure>(failure =>
        {
            // One line per attempt, without a stack trace: a server that is down is news, not a
            // bug. The actor stops; its backoff supervisor starts a new one after the backoff.
            _logger.LogWarning("Connecting to {Endpoint} failed: {Reason}; retrying with a backoff", _endpoint, failure.Cause.Message);
            _line.Tell(new EndpointConnectionChanged(_endpoint, false, $"cannot connect: {failure.Cause.Message}", []));
            Context.Stop(Self);
        });
    }

    public static Props Props(string endpoint, Hosting.OpcUaAccess access, NodeMap nodes, IActorRef line, EdgeTuning tuning, ILoggerFactory loggerFactory) =>
        Akka.Actor.Props.Create(() => new OpcUaSessionActor(endpoint, access, nodes, line, tuning, loggerFactory));

    protected override void PreStart() => ConnectAsync().PipeTo(Self);

    protected override void PostStop()
    {
        _stop.Cancel();
        var client = _client;
        _client = null;
        if (client is not null)
        {
            // Closing politely may take a round trip; the actor does not wait for it.
            _ = Task.Run(async () =>
            {
                try
                {
                    await client.DisposeAsync();
                }
                catch (Exception e) when (e is ServiceResultException or ObjectDisposedException or OperationCanceledException)
                {
                    _logger.LogDebug("Closing the session to {Endpoint} failed: {Reason}", _endpoint, e.Message);
                }
            });
        }

        _stop.Dispose();
    }

    private async Task<Connected> ConnectAsync()
    {
        var client = await UaClient.ConnectAsync(
            new ClientOptions
            {
                EndpointUrl = _endpoint,
                ApplicationName = $"factory edge {_nodes.Line.EdgeNode}",
                ApplicationUri = _access.ApplicationUri,
                Security = _access.Security,
                Identity = _access.Identity,
                SessionName = $"{_nodes.Line.EdgeNode} ({_nodes.Line.Id})",
                KeepAliveInterval = _tuning.KeepAliveInterval,
                ConnectTimeout = _tuning.ConnectTimeout,
            },
            _loggerFactory,
            cancellationToken: _stop.Token);
        try
        {
            var subscription = await client.CreateSubscriptionAsync(
                new SubscriptionOptions { PublishingInterval = _tuning.PublishingInterval, KeepAliveCount = 10, LifetimeCount = 100 },
                _stop.Token);
            var nodes = _nodes.Nodes.ToArray();
            var items = await subscription.AddItemsAsync(
                [.. nodes.Select(n => new MonitoredItemRequest(
                    n.Node,
                    SamplingInterval: 0,
                    QueueSize: _tuning.QueueSize(n.SamplingIntervalMs),
                    // Every sample, even one equal to the last: a machine at rest reports the same
                    // value, and its data is not stale for that.
                    Filter: n.Target.IsStatus ? null : EverySample))],
                _stop.Token);
            var targets = new Dictionary<uint, NodeTarget>();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Status.IsGood)
                {
                    targets[items[i].ClientHandle] = nodes[i].Target;
                }
                else
                {
                    _logger.LogWarning("{Node} on {Endpoint} cannot be monitored: {Status}", items[i].NodeId, _endpoint, items[i].Status);
                }
            }

            return new Connected(client, subscription, targets, [.. items.Where(i => i.Status.IsBad).Select(i => $"{i.NodeId}: {i.Status}")]);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private void OnConnected(Connected connected)
    {
        _client = connected.Client;
        _subscription = connected.Subscription;
        _logger.LogInformation("Line {Line} reads {Count} nodes from {Endpoint}", _nodes.Line.Id, connected.Targets.Count, _endpoint);
        _line.Tell(new EndpointConnectionChanged(_endpoint, true, "subscribed", connected.Unmonitored));
        connected.Client.StateChanged += (_, e) =>
            _line.Tell(new EndpointConnectionChanged(_endpoint, e.State == SessionState.Connected, $"{e.State}: {e.Reason}", []));

        // Reading runs on its own task: values go straight to the machine actors (an actor
        // reference may be told from any thread), so the session actor is never in the sample path.
        var machines = _nodes.Machines.Count;
        var line = _line;
        var token = _stop.Token;
        _ = Task.Run(() => ForwardAsync(connected.Subscription, connected.Targets, machines, line, token), CancellationToken.None);
    }

    private void OnPerformMaintenance(PerformMaintenance request)
    {
        var machine = _nodes.Machines.First(m => m.Id == request.Machine);
        if (_client is not { } client)
        {
            Sender.Tell(new MaintenanceResult(false, $"the session to {_endpoint} is still connecting; the maintenance was not requested"));
            return;
        }

        if (!NodeId.TryParse(machine.MaintenanceNodeId, out var node, out var error))
        {
            Sender.Tell(new MaintenanceResult(false, $"the maintenance node '{machine.MaintenanceNodeId}' of {machine.Id} is not a node id: {error}"));
            return;
        }

        var what = $"writing '{request.Action}' to {machine.MaintenanceNodeId} ({machine.Id}) on {_endpoint}";
        client.WriteValueAsync(node, new Variant(request.Action), _stop.Token).ContinueWith(
            write => write.IsCompletedSuccessfully
                ? write.Result.IsGood
                    ? new MaintenanceResult(true, null)
                    : new MaintenanceResult(false, $"the server refused {what}: {write.Result}")
                : new MaintenanceResult(false, $"{what} failed: {write.Exception?.GetBaseException().Message ?? "cancelled"}"),
            TaskScheduler.Default).PipeTo(Sender);
        _logger.LogInformation("Line {Line}: {What}", _nodes.Line.Id, what);
    }

    private async Task ForwardAsync(UaSubscription subscription, Dictionary<uint, NodeTarget> targets, int machines, IActorRef line, CancellationToken cancellationToken)
    {
        var batches = new List<SensorSample>?[machines];
        try
        {
            await foreach (var message in subscription.ReadAllAsync(cancellationToken))
            {
                switch (message)
                {
                    case DataChangeMessage data:
                        foreach (var change in data.Changes)
                        {
                            if (!targets.TryGetValue(change.Item.ClientHandle, out var target))
                            {
                                continue;
                            }

                            var value = change.Value;
                            var time = value.SourceTimestamp == default ? value.ServerTimestamp : value.SourceTimestamp;
                            if (target.IsStatus)
                            {
                                line.Tell(new MachineStatusReported(target.MachineIndex, ParseState(value), new DateTimeOffset(time, TimeSpan.Zero)));
                                continue;
                            }

                            var number = value.Value.TryGetDouble(out var d) ? d : double.NaN;
                            (batches[target.MachineIndex] ??= []).Add(new SensorSample(target.SensorIndex, number, new DateTimeOffset(time, TimeSpan.Zero), value.StatusCode.IsGood));
                        }

                        for (var m = 0; m < machines; m++)
                        {
                            if (batches[m] is { Count: > 0 } batch)
                            {
                                line.Tell(new MachineSamples(m, [.. batch]));
                                batch.Clear();
                            }
                        }

                        break;
                    case DataGap gap:
                        line.Tell(new TelemetryGap(_endpoint, new DateTimeOffset(gap.From, TimeSpan.Zero), new DateTimeOffset(gap.To, TimeSpan.Zero), gap.Reason));
                        break;
                    case SubscriptionStatusChange status:
                        _logger.LogWarning("The subscription on {Endpoint} changed status: {Status}", _endpoint, status.Status);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The actor stopped.
        }
    }

    private static MachineOperatingState ParseState(DataValue value) =>
        value.StatusCode.IsGood && value.Value.Value is string text && Enum.TryParse<MachineOperatingState>(text, ignoreCase: true, out var state)
            ? state
            : MachineOperatingState.Unknown;

    private sealed record Connected(UaClient Client, UaSubscription Subscription, Dictionary<uint, NodeTarget> Targets, string[] Unmonitored);
}
