using System.Globalization;
using Factory.Cloud.Access;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.Contracts.Telemetry;
using Factory.Host.Commands.Models;
using Factory.Host.Tests.Support;
using Factory.Ml.Packages;
using Factory.Plant.Config;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Host.Tests.Commands.Models;

/// <summary>
/// <c>factory models train-rul</c> on the sample plant's pumps: from <c>factory simulate history</c>
/// files, and from a real cloud node's telemetry store holding the same history as summaries.
/// </summary>
[Collection(SimulatedHistoryCollection.Name)]
public sealed class TrainRulCommandTests(SimulatedHistory history) : IDisposable
{
    private const string Type = "centrifugal-pump";

    private readonly string _folder = Directory.CreateTempSubdirectory("factory-train-rul-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] Train(string output, params string[] more) =>
        ["models", "train-rul", "--history", history.Folder, "--config", FactoryCli.SamplePlant, "--type", Type, "--out", output, "--seed", "3", .. more];

    [Fact]
    public async Task The_same_seed_gives_the_same_package_figures_and_a_second_run_a_child_version()
    {
        var first = Path.Combine(_folder, "first");
        var second = Path.Combine(_folder, "second");

        var (exit, output) = await FactoryCli.RunAsync(Train(first));
        exit.Should().Be(0, output);
        (exit, output) = await FactoryCli.RunAsync(Train(second));
        exit.Should().Be(0, output);
        (exit, output) = await FactoryCli.RunAsync(Train(first, "--to", "2026-04-01T00:00:00Z"));
        exit.Should().Be(0, output);
        output.Should().Contain("version 2, parent 1");

        var a = ModelPackage.Load(Path.Combine(first, $"{Type}-rul-1.fmpkg"));
        var b = ModelPackage.Load(Path.Combine(second, $"{Type}-rul-1.fmpkg")).Manifest;
        var child = ModelPackage.Load(Path.Combine(first, $"{Type}-rul-2.fmpkg")).Manifest;
        a.Manifest.IsRul.Should().BeTrue();
        a.Manifest.Metrics.Should().Equal(b.Metrics);
        a.Manifest.TrainingDataHash.Should().Be(b.TrainingDataHash);
        child.ParentVersion.Should().Be(1);
        child.TrainingTo.Should().Be(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), "--to bounds the history");
        child.TrainingDataHash.Should().NotBe(a.Manifest.TrainingDataHash);
        a.Manifest.Features.Select(f => f.SensorId).Should().Equal("bearing-temperature", "bearing-vibration-rms", "current-imbalance", "discharge-pressure", "flow", "motor-current", "suction-pressure");

        var metrics = a.Manifest.Metrics;
        metrics["heldOutUnits"].Should().BeGreaterThanOrEqualTo(5);
        metrics["heldOutRmseHours"].Should().BeLessThan(metrics["constantBaselineRmseHours"], "the sensors tell more than a constant guess");
        metrics["heldOutCoverage"].Should().BeGreaterThanOrEqualTo(0.6);

        var report = await File.ReadAllTextAsync(Path.Combine(first, "reports", $"{Type}-rul-1.html"));
        report.Should().Contain("<svg").And.Contain("Predicted against true RUL").And.Contain("interval");
    }

