using System.Globalization;
using Factory.Cloud.Alarms;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;

namespace Factory.Portal.Components.Pages;

/// <summary>One machine as the plant overview lists it: from its newest health and sensor summaries.</summary>
public sealed record MachineRow(string Line, string Machine, string State, double? Score, double? Threshold, string Model, string Data, DateTimeOffset? LastSummary)
{
    /// <summary>The predicted remaining useful life in hours; null without a forecast.</summary>
    public double? RulHours { get; init; }

    /// <summary>The forecast in words: "96 h (41–150 h)", "≥ 168 h", or why there is none.</summary>
    public string Rul { get; init; } = "";

    /// <summary>Whether the earliest failure of the forecast falls within the next 24 hours.</summary>
    public bool RulUrgent { get; init; }

    /// <summary>How many of the machine's alarms are active now.</summary>
    public int ActiveAlarms { get; init; }

    /// <summary>The highest priority among them, or empty.</summary>
    public string AlarmPriority { get; init; } = "";

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

    /// <summary>This row with the machine's forecast and its active alarms from the board.</summary>
    public MachineRow With(RulOutlook? outlook, IEnumerable<BoardAlarm> alarms)
    {
        var active = alarms.Where(a => a.Active && a.Last.Line == Line && a.Last.Machine == Machine).ToList();
        var forecast = outlook?.Forecast;
        return this with
        {
            RulHours = forecast?.RulHours,
            Rul = RulText(outlook),
            RulUrgent = forecast is { LowHours: < 24 },
            ActiveAlarms = active.Count,
            AlarmPriority = active.Count == 0 ? "" : active.MinBy(a => AlarmPriorities.Rank(a.Last.Priority))!.Last.Priority,
        };
    }

    /// <summary>"96 h (41–150 h)"; "≥ 168 h" at the model's cap; "not yet" while waiting for data; "none" otherwise.</summary>
    public static string RulText(RulOutlook? outlook) => outlook?.Forecast switch
    {
        null when outlook is null => "",
        null => outlook.Reason is { } reason && reason.StartsWith("not one whole step", StringComparison.Ordinal) ? "not yet" : "none",
        { Capped: true } f => $"≥ {Hours(f.CapHours)} h",
        var f => $"{Hours(f.RulHours)} h ({Hours(f.LowHours)}–{Hours(f.HighHours)} h)",
    };

    private static string Hours(double hours) => hours.ToString("0", CultureInfo.InvariantCulture);
}
