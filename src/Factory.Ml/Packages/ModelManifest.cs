using Factory.Ml.Features;

namespace Factory.Ml.Packages;

/// <summary>What training states about a package it writes (the rest of the manifest is derived by <see cref="ModelPackageWriter"/>).</summary>
public sealed record ModelPackageInfo
{
    /// <summary>The package's name, e.g. <c>cnc-spindle-anomaly</c> (a machine type's <c>model</c> in the plant configuration).</summary>
    public required string Id { get; init; }

    /// <summary>The version, counting up from 1 for each id.</summary>
    public required int Version { get; init; }

    /// <summary>The machine type id it scores.</summary>
    public required string MachineType { get; init; }

    /// <summary>Scores above it are anomalous (0 for a RUL package).</summary>
    public required float Threshold { get; init; }

    /// <summary>The false-alarm rate the threshold was chosen for, on held-out healthy data (0 for a RUL package).</summary>
    public required double TargetFalseAlarmRate { get; init; }

    /// <summary>The start of the history it was trained on (UTC).</summary>
    public required DateTimeOffset TrainingFrom { get; init; }

    /// <summary>The end of the history it was trained on (UTC).</summary>
    public required DateTimeOffset TrainingTo { get; init; }

    /// <summary>SHA-256 (hex) of the training data, e.g. <see cref="ModelPackageWriter.HashOf"/> of the training vectors.</summary>
    public required string TrainingDataHash { get; init; }

    /// <summary>Evaluation figures by name, e.g. <c>heldOutFalseAlarmRate</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Who or what made it, e.g. <c>factory train (j.doe)</c>.</summary>
    public required string Creator { get; init; }

    /// <summary>When it was made (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The version it replaces, if any.</summary>
    public int? ParentVersion { get; init; }
}

/// <summary>The manifest of a model package (<c>manifest.json</c>); docs/models.md describes every field.</summary>
public sealed record ModelManifest
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    public required int FormatVersion { get; init; }
    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string MachineType { get; init; }

    /// <summary>
    /// The <see cref="Detectors.DetectorKind.Name"/> of the detector the payload holds, or
    /// <see cref="RulKind"/> for a remaining-useful-life model.
    /// </summary>
    public required string DetectorKind { get; init; }

    /// <summary>The <see cref="DetectorKind"/> of a remaining-useful-life package (<see cref="Rul.RulModel"/>, scored in the cloud).</summary>
    public const string RulKind = "rul-fasttree-conformal";

    /// <summary>Whether it is a remaining-useful-life model rather than an anomaly detector.</summary>
    public bool IsRul => DetectorKind == RulKind;

    /// <summary>The features the detector reads, in order.</summary>
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }

    /// <summary><see cref="FeatureSchema.HashOf"/> of <see cref="Features"/>.</summary>
    public required string FeatureHash { get; init; }

    public required float Threshold { get; init; }
    public required double TargetFalseAlarmRate { get; init; }
    public required DateTimeOffset TrainingFrom { get; init; }
    public required DateTimeOffset TrainingTo { get; init; }
    public required string TrainingDataHash { get; init; }
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    public required string Creator { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required int? ParentVersion { get; init; }

    /// <summary>The payload entries of the package, each with its length and SHA-256.</summary>
    public required IReadOnlyList<PackageEntry> Entries { get; init; }

    /// <summary>SHA-256 over every entry, the manifest included with this field zeroed (docs/models.md).</summary>
    public required string ContentHash { get; init; }

    /// <summary>"id version n", for messages.</summary>
    public override string ToString() => $"{Id} version {Version}";
}

/// <summary>One payload entry of a package.</summary>
/// <param name="Name">The entry's name in the zip, e.g. <c>model.zip</c>.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="Sha256">SHA-256 of its bytes, lower-case hex.</param>
public sealed record PackageEntry(string Name, long Length, string Sha256);
