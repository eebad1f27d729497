using Bunit;
using Factory.Portal.Components.Pages;

namespace Factory.Portal.Tests;

/// <summary>The plant overview rendered with bunit over a real embedded telemetry store.</summary>
public sealed class OverviewTests : StoreContext
{
    [Fact]
    public void Without_data_it_says_what_to_do_next()
    {
        var page = Render<Overview>();

        page.WaitForAssertion(() => page.Find("[data-testid=empty]").TextContent.Should().Contain("No machine has reported yet").And.Contain("factory demo"));
    }

    [Fact]
    public async Task Every_machine_is_listed_with_its_state_model_and_score_against_the_threshold()
    {
        await PlantData.WriteAsync(Store);

        var page = Render<Overview>();

        page.WaitForAssertion(() => page.FindAll("tr.rz-data-row").Should().HaveCount(2));
        var rows = page.FindAll("tr.rz-data-row").Select(r => r.TextContent).ToList();
        rows[0].Should().Contain("line-1").And.Contain("cnc-01").And.Contain("running").And.Contain("0.4 / 1").And.Contain("cnc-spindle-anomaly version 1").And.Contain("live");
        rows[1].Should().Contain("line-2").And.Contain("pump-07").And.Contain("7.25 / 2").And.Contain("2026-11-28 09:00:00");
        page.FindAll(".rz-badge-danger").Should().ContainSingle("only the pump's score is above its threshold").Which.TextContent.Should().Be("7.25 / 2");
    }

    [Fact]
    public async Task It_reads_theStore_again_on_its_interval()
    {
        var page = Render<Overview>(p => p.Add(o => o.RefreshInterval, TimeSpan.FromMilliseconds(100)));
        page.WaitForAssertion(() => page.Find("[data-testid=empty]"));

        await PlantData.WriteAsync(Store);

        page.WaitForAssertion(() => page.FindAll("tr.rz-data-row").Should().HaveCount(2), TimeSpan.FromSeconds(10));
    }
}
