using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Models;

public sealed class ShowModelSettings : RegistrySettings
{
    [CommandArgument(0, "<model>")]
    [Description("The model id, e.g. cnc-spindle-anomaly")]
    public string ModelId { get; init; } = "";

    [CommandOption("--audit <COUNT>")]
    [Description("How many lines of the model's audit log to show (default 10)")]
    [DefaultValue(10)]
    public int Audit { get; init; } = 10;
}

/// <summary><c>factory models show</c>: a model's versions with stage, metrics and provenance, then its latest audit lines.</summary>
public sealed class ShowModelCommand(IAnsiConsole console) : RegistryCommand<ShowModelSettings>(console)
{
    protected override async Task<int> RunAsync(RegistryClient client, ShowModelSettings settings, CancellationToken cancellationToken)
    {
        var versions = await client.VersionsAsync(settings.ModelId, cancellationToken);
        var table = new Table().Title(Markup.Escape(settings.ModelId)).AddColumns("Version", "Stage", "Detector", "Threshold", "Metrics", "Created by", "Registered", "Content hash");
        foreach (var v in versions)
        {
            table.AddRow(
                v.Version.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Stage(v.Stage, v.CanaryLine)),
                Markup.Escape(v.DetectorKind),
                v.Threshold.ToString("0.####", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", v.Metrics.Select(m => $"{m.Key}={m.Value.ToString("0.######", CultureInfo.InvariantCulture)}"))),
                Markup.Escape($"{v.Creator}, {v.Created:yyyy-MM-dd HH:mm}Z"),
                Markup.Escape($"{v.RegisteredAt:yyyy-MM-dd HH:mm}Z by {v.RegisteredBy}"),
                Markup.Escape(v.ContentHash[..Math.Min(12, v.ContentHash.Length)]));
        }

        Console.Write(table);
        if (settings.Audit > 0)
        {
            var audit = new Table().Title("audit").AddColumns("Time (UTC)", "Actor", "Action", "Version", "Detail");
            foreach (var a in await client.AuditAsync(settings.ModelId, settings.Audit, cancellationToken))
            {
                audit.AddRow(
                    Markup.Escape($"{a.Time:yyyy-MM-dd HH:mm:ss}"),
                    Markup.Escape(a.Actor),
                    Markup.Escape(a.Action),
                    a.Version?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    Markup.Escape(a.Detail));
            }

            Console.Write(audit);
        }

        return 0;
    }
}
