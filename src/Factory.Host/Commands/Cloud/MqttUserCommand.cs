using System.ComponentModel;
using Factory.Cloud.Broker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Cloud;

public sealed class MqttUserSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The broker's password file (Mosquitto's format); made if missing")]
    public string File { get; init; } = "";

    [CommandArgument(1, "<USER>")]
    [Description("The user to add, or whose password to change")]
    public string User { get; init; } = "";

    [CommandOption("--remove")]
    [Description("Remove the user instead")]
    public bool Remove { get; init; }

    public override ValidationResult Validate() =>
        User.Length == 0 || User.Contains(':', StringComparison.Ordinal) || User.Any(char.IsWhiteSpace)
            ? ValidationResult.Error($"'{User}' cannot be a broker user: no ':' and no spaces")
            : ValidationResult.Success();
}

/// <summary>
/// <c>factory mqtt-user</c>: adds a user to a broker password file, changes their password, or
/// removes them, as <c>mosquitto_passwd</c> does, so that the embedded broker needs no Mosquitto
/// installed. The password is asked for twice, never taken from an argument.
/// </summary>
public sealed class MqttUserCommand(IAnsiConsole console) : Command<MqttUserSettings>
{
    public override int Execute(CommandContext context, MqttUserSettings settings, CancellationToken cancellationToken)
    {
        var lines = System.IO.File.Exists(settings.File) ? System.IO.File.ReadAllLines(settings.File).ToList() : [];
        var at = lines.FindIndex(l => l.StartsWith(settings.User + ":", StringComparison.Ordinal));
        if (settings.Remove)
        {
            if (at < 0)
            {
                console.Write(new Text($"{settings.File} has no user '{settings.User}'.{Environment.NewLine}", new Style(Color.Red)));
                return 1;
            }

            lines.RemoveAt(at);
            Save(settings.File, lines);
            console.WriteLine($"'{settings.User}' removed from {settings.File}: the broker refuses them once it reads the file again (at its restart).");
            return 0;
        }

        var password = console.Prompt(new TextPrompt<string>($"Password for '{settings.User}':").Secret());
        var again = console.Prompt(new TextPrompt<string>("Again:").Secret());
        if (password != again)
        {
            console.Write(new Text($"The two passwords differ; {settings.File} is unchanged.{Environment.NewLine}", new Style(Color.Red)));
            return 1;
        }

        if (password.Length < 12)
        {
            console.Write(new Text($"The password has {password.Length} characters; at least 12 are needed. {settings.File} is unchanged.{Environment.NewLine}", new Style(Color.Red)));
            return 1;
        }

        var line = BrokerPasswordFile.Line(settings.User, password);
        if (at < 0)
        {
            lines.Add(line);
        }
        else
        {
            lines[at] = line;
        }

        Save(settings.File, lines);
        console.WriteLine($"'{settings.User}' {(at < 0 ? "added to" : "has a new password in")} {settings.File} (only its PBKDF2 hash is kept).");
        return 0;
    }

    private static void Save(string path, List<string> lines)
    {
        System.IO.File.WriteAllLines(path, lines);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
