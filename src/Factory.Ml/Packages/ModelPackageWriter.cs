using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Factory.Ml.Detectors;
using Factory.Ml.Features;

namespace Factory.Ml.Packages;

/// <summary>Writes model packages (training's side of <see cref="ModelPackage.Load"/>).</summary>
public static class ModelPackageWriter
{
    /// <summary>
    /// Writes a package: the manifest (with the feature list and its hash from the schema, the
    /// detector kind, every payload entry's SHA-256 and the content hash) and the detector's
    /// payload. The file is written beside its final name and then moved into place, so a reader
    /// watching the folder never sees half a package.
    /// </summary>
    /// <returns>The manifest written.</returns>
    /// <exception cref="ArgumentException">The detector does not read the schema's features, or the information is incomplete.</exception>
    public static ModelManifest Write(string path, ModelPackageInfo info, FeatureSchema schema, DetectorModel detector)
    {
        if (detector.FeatureCount != schema.Count)
        {
            throw new ArgumentException($"The detector reads {detector.FeatureCount} features; machine '{schema.MachineId}' has {schema.Count}.", nameof(detector));
        }

        if (info.MachineType != schema.MachineType)
        {
            throw new ArgumentException($"The package is for machine type '{info.MachineType}'; the schema is of machine '{schema.MachineId}' of type '{schema.MachineType}'.", nameof(info));
        }

        if (!float.IsFinite(info.Threshold) || !(info.TargetFalseAlarmRate is > 0 and < 1) || info.Version < 1)
        {
            throw new ArgumentException("A package needs a finite threshold, a target false-alarm rate between 0 and 1 and a version of 1 or more.", nameof(info));
        }

        CheckMetrics(info);
        var payload = detector.ToPayload();
        if (payload.ContainsKey(ModelPackage.ManifestEntry))
        {
            throw new ArgumentException($"A detector payload may not have an entry named {ModelPackage.ManifestEntry}.", nameof(detector));
        }

        return WritePackage(path, info, detector.Kind, schema.Features, payload);
    }

    /// <summary>
    /// Writes a remaining-useful-life package: <paramref name="inputs"/> are what the model reads
    /// (per sensor, its mean over the model's time step), the payload the model as
    /// <see cref="Rul.RulModel.Save"/> writes it. Threshold and target false-alarm rate are 0.
    /// </summary>
    /// <exception cref="ArgumentException">The model reads a column the inputs do not list, or the information is incomplete.</exception>
    public static ModelManifest WriteRul(string path, ModelPackageInfo info, IReadOnlyList<FeatureDefinition> inputs, Rul.RulModel model)
    {
        var missing = model.Settings.Spec.ColumnNames.FirstOrDefault(c => inputs.All(f => f.SensorId != c));
        if (missing is not null)
        {
            throw new ArgumentException($"The RUL model reads column '{missing}', which the inputs do not list.", nameof(inputs));
        }

        if (info.Version < 1 || info.Threshold != 0 || info.TargetFalseAlarmRate != 0)
        {
            throw new ArgumentException("A RUL package needs a version of 1 or more, and threshold and target false-alarm rate 0.", nameof(info));
        }

        CheckMetrics(info);
        using var buffer = new MemoryStream();
        model.Save(buffer);
        return WritePackage(path, info, ModelManifest.RulKind, inputs, new Dictionary<string, byte[]>(StringComparer.Ordinal) { [ModelPackage.RulEntry] = buffer.ToArray() });
    }

    private static void CheckMetrics(ModelPackageInfo info)
    {
        var badMetric = info.Metrics.FirstOrDefault(m => !double.IsFinite(m.Value));
        if (badMetric.Key is not null)
        {
            throw new ArgumentException($"Metric '{badMetric.Key}' is not a finite number.", nameof(info));
        }
    }

    private static ModelManifest WritePackage(string path, ModelPackageInfo info, string kind, IReadOnlyList<FeatureDefinition> features, IReadOnlyDictionary<string, byte[]> payload)
    {
        var manifest = new ModelManifest
        {
            FormatVersion = ModelManifest.CurrentFormatVersion,
            Id = info.Id,
            Version = info.Version,
            MachineType = info.MachineType,
            DetectorKind = kind,
            Features = features,
            FeatureHash = FeatureSchema.HashOf(features),
            Threshold = info.Threshold,
            TargetFalseAlarmRate = info.TargetFalseAlarmRate,
            TrainingFrom = info.TrainingFrom.ToUniversalTime(),
            TrainingTo = info.TrainingTo.ToUniversalTime(),
            TrainingDataHash = info.TrainingDataHash,
            Metrics = new SortedDictionary<string, double>(info.Metrics.ToDictionary(), StringComparer.Ordinal),
            Creator = info.Creator,
            Created = info.Created.ToUniversalTime(),
            ParentVersion = info.ParentVersion,
            Entries = payload.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => new PackageEntry(e.Key, e.Value.LongLength, PackageHash.Sha256(e.Value)))
                .ToArray(),
            ContentHash = PackageHash.Placeholder,
        };
        manifest = manifest with { ContentHash = PackageHash.ContentHash(payload, ManifestJson.Write(manifest)) };
        var manifestBytes = ManifestJson.Write(manifest);

        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                var stamp = ZipTime(manifest.Created);
                Add(zip, ModelPackage.ManifestEntry, manifestBytes, stamp);
                foreach (var (name, bytes) in payload.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    Add(zip, name, bytes, stamp);
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return manifest;
    }

    /// <summary>SHA-256 (hex) of feature vectors: every value as a little-endian float, in order; for <see cref="ModelPackageInfo.TrainingDataHash"/>.</summary>
    public static string HashOf(IEnumerable<float[]> vectors)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var vector in vectors)
        {
            // .NET runs on little-endian machines only (x64, Arm64), so the float bytes are already in the documented order.
            sha.AppendData(MemoryMarshal.AsBytes(vector.AsSpan()));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes, DateTimeOffset stamp)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = stamp;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    /// <summary>Zip stores local times from 1980 to 2107; entries carry the package's creation time so that equal packages are equal files.</summary>
    private static DateTimeOffset ZipTime(DateTimeOffset created)
    {
        var utc = created.UtcDateTime;
        var clamped = utc < new DateTime(1980, 1, 2, 0, 0, 0, DateTimeKind.Utc) ? new DateTime(1980, 1, 2, 0, 0, 0, DateTimeKind.Utc)
            : utc > new DateTime(2107, 12, 30, 0, 0, 0, DateTimeKind.Utc) ? new DateTime(2107, 12, 30, 0, 0, 0, DateTimeKind.Utc)
            : utc;
        return new DateTimeOffset(clamped.Ticks, TimeSpan.Zero);
    }
}
