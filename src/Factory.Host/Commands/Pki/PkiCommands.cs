using System.ComponentModel;
using System.Globalization;
using Factory.OpcUa.Security;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Pki;

/// <summary>What every <c>factory pki</c> command takes: the PKI folder.</summary>
public class PkiSettings : CommandSettings
{
    [CommandOption("--pki <DIR>")]
    [Description("The application's PKI folder (own, trusted, issuers, rejected)")]
    [DefaultValue("data/pki")]
    public string Pki { get; init; } = "data/pki";
}

/// <summary>A certificate chosen by the start of its thumbprint.</summary>
public sealed class PkiCertificateSettings : PkiSettings
{
    [CommandArgument(0, "<THUMBPRINT>")]
    [Description("The certificate's SHA-1 thumbprint, or enough of its start to name one ('factory pki list' shows them)")]
    public string Thumbprint { get; init; } = "";
}

/// <summary><c>factory pki list</c>: every certificate of the folder, by list.</summary>
public sealed class PkiListCommand(IAnsiConsole console) : Command<PkiSettings>
{
    public override int Execute(CommandContext context, PkiSettings settings, CancellationToken cancellationToken)
    {
        var store = new PkiStore(settings.Pki);
        var entries = store.Entries();
        if (entries.Count == 0)
        {
            console.WriteLine($"{store.Folder} holds no certificate yet: an application makes its own at its first start, and peers it refuses appear in rejected.");
            return 0;
        }

        var table = new Table().AddColumns("List", "Thumbprint", "Subject", "Application URI", "Valid (UTC)");
        foreach (var e in entries)
        {
            table.AddRow(
                e.List,
                e.Thumbprint,
                Markup.Escape(e.Subject),
                Markup.Escape(e.ApplicationUri ?? "-"),
                string.Create(CultureInfo.InvariantCulture, $"{e.NotBefore:yyyy-MM-dd} to {e.NotAfter:yyyy-MM-dd}"));
        }

        console.Write(table);
        return 0;
    }
}

/// <summary><c>factory pki trust</c>: a refused certificate moves from rejected to trusted.</summary>
public sealed class PkiTrustCommand(IAnsiConsole console) : Command<PkiCertificateSettings>
{
    public override int Execute(CommandContext context, PkiCertificateSettings settings, CancellationToken cancellationToken) =>
        PkiDecision.Run(console, () => new PkiStore(settings.Pki).Trust(settings.Thumbprint), "trusted: the peer is accepted from its next connection");
}

/// <summary><c>factory pki reject</c>: a trusted certificate moves to rejected.</summary>
public sealed class PkiRejectCommand(IAnsiConsole console) : Command<PkiCertificateSettings>
{
    public override int Execute(CommandContext context, PkiCertificateSettings settings, CancellationToken cancellationToken) =>
        PkiDecision.Run(console, () => new PkiStore(settings.Pki).Reject(settings.Thumbprint), "rejected: the peer is refused from its next connection");
}

internal static class PkiDecision
{
    public static int Run(IAnsiConsole console, Func<PkiEntry> decide, string done)
    {
        try
        {
            var entry = decide();
            console.WriteLine($"{entry.Subject} ({entry.Thumbprint}, {entry.ApplicationUri ?? "no application URI"}) {done}.");
            return 0;
        }
        catch (PkiException e)
        {
            console.Write(new Text(e.Message + Environment.NewLine, new Style(Color.Red)));
            return 1;
        }
    }
}