    [Fact]
    public async Task The_telemetry_store_over_a_time_range_gives_the_steps_the_history_files_give_and_trains_a_package()
    {
        var data = Path.Combine(_folder, "cloud");
        await using var cloud = await EmbeddedCloud.StartAsync(data);
        var plant = PlantConfigLoader.Load(FactoryCli.SamplePlant);
        var from = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(SimulatedHistory.Days);

        // What an edge would have sent: a summary per sensor and history row (30 min apart).
        await history.WriteSummariesAsync(cloud.Services.GetRequiredService<ITelemetryStore>(), Type);

        var step = TimeSpan.FromHours(1);
        var files = RulHistorySources.FromFolder(history.Folder, Type, step, from, to, default);
        var token = await ApiUsers.TokenAsync(data, "erin", UserRoles.ReliabilityEngineer);
        var stored = await RulHistorySources.FromCloudAsync(CloudNode.ApiUri(cloud), token, plant, Type, Path.Combine(history.Folder, "labels.csv"), step, from, to, default);
        stored.Machines.Select(m => m.Machine).Should().BeEquivalentTo(files.Machines.Select(m => m.Machine));
        foreach (var (machine, series) in files.Machines)
        {
            var fromStore = stored.Machines.Single(m => m.Machine == machine).Series;
            fromStore.Sensors.Should().Equal(series.Sensors);
            fromStore.Times.Should().Equal(series.Times);
            for (var i = 0; i < series.Values.Count; i++)
            {
                fromStore.Values[i].Should().BeEquivalentTo(series.Values[i], o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-9)).WhenTypeIs<double>());
            }
        }

        var output = Path.Combine(_folder, "from-store");
        var tokenFile = Path.Combine(_folder, "erin.token");
        await File.WriteAllTextAsync(tokenFile, token);
        var (exit, text) = await FactoryCli.RunAsync(
            ["models", "train-rul", "--cloud", CloudNode.ApiUri(cloud).ToString(), "--token-file", tokenFile, "--labels", Path.Combine(history.Folder, "labels.csv"),
             "--from", from.ToString("O", CultureInfo.InvariantCulture), "--to", to.ToString("O", CultureInfo.InvariantCulture),
             "--config", FactoryCli.SamplePlant, "--type", Type, "--out", output, "--seed", "3"]);
        exit.Should().Be(0, text);
        var manifest = ModelPackage.Load(Path.Combine(output, $"{Type}-rul-1.fmpkg")).Manifest;
        manifest.TrainingFrom.Should().Be(from);
        manifest.TrainingTo.Should().Be(to);
        manifest.Metrics["heldOutRmseHours"].Should().BeLessThan(manifest.Metrics["constantBaselineRmseHours"]);
    }

    [Fact]
    public async Task Bad_history_and_labels_are_named_with_file_and_line()
    {
        var broken = Path.Combine(_folder, "broken");
        Directory.CreateDirectory(broken);
        var (exit, output) = await FactoryCli.RunAsync(["models", "train-rul", "--history", broken, "--config", FactoryCli.SamplePlant, "--type", Type, "--out", Path.Combine(_folder, "out")]);
        exit.Should().Be(1);
        output.Should().Contain($"{Path.Combine(broken, "manifest.json")}: no such file");

        var labels = Path.Combine(_folder, "labels.csv");
        await File.WriteAllTextAsync(labels, "line,machine,failure,maintenance_end\nline-2,cooling-pump,2026-01-09T10:00:00Z,\nline-2,cooling-pump,yesterday,\n");
        var act = () => RulHistorySources.ReadLabels(labels);
        act.Should().Throw<RulHistoryException>().WithMessage($"{labels}:3: column 'failure': 'yesterday' is not a time*");

        (exit, output) = await FactoryCli.RunAsync(["models", "train-rul", "--cloud", "http://127.0.0.1:9", "--config", FactoryCli.SamplePlant]);
        exit.Should().NotBe(0);
        output.Should().Contain("--cloud needs --labels");
    }
}

/// <summary>A simulated history of the sample plant, written once for the RUL tests: 120 days at 30 min.</summary>
public sealed class SimulatedHistory : IAsyncLifetime
{
    public const int Days = 120;

    public string Folder { get; } = Directory.CreateTempSubdirectory("factory-rul-history-").FullName;

    public async Task InitializeAsync()
    {
        var (exit, output) = await FactoryCli.RunAsync(["simulate", "history", "--config", FactoryCli.SamplePlant, "--days", $"{Days}", "--resolution", "30m", "--out", Folder]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"factory simulate history failed: {output}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Writes every row of the machines of <paramref name="type"/> into <paramref name="store"/> as one summary per sensor.</summary>
    public async Task WriteSummariesAsync(ITelemetryStore store, string type)
    {
        var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Folder, "manifest.json")));
        var batch = new List<SensorSummary>();
        foreach (var machine in manifest.RootElement.GetProperty("machines").EnumerateArray().Where(m => m.GetProperty("type").GetString() == type))
        {
            var line = machine.GetProperty("line").GetString()!;
            var id = machine.GetProperty("machine").GetString()!;
            var rows = await File.ReadAllLinesAsync(Path.Combine(Folder, machine.GetProperty("file").GetString()!));
            var header = rows[0].Split(',');
            var sensors = header.TakeWhile(h => h != "state").Skip(1).ToArray();
            foreach (var row in rows.Skip(1))
            {
                var fields = row.Split(',');
                var start = DateTimeOffset.Parse(fields[0], CultureInfo.InvariantCulture);
                for (var s = 0; s < sensors.Length; s++)
                {
                    var value = double.Parse(fields[s + 1], CultureInfo.InvariantCulture);
                    batch.Add(new SensorSummary(line, id, sensors[s], start, 1800, 1, value, value, value, 0, value, null));
                }

                if (batch.Count >= 20_000)
                {
                    await store.WriteAsync(new TelemetryBatch(batch, [], [], []), default);
                    batch.Clear();
                }
            }
        }

        await store.WriteAsync(new TelemetryBatch(batch, [], [], []), default);
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatedHistoryCollection : ICollectionFixture<SimulatedHistory>
{
    public const string Name = "Simulated history";
}
