using System.Net;
using System.Net.Http.Json;
using System.Text;
using Factory.Contracts.Alarms;
using Factory.Edge.Tests.Node.Support;
using Factory.Plant.Model;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Node;

/// <summary>
/// The ISA-18.2 lifecycle of alarms raised by the simulated plant, driven by a supervisor through
/// the panel's JSON API: every state and transition, acknowledgement with who and a comment,
/// shelving, out of service, comments, suppression by design, and refusals that say why.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class AlarmLifecycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const double LowFlow = 12;

    // The pumps also watch for low flow: a pump that stops delivers none, which is no news while it is in maintenance.
    private readonly EdgeHarness _edge = new(output, m => m.Type != "centrifugal-pump" ? m : m with
    {
        Sensors = [.. m.Sensors.Select(s => s.Id != "flow" ? s : s with { Limits = new LimitAlarms(null, null, new LimitLevel(LowFlow, null), null, 1, 0, 0) })],
    });

    private static string Hh(string machine) => $"{EdgeTestPlant.LineId}/{machine}/vibration-rms/hh";

    public Task InitializeAsync() => _edge.StartAsync();

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task Active_alarms_go_through_acknowledged_and_returned_unacknowledged_back_to_normal()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "reading");
        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(12));
        _edge.Line.InjectFault("pump-2", "bearing-wear", TimeSpan.FromSeconds(8));

        await _edge.WaitForAlarmAsync(Hh("pump-1"), a => a.State == AlarmStates.Unacknowledged, TimeSpan.FromSeconds(20), "the fault raises it");
        await _edge.WaitForAlarmAsync(Hh("pump-2"), a => a.State == AlarmStates.Unacknowledged, TimeSpan.FromSeconds(20), "the fault raises it");

        // pump-1: acknowledged while active, then it returns to normal by itself (the pump fails and stops).
        var ack = await _edge.ActAsync("acknowledge", new { alarmId = Hh("pump-1"), user = "anna", comment = "crew on its way" });
        ack.StatusCode.Should().Be(HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
        var acked = (await _edge.AlarmsAsync("all")).Single(a => a.AlarmId == Hh("pump-1"));
        if (acked.ConditionActive)
        {
            // The usual case. On a loaded machine the pump may already have failed and stopped,
            // and the alarm be back to normal: the history below shows the same sequence then.
            acked.State.Should().Be(AlarmStates.Acknowledged);
            acked.AcknowledgedBy.Should().Be("anna");
            acked.AcknowledgeComment.Should().Be("crew on its way");
        }

        await _edge.WaitForAlarmAsync(Hh("pump-1"), a => a.State == AlarmStates.Normal, TimeSpan.FromSeconds(20), "acknowledged and cleared is normal");

        // pump-2: nobody acknowledged it before it cleared: it waits, returned but unacknowledged.
        await _edge.WaitForAlarmAsync(Hh("pump-2"), a => a.State == AlarmStates.ReturnedUnacknowledged && !a.ConditionActive, TimeSpan.FromSeconds(20), "cleared before anyone acknowledged it");
        (await _edge.ActAsync("acknowledge", new { alarmId = Hh("pump-2"), user = "ben" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _edge.AlarmsAsync("all")).Single(a => a.AlarmId == Hh("pump-2")).State.Should().Be(AlarmStates.Normal);

        var details = await _edge.Panel.GetFromJsonAsync<Details>($"/api/alarms/details/{Hh("pump-1")}", EdgeHarness.Json);
        details!.History.Select(e => e.EventType).Should().ContainInConsecutiveOrder(AlarmEventTypes.Activated, AlarmEventTypes.Acknowledged, AlarmEventTypes.Cleared);
        details.History.First(e => e.EventType == AlarmEventTypes.Acknowledged).User.Should().Be("anna");
        details.History.First(e => e.EventType == AlarmEventTypes.Acknowledged).Comment.Should().Be("crew on its way");
        details.History.First(e => e.EventType == AlarmEventTypes.Activated).Value.Should().BeGreaterThan(EdgeTestPlant.VibrationHighHigh);

        // A second acknowledgement is refused, and says why.
        var again = await _edge.ActAsync("acknowledge", new { alarmId = Hh("pump-2"), user = "ben" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).Should().Contain(Hh("pump-2"));
    }

    [Fact]
    public async Task Shelving_out_of_service_and_comments_are_recorded_with_who_and_why()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(15), "reading");
        var id = Hh("pump-1");

        (await _edge.ActAsync("shelve", new { alarmId = id, user = "anna", minutes = 30, comment = "sensor cable loose" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var shelved = (await _edge.AlarmsAsync("shelved")).Single(a => a.AlarmId == id);
        shelved.ShelvedBy.Should().Be("anna");
        shelved.ShelvedUntil.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(30), TimeSpan.FromMinutes(1));

        // A shelved alarm that activates is not annunciated, and the panel's active list does not show it.
        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(6));
        await _edge.WaitForAlarmAsync(id, a => a.ConditionActive, TimeSpan.FromSeconds(20), "the condition is tracked while shelved");
        (await _edge.AlarmsAsync()).Should().NotContain(a => a.AlarmId == id);

        (await _edge.ActAsync("unshelve", new { alarmId = id, user = "anna" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _edge.AlarmsAsync("shelved")).Should().NotContain(a => a.AlarmId == id);

        (await _edge.ActAsync("comment", new { alarmId = id, user = "carl", comment = "bearing ordered" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var noReason = await _edge.ActAsync("remove-from-service", new { alarmId = id, user = "carl" });
        noReason.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadAsStringAsync()).Should().Contain("comment is required");
        (await _edge.ActAsync("remove-from-service", new { alarmId = id, user = "carl", comment = "sensor replaced this shift" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _edge.AlarmsAsync("out-of-service")).Single(a => a.AlarmId == id).OutOfServiceBy.Should().Be("carl");
        (await _edge.ActAsync("return-to-service", new { alarmId = id, user = "carl" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _edge.AlarmsAsync("out-of-service")).Should().NotContain(a => a.AlarmId == id);

        var details = await _edge.Panel.GetFromJsonAsync<Details>($"/api/alarms/details/{id}", EdgeHarness.Json);
        details!.History.Select(e => e.EventType).Should().Contain(
            [AlarmEventTypes.Shelved, AlarmEventTypes.Unshelved, AlarmEventTypes.Commented, AlarmEventTypes.RemovedFromService, AlarmEventTypes.ReturnedToService]);
        details.History.Single(e => e.EventType == AlarmEventTypes.Commented).Should().Match<AlarmEvent>(e => e.User == "carl" && e.Comment == "bearing ordered");
    }

    [Fact]
    public async Task A_machine_in_maintenance_has_its_low_flow_alarm_suppressed_by_design()
    {
        await _edge.WaitForLineAsync(l => l.Machines.All(m => !m.Stale && m.State == "running"), TimeSpan.FromSeconds(15), "running");
        var lowFlow = $"{EdgeTestPlant.LineId}/pump-2/flow/l";

        _edge.Line.Maintain("pump-2", "replace-bearing").Should().BeNull();

        var suppressed = await _edge.WaitForAlarmAsync(lowFlow, a => a.ConditionActive, TimeSpan.FromSeconds(30), "a pump in maintenance delivers no flow");
        suppressed.Suppressed.Should().BeTrue();
        suppressed.SuppressionReason.Should().Contain("maintenance");
        suppressed.State.Should().Be(AlarmStates.Normal, "a suppressed alarm is not annunciated");
        (await _edge.AlarmsAsync()).Should().NotContain(a => a.AlarmId == lowFlow);
        (await _edge.AlarmsAsync("suppressed")).Should().Contain(a => a.AlarmId == lowFlow);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_what_is_wrong()
    {
        var garbage = await _edge.Panel.PostAsync("/api/alarms/acknowledge", new StringContent("{not json", Encoding.UTF8, "application/json"));
        garbage.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var noUser = await _edge.ActAsync("acknowledge", new { alarmId = Hh("pump-1") });
        noUser.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noUser.Content.ReadAsStringAsync()).Should().Contain("user is required");

        var unknown = await _edge.ActAsync("acknowledge", new { alarmId = "line-1/pump-9/vibration-rms/hh", user = "anna" });
        unknown.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("line-1/pump-9/vibration-rms/hh");

        var badView = await _edge.Panel.GetAsync("/api/alarms?view=everything");
        badView.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badView.Content.ReadAsStringAsync()).Should().Contain("everything");

        (await _edge.Panel.GetAsync("/api/alarms/details/line-1/nothing/here")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _edge.ActAsync("shelve", new { alarmId = Hh("pump-1"), user = "anna", minutes = 0 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private sealed record Details(AlarmSnapshot Alarm, IReadOnlyList<AlarmEvent> History);
}
