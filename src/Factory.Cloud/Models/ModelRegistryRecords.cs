using System.Text.Json.Serialization;

namespace Factory.Cloud.Models;

/// <summary>Where a registered version stands; written by name in JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelStage>))]
public enum ModelStage
{
    /// <summary>Registered, never deployed.</summary>
    Candidate,

    /// <summary>Deployed to one line (<see cref="ModelVersionInfo.CanaryLine"/>) ahead of the fleet.</summary>
    Canary,

    /// <summary>Deployed to every line.</summary>
    Fleet,

    /// <summary>Was deployed (canary or fleet), no longer is.</summary>
    Retired,
}

/// <summary>A registered version of a model and its stage.</summary>
public sealed record ModelVersionInfo(
    string ModelId,
    int Version,
    string MachineType,
    string DetectorKind,
    string FeatureHash,
    string ContentHash,
    long Length,
    float Threshold,
    IReadOnlyDictionary<string, double> Metrics,
    string Creator,
    DateTimeOffset Created,
    int? ParentVersion,
    DateTimeOffset RegisteredAt,
    string RegisteredBy,
    ModelStage Stage,
    string? CanaryLine);

/// <summary>A model id and what of it runs where.</summary>
public sealed record ModelSummary(string ModelId, string MachineType, int LatestVersion, int? FleetVersion, int? CanaryVersion, string? CanaryLine, int VersionCount);

/// <summary>What every edge should run: per model id the fleet version, and the canary override of one line.</summary>
public sealed record ModelAssignment(string ModelId, int? FleetVersion, string? FleetContentHash, int? CanaryVersion, string? CanaryContentHash, string? CanaryLine, DateTimeOffset? CanarySince);

/// <summary>One line of the audit log.</summary>
public sealed record ModelAuditEntry(DateTimeOffset Time, string Actor, string Action, string ModelId, int? Version, string Detail);

/// <summary>Two versions side by side: manifest fields and metrics that differ.</summary>
public sealed record ModelComparison(ModelVersionInfo Left, ModelVersionInfo Right, IReadOnlyList<ModelDifference> Differences);

/// <summary>One field of a comparison; <see cref="Change"/> is right minus left for numbers.</summary>
public sealed record ModelDifference(string Field, string Left, string Right, double? Change);

/// <summary>Alarm activations per machine-hour of the canary line and of the other lines over the canary's time.</summary>
public sealed record CanaryAlarmRates(
    string CanaryLine,
    DateTimeOffset From,
    DateTimeOffset To,
    long CanaryActivations,
    double CanaryMachineHours,
    long FleetActivations,
    double FleetMachineHours)
{
    /// <summary>Canary anomaly-alarm activations per machine-hour; 0 with no machine-hours.</summary>
    public double CanaryRate => CanaryMachineHours > 0 ? CanaryActivations / CanaryMachineHours : 0;

    /// <summary>The other lines' anomaly-alarm activations per machine-hour; 0 with no machine-hours.</summary>
    public double FleetRate => FleetMachineHours > 0 ? FleetActivations / FleetMachineHours : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"canary line '{CanaryLine}' {CanaryRate:0.###} anomaly alarms per machine-hour ({CanaryActivations} in {CanaryMachineHours:0.##} machine-hours), " +
        $"fleet {FleetRate:0.###} ({FleetActivations} in {FleetMachineHours:0.##} machine-hours), {From:u} to {To:u}";
}

/// <summary>
/// How much worse than the fleet a canary may alarm and still go to the fleet: its rate may be at
/// most <see cref="Ratio"/> times the fleet's plus <see cref="Slack"/> activations per machine-hour
/// (the slack keeps a quiet fleet from blocking on one alarm).
/// </summary>
public sealed record CanaryTolerance(double Ratio = 1.25, double Slack = 0.05)
{
    /// <summary>Whether the canary's rate is within tolerance of the fleet's.</summary>
    public bool Accepts(CanaryAlarmRates rates) => rates.CanaryRate <= rates.FleetRate * Ratio + Slack;
}

/// <summary>A request of the registry refused: unknown model or version, a bad package, a stage change that does not apply. The message says which and why.</summary>
public sealed class ModelRegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelRegistryException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public ModelRegistryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public ModelRegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception of a kind.</summary>
    public ModelRegistryException(ModelRegistryError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>What kind of refusal: the HTTP API maps it to a status code.</summary>
    public ModelRegistryError Error { get; } = ModelRegistryError.Invalid;
}

/// <summary>Kinds of refusal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelRegistryError>))]
public enum ModelRegistryError
{
    /// <summary>The request does not apply (bad package, wrong stage, nothing to roll back).</summary>
    Invalid,

    /// <summary>No such model or version.</summary>
    NotFound,

    /// <summary>Conflicts with what is registered (same id and version, other content).</summary>
    Conflict,

    /// <summary>The canary alarms worse than the fleet; <c>--force</c> overrides.</summary>
    CanaryWorse,
}
