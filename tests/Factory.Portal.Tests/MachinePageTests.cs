using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Portal.Components.Pages;

namespace Factory.Portal.Tests;

/// <summary>The machine page rendered with bunit over a real embedded telemetry store.</summary>
public sealed class MachinePageTests : StoreContext
{
    [Theory]
    [InlineData(1, 20)]
    [InlineData(6, 90)]
    [InlineData(24, 360)]
    [InlineData(168, 2520)]
    public void A_range_is_cut_into_about_240_buckets_of_whole_ten_seconds(int hours, int seconds) =>
        MachinePage.BucketFor(TimeSpan.FromHours(hours)).Should().Be(TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task Each_sensor_gets_a_chart_of_its_buckets_and_the_alarms_of_the_range_are_listed()
    {
        await PlantData.WriteAsync(Store);
        await PlantData.WriteHistoryAsync(Store);

        var page = Render<MachinePage>(p => p.Add(m => m.Line, "line-2").Add(m => m.Machine, "pump-07"));

        page.WaitForAssertion(() => page.Find("[data-testid=summary]").TextContent.Should().Contain("State running").And.Contain("centrifugal-pump-anomaly version 3").And.Contain("per 90 s"));
        page.Find("[data-testid=chart-flow]").TextContent.Should().Contain("flow (m3/h)");
        page.FindAll("[data-testid=alarms] tr.rz-data-row").Should().ContainSingle().Which.TextContent.Should().Contain("Flow above H limit 45 m3/h");
        page.Find("[data-testid=score-chart]").TextContent.Should().Contain("Anomaly score");
        page.FindAll("[data-testid=no-score]").Should().BeEmpty();
        page.Find("[data-testid=rul-none]").TextContent.Should().Contain("No forecast: the cloud node was started without the plant configuration (--config)");
        page.Find("[data-testid=no-maintenance]").TextContent.Should().Contain("No work order for this machine yet");
    }

    [Fact]
    public void The_overview_words_a_forecast_with_its_interval_at_the_cap_and_without_one()
    {
        var at = PlantData.At;
        RulForecast Forecast(double rul, double low, double high) => new("l", "m", "t", at, rul, low, high, 168, at.AddDays(-2), 48, "t-rul version 1", 0.9, []);
        var row = new MachineRow("l", "m", "running", 0.4, 1, "t-anomaly version 1", "live", at);

        row.With(new RulOutlook("l", "m", "t", Forecast(96.4, 41.2, 150.6), null), []).Should().Match<MachineRow>(r => r.Rul == "96 h (41–151 h)" && r.RulHours == 96.4 && !r.RulUrgent);
        row.With(new RulOutlook("l", "m", "t", Forecast(30, 12, 50), null), []).RulUrgent.Should().BeTrue("it may fail within 24 h");
        row.With(new RulOutlook("l", "m", "t", Forecast(168, 90, 240), null), []).Rul.Should().Be("≥ 168 h");
        row.With(new RulOutlook("l", "m", "t", null, "not one whole step (1 h) of data since the first data"), []).Rul.Should().Be("not yet");
        row.With(new RulOutlook("l", "m", "t", null, "no RUL model of type t runs on the fleet"), []).Rul.Should().Be("none");
    }

    [Fact]
    public void The_score_timeline_has_points_only_where_scored_and_a_marker_per_alarm_raised_at_its_score_or_the_bucket_maximum()
    {
        var t0 = PlantData.At;
        HealthBucket[] buckets =
        [
            new(t0, 0.5, 0.7, 2.0, "running", 6),
            new(t0.AddMinutes(1), null, null, null, "stopped", 6),
            new(t0.AddMinutes(2), 2.5, 3.1, 2.0, "running", 6),
        ];
        var limit = new AlarmEvent(1, 7, "l/m/flow/h", "l", "m", "flow", "h", "medium", AlarmEventTypes.Activated, "unack", true, false, false, false, t0.AddSeconds(150), 46, null, null, 45, "m3/h", null, null, null, "flow high");
        var anomaly = limit with { Sequence = 8, AlarmId = "l/m/anomaly", Kind = "anomaly", Time = t0.AddSeconds(130), Score = 2.9 };
        var cleared = limit with { Sequence = 9, EventType = AlarmEventTypes.Cleared, Time = t0.AddSeconds(170) };

        var series = ScoreSeries.Of(buckets, [cleared, limit, anomaly]);

        series.Max.Should().Equal(new ChartPoint(t0.UtcDateTime, 0.7), new ChartPoint(t0.AddMinutes(2).UtcDateTime, 3.1));
        series.Mean.Select(p => p.Value).Should().Equal(0.5, 2.5);
        series.Threshold.Select(p => p.Value).Should().Equal(2.0, 2.0);
        series.Alarms.Should().Equal(new ChartPoint(t0.AddSeconds(130).UtcDateTime, 2.9), new ChartPoint(t0.AddSeconds(150).UtcDateTime, 3.1));
    }

    [Fact]
    public async Task The_maintenance_history_lists_the_machines_work_orders_newest_first_with_why()
    {
        Plant = Factory.Plant.Config.PlantConfigLoader.Load(PortalBrowser.SamplePlant);
        await Store.WriteAsync(new TelemetryBatch([new Factory.Contracts.Telemetry.SensorSummary("line-3", "coolant-pump-01", "flow", PlantData.At, 10, 10, 1, 2, 1.5, 0.1, 1.5, "m3/h")], [], [], []), default);
        var planner = Services.GetRequiredService<Factory.Cloud.Planning.MaintenancePlanner>();
        var first = await planner.CreateAsync("line-3", "coolant-pump-01", "realign", null, "asked by the supervisor", "pat", default);
        await planner.CancelAsync(first.Id, "aligned during the shift", "pat", default);
        await planner.CreateAsync("line-3", "coolant-pump-01", "replace-bearing", PlantData.At.AddDays(2), "RUL 60 h", "pat", default);

        var page = Render<MachinePage>(p => p.Add(m => m.Line, "line-3").Add(m => m.Machine, "coolant-pump-01"));

        page.WaitForAssertion(() => page.FindAll("[data-testid=maintenance] tr.rz-data-row").Should().HaveCount(2));
        var rows = page.FindAll("[data-testid=maintenance] tr.rz-data-row").Select(r => r.TextContent).ToList();
        rows[0].Should().Contain("Replace the pump bearings").And.Contain("planned").And.Contain("RUL 60 h");
        rows[1].Should().Contain("Align pump and motor").And.Contain("cancelled").And.Contain("asked by the supervisor (cancelled: aligned during the shift)");
    }

    [Fact]
    public void A_machine_theStore_does_not_know_is_named_with_what_to_do()
    {
        var page = Render<MachinePage>(p => p.Add(m => m.Line, "line-9").Add(m => m.Machine, "nothing"));

        page.WaitForAssertion(() => page.Find("[data-testid=unknown]").TextContent.Should().Contain("knows no machine nothing on line line-9"));
    }
}
