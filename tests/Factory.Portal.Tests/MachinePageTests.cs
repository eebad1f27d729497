using Bunit;
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
    }

    [Fact]
    public void A_machine_theStore_does_not_know_is_named_with_what_to_do()
    {
        var page = Render<MachinePage>(p => p.Add(m => m.Line, "line-9").Add(m => m.Machine, "nothing"));

        page.WaitForAssertion(() => page.Find("[data-testid=unknown]").TextContent.Should().Contain("knows no machine nothing on line line-9"));
    }
}
