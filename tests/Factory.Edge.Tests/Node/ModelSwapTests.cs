using Factory.Contracts.Alarms;
using Factory.Edge.Actors;
using Factory.Edge.Tests.Node.Support;
using Factory.Ml.Packages;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Node;

/// <summary>
/// Model packages at a running edge node, as a reliability engineer deploys them: trained on the
/// simulated plant's healthy history, dropped into the models directory. A package that fits
/// scores its machines; a corrupt one or one for other features is refused with the file and the
/// reason, and the machines keep scoring with what they had; a newer one is swapped in without
/// emptying the feature windows.
/// </summary>
[Collection(WholeNodeTests.Name)]
public sealed class ModelSwapTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string PackageId = "pump-anomaly";
    private readonly EdgeHarness _edge = new(output);
    private ModelManifest _first = null!;

    public async Task InitializeAsync()
    {
        _first = Deploy(version: 1);
        await _edge.StartAsync();
    }

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task A_corrupt_or_mismatched_package_is_refused_with_its_file_named_and_scoring_goes_on_until_a_good_one_is_swapped_in()
    {
        var scoring = await _edge.WaitForLineAsync(
            l => l.Machines.Where(m => m.Type == "centrifugal-pump").All(m => m.AnomalyScore is not null), TimeSpan.FromSeconds(20), "v1 scores the pumps once their windows fill");
        scoring.Machines.Single(m => m.MachineId == "pump-1").Threshold.Should().BeApproximately(_first.Threshold, 1e-4);
        var models = await _edge.ModelsAsync();
        models.Machines.Single(m => m.MachineId == "pump-1").Version.Should().Be(1);
        models.Machines.Single(m => m.MachineId == "conveyor-1").Should().Match<MachineModel>(m => m.Package == null && m.Reason!.Contains("limit alarms only"));

        // A package damaged in transfer, and one trained for a pump without a flow meter.
        var corrupt = Path.Combine(_edge.Models.Path, $"{PackageId}-2{ModelPackage.FileExtension}");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_edge.Models.Path, $"{PackageId}-1{ModelPackage.FileExtension}"));
        Array.Fill<byte>(bytes, 0x5A, bytes.Length / 3, bytes.Length / 3);
        await WriteWholeAsync(corrupt, bytes);
        var withoutFlow = EdgeTestPlant.Pump("pump-1") with { Sensors = [.. EdgeTestPlant.Pump("pump-1").Sensors.Where(s => s.Id != "flow")] };
        var mismatched = DeployPath(3);
        Deploy(version: 3, schemaOf: withoutFlow);

        var refused = await _edge.WaitForModelsAsync(r => r.Refused.Count >= 3, "the corrupt file once, the mismatched one for each pump");
        refused.Refused.Should().ContainSingle(r => r.Path == corrupt && r.Machine == null)
            .Which.Reason.Should().Contain(corrupt);
        var notFitting = refused.Refused.Where(r => r.Path == mismatched).ToList();
        notFitting.Select(r => r.Machine).Should().BeEquivalentTo(["pump-1", "pump-2"]);
        notFitting.Should().AllSatisfy(r => r.Reason.Should().Contain("does not fit machine").And.Contain("flow"));
        refused.Machines.Where(m => m.MachineType == "centrifugal-pump").Should().AllSatisfy(m => m.Version.Should().Be(1));

        // Scoring goes on with v1.
        var since = (await _edge.WaitForLineAsync(_ => true, TimeSpan.FromSeconds(5), "any")).Machines.Single(m => m.MachineId == "pump-1").LastSample;
        await _edge.WaitForLineAsync(
            l => l.Machines.Single(m => m.MachineId == "pump-1") is { AnomalyScore: not null } p && p.LastSample > since?.AddSeconds(1) && p.Model!.Contains("version 1"),
            TimeSpan.FromSeconds(10),
            "v1 keeps scoring new data");

        // A good v4 replaces v1; the windows stay full, so the first evaluation with v4 already scores.
        var fourth = Deploy(version: 4);
        var swapped = await _edge.WaitForModelsAsync(r => r.Machines.Where(m => m.MachineType == "centrifugal-pump").All(m => m.Version == 4), "v4 fits");
        swapped.Machines.Single(m => m.MachineId == "pump-2").Path.Should().Be(DeployPath(4));
        var afterSwap = await _edge.WaitForLineAsync(
            l => l.Machines.Where(m => m.Type == "centrifugal-pump").All(m => m.Model!.Contains("version 4")), TimeSpan.FromSeconds(3), "the machines took v4");
        afterSwap.Machines.Where(m => m.Type == "centrifugal-pump").Should().AllSatisfy(m =>
        {
            m.AnomalyScore.Should().NotBeNull("the windows were kept across the swap");
            m.Threshold.Should().BeApproximately(fourth.Threshold, 1e-4);
        });
    }

    [Fact]
    public async Task A_bearing_fault_raises_the_anomaly_alarm_carrying_the_score_and_threshold_that_raised_it()
    {
        await _edge.WaitForLineAsync(l => l.Machines.Single(m => m.MachineId == "pump-1").AnomalyScore is not null, TimeSpan.FromSeconds(20), "scoring");
        var anomaly = $"{EdgeTestPlant.LineId}/pump-1/anomaly";
        (await _edge.AlarmsAsync("all")).Single(a => a.AlarmId == anomaly).State.Should().Be(AlarmStates.Normal, "a healthy pump is no anomaly");

        _edge.Line.InjectFault("pump-1", "bearing-wear", TimeSpan.FromSeconds(60));

        var raised = await _edge.WaitForAlarmAsync(anomaly, a => a.State == AlarmStates.Unacknowledged, TimeSpan.FromSeconds(45), "the model sees the worn bearing");
        raised.Score.Should().BeGreaterThan(_first.Threshold);
        raised.Threshold.Should().BeApproximately(_first.Threshold, 1e-4);
        raised.Priority.Should().NotBeNullOrEmpty();
        raised.Message.Should().Contain("score");
        (await _edge.AlarmsAsync("all")).Single(a => a.AlarmId == $"{EdgeTestPlant.LineId}/pump-2/anomaly").State.Should().Be(AlarmStates.Normal, "pump-2 is healthy");
    }

    private string DeployPath(int version) => Path.Combine(_edge.Models.Path, $"{PackageId}-{version}{ModelPackage.FileExtension}");

    /// <summary>Trains a package and moves it into the models directory whole, as a deployment does.</summary>
    private ModelManifest Deploy(int version, Factory.Plant.Model.Machine? schemaOf = null)
    {
        var staging = Path.Combine(Path.GetTempPath(), $"factory-model-{Guid.NewGuid():N}{ModelPackage.FileExtension}");
        var manifest = SimulatorModels.Train(_edge.Plant, "centrifugal-pump", PackageId, version, staging, EdgeHarness.Seed, DateTimeOffset.UtcNow, schemaOf);
        File.Move(staging, DeployPath(version));
        return manifest;
    }

    private static async Task WriteWholeAsync(string path, byte[] bytes)
    {
        var staging = Path.Combine(Path.GetTempPath(), $"factory-model-{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(staging, bytes);
        File.Move(staging, path);
    }
}
