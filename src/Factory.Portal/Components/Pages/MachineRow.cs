using Factory.Cloud.Storage;

namespace Factory.Portal.Components.Pages;

/// <summary>One machine as the plant overview lists it: from its newest health and sensor summaries.</summary>
public sealed record MachineRow(string Line, string Machine, string State, double? Score, double? Threshold, string Model, string Data, DateTimeOffset? LastSummary)
{
    /// <summary>Whether the newest score is above the model's threshold.</summary>
    public bool Anomalous => Score is { } score && Threshold is { } threshold && score > threshold;

    public static MachineRow Of(MachineLatest latest) => new(
        latest.Line,
        latest.Machine,
        latest.Health?.State ?? "unknown",
        latest.Health?.LastScore,
        latest.Health?.Threshold,
        latest.Health?.Model ?? "none",
        latest.Health is null ? "no health yet" : latest.Health.Stale ? "stale" : "live",
        latest.Sensors.Count == 0 ? null : latest.Sensors.Max(s => s.Start));
}
