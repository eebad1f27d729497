using System.Text.Json;
using Factory.Contracts.Alarms;
using Factory.Edge.Alarms;
using Factory.Edge.Tests.Alarms.Support;

namespace Factory.Edge.Tests.Alarms;

/// <summary>The JSON the panel and the cloud receive: field names as docs/alarms.md documents them, and round trips.</summary>
public sealed class AlarmContractTests
{
    private static readonly DateTimeOffset T0 = TestLine.T0;

    [Fact]
    public void An_alarm_event_has_the_documented_camel_case_fields_and_reads_back_equal()
    {
        var driver = new BookDriver(TestLine.Book());
        var e = driver.Accept(new ActivateCondition(TestLine.VibrationHh, T0, 5.2), T0).Events.Single();
        var wire = driver.Book.ToAlarmEvent(e)!;

        var json = JsonSerializer.Serialize(wire, AlarmJsonContext.Default.AlarmEvent);

        json.Should().Be(
            "{\"schemaVersion\":1,\"sequence\":1,\"alarmId\":\"line-1/cnc-01/spindle-vibration-rms/hh\",\"line\":\"line-1\",\"machine\":\"cnc-01\"," +
            "\"sensor\":\"spindle-vibration-rms\",\"kind\":\"hh\",\"priority\":\"high\",\"eventType\":\"activated\",\"state\":\"unack\"," +
            "\"conditionActive\":true,\"shelved\":false,\"suppressed\":false,\"outOfService\":false,\"time\":\"2026-11-30T08:00:00+00:00\"," +
            "\"value\":5.2,\"score\":null,\"threshold\":null,\"limit\":4.5,\"unit\":\"mm/s\",\"user\":null,\"comment\":null,\"shelvedUntil\":null," +
            "\"message\":\"Spindle vibration RMS above HH limit 4.5 mm/s: 5.2 mm/s\"}");
        JsonSerializer.Deserialize(json, AlarmJsonContext.Default.AlarmEvent).Should().Be(wire);
    }

    [Fact]
    public void A_snapshot_has_the_documented_fields_and_reads_back_equal()
    {
        var driver = new BookDriver(TestLine.Book());
        driver.Accept(new ActivateCondition(TestLine.FlowL, T0, 31.5), T0);
        driver.Accept(new Acknowledge(TestLine.FlowL, "anna", "strainer"), T0.AddMinutes(1));
        var snapshot = driver.Book.Snapshot(TestLine.FlowL);

        var json = JsonSerializer.Serialize(snapshot, AlarmJsonContext.Default.AlarmSnapshot);

        JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "schemaVersion", "alarmId", "line", "machine", "sensor", "kind", "priority", "state", "conditionActive", "grouped",
            "shelved", "shelvedUntil", "shelvedBy", "suppressed", "suppressionReason", "outOfService", "outOfServiceBy",
            "activatedAt", "clearedAt", "acknowledgedAt", "acknowledgedBy", "acknowledgeComment", "value", "score", "threshold",
            "limit", "unit", "lastChange", "message");
        snapshot.Should().BeEquivalentTo(new { State = "acked", Priority = "high", Kind = "l", AcknowledgedBy = "anna", Value = 31.5, Limit = 40.0, Unit = "m³/h" });
        JsonSerializer.Deserialize(json, AlarmJsonContext.Default.AlarmSnapshot).Should().Be(snapshot);
    }

    [Fact]
    public void A_flood_event_has_the_documented_fields()
    {
        var flood = new AlarmFloodEvent(1, 42, "line-1", AlarmFloodEventTypes.Started, T0, 11, 600);

        JsonSerializer.Serialize(flood, AlarmJsonContext.Default.AlarmFloodEvent).Should().Be(
            "{\"schemaVersion\":1,\"sequence\":42,\"line\":\"line-1\",\"eventType\":\"flood-started\",\"time\":\"2026-11-30T08:00:00+00:00\",\"activations\":11,\"windowSeconds\":600}");
    }

    [Fact]
    public void Every_domain_value_has_its_wire_name()
    {
        Enum.GetValues<AlarmKind>().Select(AlarmNames.Of).Should().Equal(AlarmKinds.All);
        Enum.GetValues<AlarmState>().Select(AlarmNames.Of).Should().Equal(AlarmStates.All);
        Enum.GetValues<Plant.Model.AlarmPriority>().Select(AlarmNames.Of).Should().Equal(AlarmPriorities.All);
    }
}
