using Factory.Cloud.Forecasts;
using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Contracts.Telemetry;
using Factory.Host.Commands.Models;
using Factory.Host.Tests.Commands.Models;
using Factory.Host.Tests.Support;
using Factory.Ml.Packages;
using Factory.Ml.Rul;
using Factory.Plant.Config;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Host.Tests.Forecasts;

/// <summary>
/// RUL forecasts in a real cloud node: the shipped pump RUL package in service on the fleet, 120
/// days of simulated pump history in the embedded store as an edge would have sent it.
/// </summary>
[Collection(SimulatedHistoryCollection.Name)]
public sealed class RulForecasterTests(SimulatedHistory history) : IDisposable
{
    private const string Type = "centrifugal-pump";

    private readonly string _folder = Directory.CreateTempSubdirectory("factory-forecast-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_forecast_reads_the_run_since_the_last_repair_from_the_store_and_predicts_what_the_package_predicts_offline()
    {
        var plant = PlantConfigLoader.Load(FactoryCli.SamplePlant);
        await using var cloud = await EmbeddedCloud.StartAsync(Path.Combine(_folder, "cloud"), plant);
        var registry = cloud.Services.GetRequiredService<ModelRegistry>();
        var packagePath = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(FactoryCli.SamplePlant))!, "models", $"{Type}-rul-1.fmpkg");
        await using (var file = File.OpenRead(packagePath))
        {
            await registry.RegisterAsync(file, Path.GetFileName(packagePath), "test", default);
        }

        await registry.PromoteToFleetAsync($"{Type}-rul", 1, "test", force: false, default);
        var store = cloud.Services.GetRequiredService<ITelemetryStore>();
        await history.WriteSummariesAsync(store, Type);

        // A run between two failures of one pump, asked about halfway through it; the edge reported the maintenance before it.
        var failures = RulHistorySources.ReadLabels(Path.Combine(history.Folder, "labels.csv"));
        var (previous, failure) = failures
            .Where(f => plant.Lines.Single(l => l.Id == f.Line).Machines.Single(m => m.Id == f.Machine).Type == Type)
            .GroupBy(f => (f.Line, f.Machine))
            .SelectMany(g => g.OrderBy(f => f.Failed).Zip(g.OrderBy(f => f.Failed).Skip(1)))
            .First(p => p.First.Repaired is { } r && p.Second.Failed - r > TimeSpan.FromHours(72));
        var repaired = previous.Repaired!.Value;
        var asOf = repaired + TimeSpan.FromHours(Math.Floor((failure.Failed - repaired).TotalHours / 2));
        await store.WriteAsync(new TelemetryBatch([], [new MachineHealth(failure.Line, failure.Machine, repaired.AddSeconds(-1800), 1800, 0, null, null, null, null, null, "maintenance", false)], [], []), default);

        var outlook = await cloud.Services.GetRequiredService<RulForecaster>().ForecastAsync(failure.Line, failure.Machine, asOf, default);

        outlook.Reason.Should().BeNull();
        var forecast = outlook.Forecast!;
        forecast.MachineType.Should().Be(Type);
        forecast.RunStart.Should().Be(repaired);
        forecast.Model.Should().Be($"{Type}-rul version 1");

        // The same unit from the history files, predicted by the package loaded here.
        var step = TimeSpan.FromHours(1);
        var series = RulHistorySources.FromFolder(history.Folder, Type, step, null, null, default).Machines.Single(m => m.Machine.Machine == failure.Machine && m.Machine.Line == failure.Line).Series;
        var rows = Enumerable.Range(0, series.Times.Count).Where(i => series.Times[i] >= repaired && series.Times[i] + step <= asOf && series.Values[i].All(double.IsFinite)).ToList();
        var unit = new RulUnit("offline", [.. rows.Select(i => (series.Times[i] + step - repaired).TotalHours)], [.. rows.Select(i => series.Values[i])]);
        var expected = ModelPackage.Load(packagePath).Rul.Predict(unit);
        forecast.Steps.Should().Be(rows.Count);
        forecast.At.Should().Be(series.Times[rows[^1]] + step);
        forecast.RulHours.Should().BeApproximately(expected.Rul, 1e-6);
        forecast.LowHours.Should().BeApproximately(expected.Low, 1e-6);
        forecast.HighHours.Should().BeApproximately(expected.High, 1e-6);
        forecast.EarliestFailure.Should().Be(forecast.At.AddHours(forecast.LowHours));

        // A type with nothing in service, and a machine the plant does not have, say why.
        var cnc = plant.Machines.First(m => m.Type == "cnc-spindle");
        var line = plant.Lines.First(l => l.Machines.Contains(cnc)).Id;
        (await cloud.Services.GetRequiredService<RulForecaster>().ForecastAsync(line, cnc.Id, asOf, default)).Reason.Should().Be("no RUL model of type cnc-spindle runs on the fleet (register one and promote it: docs/models.md)");
        (await cloud.Services.GetRequiredService<RulForecaster>().ForecastAsync("line-9", "nothing", asOf, default)).Reason.Should().Contain("line-9/nothing is not in");
    }

    [Fact]
    public async Task A_node_without_the_plant_configuration_says_it_cannot_forecast()
    {
        await using var cloud = await EmbeddedCloud.StartAsync(Path.Combine(_folder, "bare"));

        var outlook = await cloud.Services.GetRequiredService<RulForecaster>().ForecastAsync("line-1", "pump-1", null, default);

        outlook.Forecast.Should().BeNull();
        outlook.Reason.Should().Contain("without the plant configuration (--config)");
    }
}
