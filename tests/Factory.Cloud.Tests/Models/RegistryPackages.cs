using System.IO.Compression;
using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Plant.Model;

namespace Factory.Cloud.Tests.Models;

/// <summary>Real model packages for registry tests: a detector trained once on synthetic healthy spindle vectors, written as versions.</summary>
public sealed class RegistryPackages : IDisposable
{
    public const string ModelId = "cnc-spindle-anomaly";

    private readonly DetectorModel _detector;

    public RegistryPackages()
    {
        var random = new Random(7);
        var vectors = new List<float[]>();
        for (var i = 0; i < 2_000; i++)
        {
            var load = Gaussian(random);
            vectors.Add([
                (float)(50 + (4 * load) + (0.3 * Gaussian(random))),
                (float)(0.02 + (0.01 * load) + (0.002 * Gaussian(random))),
                (float)(40 + (8 * load) + (0.5 * Gaussian(random))),
                (float)(55 + (10 * load) + (0.6 * Gaussian(random))),
                (float)(2.5 + (0.5 * load) + (0.05 * Gaussian(random))),
                (float)(3.0 + (0.2 * load) + (0.05 * Gaussian(random))),
            ]);
        }

        _detector = DetectorKinds.RobustMahalanobis.Train(vectors, 42);
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("factory-registry-packages-").FullName;

    public static Machine Spindle(string type = "cnc-spindle") => new(
        "cnc-01",
        "cnc-01",
        type,
        Criticality.High,
        "ns=2;s=line-1.cnc-01.status",
        "ns=2;s=line-1.cnc-01.maintenance",
        [
            Sensor("spindle-vibration-rms", SignalKind.VibrationRms, 100, new FeatureWindow(10, [FeatureStatistic.Rms, FeatureStatistic.Kurtosis])),
            Sensor("motor-current", SignalKind.MotorCurrent, 200, new FeatureWindow(10, [FeatureStatistic.Mean, FeatureStatistic.Max])),
            Sensor("bearing-temperature", SignalKind.BearingTemperature, 1000, new FeatureWindow(60, [FeatureStatistic.Mean, FeatureStatistic.Slope])),
        ]);

    /// <summary>Writes version <paramref name="version"/> of the model; a different threshold makes different content.</summary>
    public string Write(int version, float threshold = 9f, string id = ModelId, string name = "")
    {
        var path = Path.Combine(Folder, $"{id}-{version}{name}{ModelPackage.FileExtension}");
        ModelPackageWriter.Write(
            path,
            new ModelPackageInfo
            {
                Id = id,
                Version = version,
                MachineType = "cnc-spindle",
                Threshold = threshold,
                TargetFalseAlarmRate = 0.001,
                TrainingFrom = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
                TrainingTo = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
                TrainingDataHash = new string('a', 64),
                Metrics = new Dictionary<string, double> { ["heldOutFalseAlarmRate"] = 0.001 * version, ["trainingVectors"] = 2000 },
                Creator = "Factory tests",
                Created = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero),
                ParentVersion = version > 1 ? version - 1 : null,
            },
            FeatureSchema.For(Spindle()),
            _detector);
        return path;
    }

    /// <summary>
    /// Writes version <paramref name="version"/> of a RUL model of the pumps, trained on synthetic
    /// runs to failure (two sensors drifting towards failure, one of noise).
    /// </summary>
    public string WriteRul(int version, string id = "centrifugal-pump-rul")
    {
        var random = new Random(version);
        var units = new List<Factory.Ml.Rul.RulUnit>();
        for (var u = 0; u < 12; u++)
        {
            var life = random.Next(80, 140);
            var times = Enumerable.Range(1, life).Select(t => (double)t).ToList();
            var rows = times.Select(t => new[] { 40 + (10 * Math.Exp(0.04 * (t - life))) + Gaussian(random), 2 + Math.Exp(0.05 * (t - life)) + (0.05 * Gaussian(random)), Gaussian(random) }).ToList();
            units.Add(new Factory.Ml.Rul.RulUnit($"pump-{u}", times, rows));
        }

        var model = Factory.Ml.Rul.RulTrainer.Train(new Factory.Ml.Rul.RulDataset(["bearing-temperature", "motor-current", "flow"], units), new Factory.Ml.Rul.RulTrainingOptions { Cap = 60, Trees = 20, Seed = version });
        var path = Path.Combine(Folder, $"{id}-{version}{ModelPackage.FileExtension}");
        ModelPackageWriter.WriteRul(
            path,
            new ModelPackageInfo
            {
                Id = id,
                Version = version,
                MachineType = "centrifugal-pump",
                Threshold = 0,
                TargetFalseAlarmRate = 0,
                TrainingFrom = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero),
                TrainingTo = new DateTimeOffset(2026, 7, 4, 0, 0, 0, TimeSpan.Zero),
                TrainingDataHash = new string('b', 64),
                Metrics = new Dictionary<string, double> { ["heldOutRmseHours"] = 10 + version },
                Creator = "Factory tests",
                Created = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero),
                ParentVersion = version > 1 ? version - 1 : null,
            },
            [new FeatureDefinition("bearing-temperature", FeatureStatistic.Mean, 3600), new FeatureDefinition("flow", FeatureStatistic.Mean, 3600), new FeatureDefinition("motor-current", FeatureStatistic.Mean, 3600)],
            model);
        return path;
    }

    /// <summary>Changes one byte of a payload entry, leaving the manifest as it was: the content hash no longer matches.</summary>
    public static void Tamper(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.Entries.First(e => e.FullName != ModelPackage.ManifestEntry);
        byte[] bytes;
        using (var stream = entry.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        bytes[bytes.Length / 2] ^= 0x5A;
        var name = entry.FullName;
        entry.Delete();
        using var output = zip.CreateEntry(name).Open();
        output.Write(bytes);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static Sensor Sensor(string id, SignalKind signal, int samplingIntervalMs, FeatureWindow features) =>
        new(id, id, signal, $"ns=2;s=line-1.cnc-01.{id}", "u", new ValueRange(0, 100), samplingIntervalMs, null, features);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

[CollectionDefinition(Name)]
public sealed class RegistryPackagesCollection : ICollectionFixture<RegistryPackages>
{
    public const string Name = "registry packages";
}
