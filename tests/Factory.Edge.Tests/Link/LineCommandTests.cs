using Factory.Cloud.Alarms;
using Factory.Cloud.Commands;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Planning;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Edge.Tests.Node.Support;
using Factory.Link;
using Factory.Plant.Model;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Link;

/// <summary>
/// What the portal asks of a line, end to end: a real cloud node (embedded broker, store, alarm
/// board) sends commands over MQTT to a real edge node reading the simulator over OPC UA.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class LineCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly EdgeHarness _edge = new(output);
    private readonly TemporaryDirectory _cloudData = new();
    private readonly ILoggerFactory _logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new EdgeHarness.OutputLoggerProvider(output)));
    private readonly int _brokerPort = EdgeHarness.FreePort();
    private WebApplication? _cloud;

    private static string Hh(string machine) => $"{EdgeTestPlant.LineId}/{machine}/vibration-rms/hh";

    private LineCommandSender Commands => _cloud!.Services.GetRequiredService<LineCommandSender>();

    private AlarmBoard Board => _cloud!.Services.GetRequiredService<AlarmBoard>();

    public async Task InitializeAsync()
    {
        _cloud = CloudNode.Build(
            new CloudOptions
            {
                DataDirectory = _cloudData.Path,
                Store = logs => new EmbeddedTelemetryStore(_cloudData.Path, logs.CreateLogger<EmbeddedTelemetryStore>()),
                StoreDescription = "embedded",
                EmbeddedBrokerPort = _brokerPort,
                HttpPort = 0,
            },
            _logs);
        await _cloud.StartAsync();
        _edge.Cloud = new Factory.Edge.Link.CloudLinkOptions { Broker = new BrokerAddress("127.0.0.1", _brokerPort), AcknowledgementTimeout = TimeSpan.FromSeconds(3) };
        await _edge.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        if (_cloud is { } cloud)
        {
            await cloud.StopAsync();
            await cloud.DisposeAsync();
        }

        _cloudData.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task An_alarm_acknowledged_and_shelved_from_the_cloud_is_recorded_at_the_line_with_the_user_and_comes_back_to_the_board()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "reading");
        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(15));
        await _edge.WaitForAlarmAsync(Hh("pump-1"), a => a.State == AlarmStates.Unacknowledged, TimeSpan.FromSeconds(30), "the fault raises it");
        await WaitForBoardAsync(Hh("pump-1"), a => a.Last.State == AlarmStates.Unacknowledged, "the activation reaches the cloud");

        var ack = await Commands.SendAsync(Command(LineCommandActions.Acknowledge, Hh("pump-1"), "sam", "crew called"), default);
        ack.Should().Match<LineCommandResult>(r => r.Accepted && r.Refusal == null && r.Line == EdgeTestPlant.LineId);
        var atLine = await _edge.Panel.GetFromJsonAsync<Details>($"/api/alarms/details/{Hh("pump-1")}", EdgeHarness.Json);
        atLine!.History.Should().ContainSingle(e => e.EventType == AlarmEventTypes.Acknowledged)
            .Which.Should().Match<AlarmEvent>(e => e.User == "sam" && e.Comment == "crew called");
        var onBoard = await WaitForBoardAsync(Hh("pump-1"), a => a.Acknowledgement is not null, "the acknowledgement comes back through ingest");
        onBoard.Acknowledgement!.User.Should().Be("sam");

        // The line's refusal is passed on as the alarm book words it.
        var again = await Commands.SendAsync(Command(LineCommandActions.Acknowledge, Hh("pump-1"), "sam", null), default);
        again.Accepted.Should().BeFalse();
        again.Refusal.Should().Contain(Hh("pump-1"));

        var shelve = await Commands.SendAsync(Command(LineCommandActions.Shelve, Hh("pump-2"), "sam", "sensor cable loose") with { Minutes = 30 }, default);
        shelve.Accepted.Should().BeTrue(shelve.Refusal);
        (await _edge.AlarmsAsync("shelved")).Single(a => a.AlarmId == Hh("pump-2")).ShelvedBy.Should().Be("sam");
        await WaitForBoardAsync(Hh("pump-2"), a => a.Last.Shelved, "the shelve comes back through ingest");

        (await Commands.SendAsync(Command(LineCommandActions.Shelve, Hh("pump-2"), "sam", null), default)).Refusal.Should().Contain("minutes must be a positive number");
        (await Commands.SendAsync(Command("explode", Hh("pump-2"), "sam", null), default)).Refusal.Should().Contain("'explode' is not an action");
    }

    [Fact]
    public async Task Maintenance_from_the_cloud_is_written_to_the_machine_and_a_wrong_action_or_machine_is_refused_with_the_reason()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "reading");

        var done = await Commands.SendAsync(Maintain("pump-1", "replace-bearing"), default);
        done.Accepted.Should().BeTrue(done.Refusal);
        _edge.Line.Line.Machines.Single(m => m.MachineId == "pump-1").State.Should().Be(Factory.Simulator.Physics.OperatingState.Maintenance);

        var wrongAction = await Commands.SendAsync(Maintain("pump-2", "polish-chrome"), default);
        wrongAction.Accepted.Should().BeFalse();
        wrongAction.Refusal.Should().Contain("the server refused writing 'polish-chrome'").And.Contain("BadInvalidArgument");

        var wrongMachine = await Commands.SendAsync(Maintain("pump-9", "replace-bearing"), default);
        wrongMachine.Refusal.Should().Contain("there is no machine 'pump-9'");
    }

    [Fact]
    public async Task A_work_order_done_in_planning_performs_its_maintenance_on_the_simulated_machine_and_the_store_sees_the_downtime()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "reading");
        var plant = _edge.Plant with
        {
            MachineTypes = [.. _edge.Plant.MachineTypes.Select(t => t.Id != "centrifugal-pump" ? t : t with { MaintenanceTasks = [new MaintenanceTask("replace-bearing", "Replace the bearings", 4, "mechanical", ["bearing set"])] })],
            Crews = [new Crew("mech", "Mechanics", ["mechanical"])],
        };
        using var planner = new MaintenancePlanner(Path.Combine(_cloudData.Path, "planning"), plant, _cloud!.Services.GetRequiredService<RulForecaster>(), Commands, TimeProvider.System);

        // The test line has no shifts: it is never planned against.
        var order = await planner.CreateAsync(EdgeTestPlant.LineId, "pump-1", "replace-bearing", null, "asked by the line", "pat", default);
        await planner.ScheduleAsync(order.Id, "mech", DateTimeOffset.UtcNow, "pat", default);
        var done = await planner.CompleteAsync(order.Id, "pat", default);

        done.Should().Match<WorkOrder>(w => w.State == WorkOrderStates.Done && w.DoneBy == "pat");
        _edge.Line.Line.Machines.Single(m => m.MachineId == "pump-1").State.Should().Be(Factory.Simulator.Physics.OperatingState.Maintenance);
        (await planner.AuditAsync(1, default)).Single().Detail.Should().Be("line-1/pump-1: 'replace-bearing' performed on the machine");

        // The edge reports the state with the machine's health: the store knows the downtime, so the pump's next RUL run starts after it.
        var store = _cloud.Services.GetRequiredService<ITelemetryStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        DateTimeOffset? downtime = null;
        while (downtime is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            downtime = await store.LastDowntimeAsync(EdgeTestPlant.LineId, "pump-1", DateTimeOffset.UtcNow.AddMinutes(1), default);
        }

        downtime.Should().NotBeNull("the pump's maintenance reaches the store as its state");
    }

    [Fact]
    public async Task Garbage_and_expired_commands_change_nothing_and_the_link_keeps_working()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "reading");
        await PublishAsync(LinkTopics.Commands(EdgeTestPlant.LineId), "{not json"u8.ToArray());
        await PublishAsync(LinkTopics.Commands(EdgeTestPlant.LineId), []);
        await PublishAsync(LinkTopics.Commands(EdgeTestPlant.LineId), "{\"requestId\":\"x\",\"line\":\"line-t\",\"action\":\"acknowledge\",\"user\":\"eve\",\"expiresAt\":\"2020-01-01T00:00:00Z\",\"alarmId\":\"a\"}"u8.ToArray());

        // A command that waited in the broker past its deadline (an edge that was away) is refused, not acted on.
        var expired = new LineCommandSender(new MqttLinkOptions { Broker = new BrokerAddress("127.0.0.1", _brokerPort), ClientId = "test-expired" }, new ShiftedTime(TimeSpan.FromMinutes(-5)), _logs) { Timeout = TimeSpan.FromSeconds(10) };
        using var stop = new CancellationTokenSource();
        await expired.StartAsync(stop.Token);
        await Task.Delay(500);
        var late = await expired.SendAsync(Command(LineCommandActions.Shelve, Hh("pump-1"), "eve", null) with { Minutes = 10 }, default);
        late.Refusal.Should().Contain("expired");
        (await _edge.AlarmsAsync("shelved")).Should().BeEmpty();
        await expired.StopAsync(default);

        var shelve = await Commands.SendAsync(Command(LineCommandActions.Shelve, Hh("pump-1"), "sam", null) with { Minutes = 10 }, default);
        shelve.Accepted.Should().BeTrue(shelve.Refusal);
    }

    private sealed record Details(AlarmSnapshot Alarm, IReadOnlyList<AlarmEvent> History);

    private static LineCommand Command(string action, string alarmId, string user, string? comment) =>
        new("", EdgeTestPlant.LineId, action, alarmId, null, user, comment, null, null, default);

    private static LineCommand Maintain(string machine, string action) =>
        new("", EdgeTestPlant.LineId, LineCommandActions.Maintain, null, machine, "mo", null, null, action, default);

    private async Task<BoardAlarm> WaitForBoardAsync(string alarmId, Func<BoardAlarm, bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Board.Alarms.FirstOrDefault(a => a.AlarmId == alarmId) is { } alarm && condition(alarm))
            {
                return alarm;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{alarmId} on the cloud's alarm board: {because}; it is {Board.Alarms.FirstOrDefault(a => a.AlarmId == alarmId)?.Last.ToString() ?? "not there"}");
    }

    private async Task PublishAsync(string topic, byte[] payload)
    {
        await using var link = new MqttLink(new MqttLinkOptions { Broker = new BrokerAddress("127.0.0.1", _brokerPort), ClientId = "test-" + Guid.NewGuid().ToString("N") }, _logs.CreateLogger("test"));
        using var stop = new CancellationTokenSource();
        var run = link.RunAsync(stop.Token);
        await link.WhenConnectedAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        await link.PublishAsync(topic, payload, retain: false, default);
        await stop.CancelAsync();
        await run;
    }

    /// <summary>A clock behind by a fixed amount: the commands it stamps are already expired.</summary>
    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
