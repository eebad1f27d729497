using Factory.Host.Tests.Support;
using Factory.Ml.Packages;

namespace Factory.Host.Tests.Commands.Models;

/// <summary><c>factory models train</c> on a short simulated history of the sample plant's pumps.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-train-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string[] Train(string output, int seed) =>
        ["models", "train", "--config", FactoryCli.SamplePlant, "--type", "centrifugal-pump", "--out", output, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--healthy", "40m", "--fault-lead", "5m", "--fault-duration", "15m"];

    [Fact]
    public async Task The_same_seed_gives_the_same_metrics_and_a_second_run_a_child_version()
    {
        var first = Path.Combine(_folder, "first");
        var second = Path.Combine(_folder, "second");

        var (exit, output) = await FactoryCli.RunAsync(Train(first, 3));
        exit.Should().Be(0, output);
        (exit, output) = await FactoryCli.RunAsync(Train(second, 3));
        exit.Should().Be(0, output);
        (exit, output) = await FactoryCli.RunAsync(Train(first, 3));
        exit.Should().Be(0, output);
        output.Should().Contain("version 2, parent 1");

        var a = ModelPackage.Load(Path.Combine(first, "centrifugal-pump-anomaly-1.fmpkg")).Manifest;
        var b = ModelPackage.Load(Path.Combine(second, "centrifugal-pump-anomaly-1.fmpkg")).Manifest;
        var child = ModelPackage.Load(Path.Combine(first, "centrifugal-pump-anomaly-2.fmpkg")).Manifest;
        a.Metrics.Should().Equal(b.Metrics);
        a.Threshold.Should().Be(b.Threshold);
        a.TrainingDataHash.Should().Be(b.TrainingDataHash);
        a.DetectorKind.Should().Be(b.DetectorKind);
        child.ParentVersion.Should().Be(1);
        a.MachineType.Should().Be("centrifugal-pump");
        a.Metrics.Keys.Should().Contain(["precision", "recall", "f1", "falseAlarmsPerMachineDay", "medianLeadTimeMinutes", "heldOutFalseAlarmRate",
            "compared.randomized-pca.f1", "compared.robust-mahalanobis.f1", "compared.kmeans-distance.f1"]);
        a.Metrics["heldOutWindows"].Should().BeGreaterThanOrEqualTo(1_000, "a threshold for 0.001 needs 1,000 held-out windows");
        a.Metrics["faults"].Should().Be(7, "one run to failure per pump of the sample plant");

        var report = await File.ReadAllTextAsync(Path.Combine(first, "reports", "centrifugal-pump-anomaly-1.html"));
        report.Should().Contain("<svg").And.Contain("ROC").And.Contain("Precision-recall").And.Contain("onset").And.Contain("kmeans-distance");
    }

    [Fact]
    public async Task An_unknown_machine_type_is_refused_naming_the_known_ones()
    {
        var (exit, output) = await FactoryCli.RunAsync(["models", "train", "--config", FactoryCli.SamplePlant, "--type", "turbine", "--out", _folder]);

        exit.Should().Be(1);
        output.Should().Contain("no machine type 'turbine'").And.Contain("centrifugal-pump");
    }

    [Fact]
    public async Task A_package_is_evaluated_on_history_it_was_not_trained_on_and_a_corrupt_one_is_refused()
    {
        var (exit, output) = await FactoryCli.RunAsync(Train(_folder, 3));
        exit.Should().Be(0, output);
        var package = Path.Combine(_folder, "centrifugal-pump-anomaly-1.fmpkg");

        (exit, output) = await FactoryCli.RunAsync(["models", "evaluate", package, "--config", FactoryCli.SamplePlant, "--healthy", "40m", "--fault-lead", "5m", "--fault-duration", "15m"]);

        exit.Should().Be(0, output);
        output.Should().Contain("centrifugal-pump-anomaly version 1 on 7 machines, seed 1001").And.Contain("7/7");
        File.Exists(Path.Combine(_folder, "centrifugal-pump-anomaly-1-evaluation-seed1001.html")).Should().BeTrue();

        var bytes = await File.ReadAllBytesAsync(package);
        bytes[bytes.Length / 2] ^= 0xFF;
        var corrupt = Path.Combine(_folder, "corrupt.fmpkg");
        await File.WriteAllBytesAsync(corrupt, bytes);
        (exit, output) = await FactoryCli.RunAsync(["models", "evaluate", corrupt, "--config", FactoryCli.SamplePlant]);
        exit.Should().Be(1);
        output.Should().Contain(corrupt);
    }
}
