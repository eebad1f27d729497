using Factory.Cloud.Commands;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Models;
using Factory.Cloud.Planning;
using Factory.Cloud.Storage;
using Factory.Link;
using Factory.Plant.Config;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Planning;

/// <summary>
/// Work orders on the sample plant's crews and shifts (Europe/Berlin; in November UTC+1): the
/// downtime windows, and every conflict a booking is refused for, by hand.
/// </summary>
public sealed class MaintenancePlannerTests : IDisposable
{
    // Monday 30 November 2026, 00:00 UTC (01:00 in Berlin).
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private readonly string _data = Directory.CreateTempSubdirectory("factory-planning-").FullName;
    private readonly EmbeddedTelemetryStore _store;
    private readonly ModelRegistry _registry;
    private readonly LineCommandSender _commands;
    private readonly MaintenancePlanner _planner;

    public MaintenancePlannerTests()
    {
        var plant = PlantConfigLoader.Load(SamplePlant());
        _store = new EmbeddedTelemetryStore(_data, NullLogger.Instance);
        _registry = ModelRegistry.Open(_data, new StoredAlarmRates(_store));
        var forecaster = new RulForecaster(_registry, _store, plant, TimeProvider.System, NullLogger<RulForecaster>.Instance);

        // Never started: a completion finds no broker and is refused, which is what one test needs.
        _commands = new LineCommandSender(new MqttLinkOptions { Broker = new BrokerAddress("127.0.0.1", 9), ClientId = "test" }, TimeProvider.System, NullLoggerFactory.Instance);
        _planner = new MaintenancePlanner(_data, plant, forecaster, _commands, TimeProvider.System);
    }

