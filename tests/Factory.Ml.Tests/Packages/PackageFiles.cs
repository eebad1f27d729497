using System.IO.Compression;
using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Packages;

namespace Factory.Ml.Tests.Packages;

/// <summary>Writes packages into a temporary folder and changes them the ways files get damaged or tampered with.</summary>
public sealed class PackageFiles : IDisposable
{
    public static readonly DateTimeOffset Created = new(2026, 11, 28, 14, 30, 0, TimeSpan.Zero);

    public string Folder { get; } = Directory.CreateTempSubdirectory("factory-ml-packages-").FullName;

    public static ModelPackageInfo Info(float threshold, int version = 1) => new()
    {
        Id = "cnc-spindle-anomaly",
        Version = version,
        MachineType = "cnc-spindle",
        Threshold = threshold,
        TargetFalseAlarmRate = 0.001,
        TrainingFrom = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        TrainingTo = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
        TrainingDataHash = new string('a', 64),
        Metrics = new Dictionary<string, double> { ["heldOutFalseAlarmRate"] = 0.001, ["trainingVectors"] = 3000 },
        Creator = "Factory.Ml.Tests",
        Created = Created,
        ParentVersion = version > 1 ? version - 1 : null,
    };

    public string Write(string name, DetectorModel detector, float threshold, FeatureSchema? schema = null)
    {
        var path = Path.Combine(Folder, name + ModelPackage.FileExtension);
        ModelPackageWriter.Write(path, Info(threshold), schema ?? FeatureSchema.For(TestMachines.SixFeatureSpindle()), detector);
        return path;
    }

    /// <summary>Rewrites one entry of a package as a valid zip: what someone editing the package would do.</summary>
    public static void Rewrite(string path, string entryName, Func<byte[], byte[]?> change)
    {
        var entries = new List<(string Name, byte[] Bytes)>();
        using (var zip = ZipFile.OpenRead(path))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = entry.FullName == entryName ? change(copy.ToArray()) : copy.ToArray();
                if (bytes is not null)
                {
                    entries.Add((entry.FullName, bytes));
                }
            }
        }

        File.Delete(path);
        using var output = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = output.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
