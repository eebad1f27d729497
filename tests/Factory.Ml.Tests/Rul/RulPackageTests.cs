using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Ml.Rul;
using Factory.Ml.Tests.Packages;
using Factory.Plant.Model;

namespace Factory.Ml.Tests.Rul;

public sealed class RulPackageTests : IDisposable
{
    private static readonly RulTrainingOptions Fast = new() { ExcludedColumns = ["setting1", "setting2", "setting3"], Trees = 40 };

    private static readonly Lazy<(RulDataset Data, RulModel Model)> Trained = new(() =>
    {
        var data = SyntheticFleet.Units(20, seed: 41);
        return (data, RulTrainer.Train(data, Fast));
    });

    private readonly PackageFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_rul_package_loads_with_its_manifest_and_predicts_as_the_model_it_was_written_from()
    {
        var (data, model) = Trained.Value;
        var path = Write("pump-rul-1");

        var package = ModelPackage.Load(path);

        package.Manifest.IsRul.Should().BeTrue();
        package.Manifest.DetectorKind.Should().Be(ModelManifest.RulKind);
        package.Manifest.Features.Select(f => f.SensorId).Should().Equal(data.SensorNames);
        package.Manifest.Features.Should().AllSatisfy(f => f.Should().Match<FeatureDefinition>(d => d.Statistic == FeatureStatistic.Mean && d.WindowSeconds == 3600));
        package.Manifest.Metrics.Should().ContainKey("heldOutRmseHours").WhoseValue.Should().Be(12.5);
        var unit = data.Units[2].CutAfter(70);
        package.Rul.Predict(unit).Should().Be(model.Predict(unit));
        var detector = () => package.Detector;
        detector.Should().Throw<InvalidOperationException>().WithMessage("*is a remaining-useful-life model, not an anomaly detector*");
    }

    [Fact]
    public void A_rul_package_never_fits_an_edge_machine()
    {
        var package = ModelPackage.Load(Write("pump-rul-1"));
        var schema = FeatureSchema.For(TestMachines.SixFeatureSpindle());

        package.IsCompatibleWith(schema, out var reason).Should().BeFalse();
        reason.Should().Contain("is a remaining-useful-life model, for the cloud tier");
    }

    [Fact]
    public void A_tampered_rul_model_entry_is_refused_by_its_content_hash()
    {
        var path = Write("pump-rul-1");
        PackageFiles.Rewrite(path, ModelPackage.RulEntry, bytes => [.. bytes.Take(bytes.Length - 1), (byte)(bytes[^1] ^ 1)]);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: content hash mismatch: entry '{ModelPackage.RulEntry}' is not the one the manifest lists*");
    }

    [Fact]
    public void Inputs_that_miss_a_column_the_model_reads_are_refused_when_writing()
    {
        var (data, model) = Trained.Value;
        var inputs = data.SensorNames.Where(s => s != model.Settings.Spec.ColumnNames[0]).Select(s => new FeatureDefinition(s, FeatureStatistic.Mean, 3600)).ToList();

        var act = () => ModelPackageWriter.WriteRul(Path.Combine(_files.Folder, "x.fmpkg"), Info(), inputs, model);

        act.Should().Throw<ArgumentException>().WithMessage("The RUL model reads column '*', which the inputs do not list.*");
    }

    private string Write(string name)
    {
        var (data, model) = Trained.Value;
        var path = Path.Combine(_files.Folder, name + ModelPackage.FileExtension);
        ModelPackageWriter.WriteRul(path, Info(), [.. data.SensorNames.Select(s => new FeatureDefinition(s, FeatureStatistic.Mean, 3600))], model);
        return path;
    }

    private static ModelPackageInfo Info() => PackageFiles.Info(threshold: 0) with
    {
        Id = "pump-rul",
        MachineType = "centrifugal-pump",
        TargetFalseAlarmRate = 0,
        Metrics = new Dictionary<string, double> { ["heldOutRmseHours"] = 12.5 },
    };
}