    public void Dispose()
    {
        _planner.Dispose();
        _commands.Dispose();
        _registry.Dispose();
        _store.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public void Downtime_is_the_time_between_a_lines_shifts_in_the_sites_time_zone()
    {
        // line-2: early 06-14 and late 14-22 local on weekdays, so 05:00-21:00 UTC produces.
        _planner.DowntimeOf("line-2", Monday, Monday.AddHours(36)).Should().Equal(
            new TimeRange(Monday, Monday.AddHours(5)),
            new TimeRange(Monday.AddHours(21), Monday.AddHours(29)));

        // line-1 runs three shifts round the clock on weekdays (the night shift of Friday ends Saturday 06:00): its downtime is 06:00 Saturday to 06:00 Monday local.
        var friday = Monday.AddDays(-3);
        _planner.DowntimeOf("line-1", friday, friday.AddDays(4)).Should().Equal(new TimeRange(friday.AddHours(29), Monday.AddHours(5)));
    }

    [Fact]
    public async Task A_booking_is_refused_for_a_crew_without_the_skill_during_a_shift_over_another_booking_and_after_the_due_time()
    {
        var due = Monday.AddDays(2).AddHours(12);
        var first = await _planner.CreateAsync("line-2", "press-01", "replace-seals", due, "RUL 40 h", "pat", default);
        first.Should().Match<WorkOrder>(w => w.State == WorkOrderStates.Planned && w.Hours == 6 && w.Skill == "hydraulic" && w.Parts.SequenceEqual(new[] { "seal kit" }));

        await Refused(() => _planner.ScheduleAsync(first.Id, "mech-a", Monday.AddHours(22), "pat", default), "Mechanical crew A has no hydraulic skill (its skills: mechanical), which Replace cylinder and valve seals needs");
        await Refused(() => _planner.ScheduleAsync(first.Id, "mech-b", Monday.AddHours(10), "pat", default), "2026-11-30 10:00–16:00 UTC is not planned downtime: line line-2 produces in shift 'early' 2026-11-30 05:00–13:00 UTC; maintenance on press-01 must fit between its shifts");
        await Refused(() => _planner.ScheduleAsync(first.Id, "mech-b", Monday.AddHours(18), "pat", default), "2026-11-30 18:00–2026-12-01 00:00 UTC is not planned downtime: line line-2 produces in shift 'late' 2026-11-30 13:00–21:00 UTC; maintenance on press-01 must fit between its shifts");
        await Refused(() => _planner.ScheduleAsync(first.Id, "nobody", Monday.AddHours(22), "pat", default), "there is no crew 'nobody'; the crews are mech-a, mech-b, elec");

        var booked = await _planner.ScheduleAsync(first.Id, "mech-b", Monday.AddHours(22), "pat", default);
        booked.Should().Match<WorkOrder>(w => w.State == WorkOrderStates.Scheduled && w.Crew == "mech-b" && w.End == Monday.AddHours(28));

        var second = await _planner.CreateAsync("line-2", "press-02", "replace-seals", Monday.AddDays(1).AddHours(23), "RUL 30 h", "pat", default);
        await Refused(() => _planner.ScheduleAsync(second.Id, "mech-b", Monday.AddHours(23), "pat", default), $"Mechanical crew B is booked 2026-11-30 22:00–2026-12-01 04:00 UTC on work order #{first.Id} (line-2/press-01, Replace cylinder and valve seals)");
        await Refused(() => _planner.ScheduleAsync(second.Id, "mech-b", Monday.AddHours(45), "pat", default), "2026-12-01 21:00–2026-12-02 03:00 UTC ends after the work order is due, 2026-12-01 23:00 UTC (the earliest predicted failure of press-02)");

        // Moving the first to the next night frees its crew for the second.
        (await _planner.ScheduleAsync(first.Id, "mech-b", Monday.AddHours(45), "pat", default)).Start.Should().Be(Monday.AddHours(45));
        (await _planner.ScheduleAsync(second.Id, "mech-b", Monday.AddHours(22), "pat", default)).State.Should().Be(WorkOrderStates.Scheduled);

        var audit = await _planner.AuditAsync(10, default);
        audit.Select(a => a.Action).Should().Equal("schedule", "schedule", "create", "schedule", "create");
        audit[1].Detail.Should().Be("moved to mech-b 2026-12-01 21:00–2026-12-02 03:00 UTC");
        audit.Should().AllSatisfy(a => a.Actor.Should().Be("pat"));
    }

    [Fact]
    public async Task Wrong_tasks_second_open_orders_cancellations_without_reason_and_a_completion_the_line_does_not_take_are_refused()
    {
        await Refused(() => _planner.CreateAsync("line-2", "press-01", "polish-chrome", null, "", "pat", default), "'polish-chrome' is not a maintenance task of hydraulic-press; its tasks are replace-seals, replace-bearing, rewind-motor");
        await Refused(() => _planner.CreateAsync("line-9", "press-01", "replace-seals", null, "", "pat", default), "line-9/press-01 is not in");
        var order = await _planner.CreateAsync("line-2", "press-01", "replace-bearing", null, "asked by the supervisor", "pat", default);
        await Refused(() => _planner.CreateAsync("line-2", "press-01", "replace-seals", null, "", "pat", default), $"line-2/press-01 already has open work order #{order.Id} (Replace the pump-unit bearings, planned)");
        await Refused(() => _planner.CancelAsync(order.Id, " ", "pat", default), "say why the work order is cancelled");
        await Refused(() => _planner.StartAsync(order.Id, "pat", default), $"work order #{order.Id} is planned: only a scheduled work order starts");

        await _planner.ScheduleAsync(order.Id, "mech-a", Monday.AddHours(22), "pat", default);
        await _planner.StartAsync(order.Id, "pat", default);
        await Refused(() => _planner.CompleteAsync(order.Id, "pat", default), "line-2/press-01 did not take 'replace-bearing': the cloud is not connected to the MQTT broker");
        (await _planner.WorkOrdersAsync(default)).Single().State.Should().Be(WorkOrderStates.InProgress, "nothing was done to the machine");

        (await _planner.CancelAsync(order.Id, "press replaced instead", "pat", default)).Should().Match<WorkOrder>(w => w.State == WorkOrderStates.Cancelled && w.Note == "press replaced instead");
        await Refused(() => _planner.CancelAsync(order.Id, "again", "pat", default), $"work order #{order.Id} is already cancelled");
    }

    private static async Task Refused(Func<Task> act, string message) =>
        (await act.Should().ThrowAsync<PlanningException>()).Which.Message.Should().StartWith(message);

    internal static string SamplePlant()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "plant-config", "sample-plant.yaml");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("plant-config/sample-plant.yaml was not found above the test folder.");
    }
}
