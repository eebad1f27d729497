using System.ComponentModel;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Factory.Plant.Config;
using Factory.Plant.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Config;

public sealed class ValidateSettings : CommandSettings
{
    [CommandArgument(0, "<file>")]
    [Description("The plant configuration, e.g. plant-config/sample-plant.yaml")]
    public string File { get; init; } = "";

    [CommandOption("--json")]
    [Description("Print the result as JSON (file, valid, errors with line, column, path, message), for scripts and CI")]
    public bool Json { get; init; }
}

/// <summary>
/// <c>factory config validate</c>: checks a plant configuration the way every start does and prints
/// every error in the compiler format <c>file:line:column: path: message</c>, so an editor can jump
/// to each. Exit code 0 when valid, 1 otherwise.
/// </summary>
public sealed class ValidateCommand(IAnsiConsole console) : Command<ValidateSettings>
{
    public override int Execute(CommandContext context, ValidateSettings settings, CancellationToken cancellationToken)
    {
        PlantConfig plant;
        try
        {
            plant = PlantConfigLoader.Load(settings.File);
        }
        catch (PlantConfigException e)
        {
            if (settings.Json)
            {
                WriteJson(settings.File, null, e.Errors);
            }
            else
            {
                foreach (var error in e.Errors)
                {
                    Line(error.ToString());
                }

                Line($"{settings.File}: {Count(e.Errors.Count, "error")}");
            }

            return 1;
        }

        if (settings.Json)
        {
            WriteJson(settings.File, plant, []);
        }
        else
        {
            var lines = plant.Lines.Count();
            var machines = plant.Machines.Count();
            var sensors = plant.Machines.Sum(m => m.Sensors.Count);
            Line($"{settings.File}: valid ({Count(1, "site")}, {Count(lines, "line")}, {Count(machines, "machine")}, {Count(sensors, "sensor")})");
        }

        return 0;
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>
    /// Writes one line as it is: never wrapped at the console width (an editor or script reads one
    /// error per line) and never parsed as markup ("[red]" in a value prints as written).
    /// </summary>
    private void Line(string text)
    {
        console.Profile.Out.Writer.WriteLine(text);
        console.Profile.Out.Writer.Flush();
    }

    private void WriteJson(string file, PlantConfig? plant, IReadOnlyList<ConfigError> errors)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteBoolean("valid", errors.Count == 0);
            if (plant is not null)
            {
                w.WriteNumber("sites", 1);
                w.WriteNumber("areas", plant.Site.Areas.Count);
                w.WriteNumber("lines", plant.Lines.Count());
                w.WriteNumber("machines", plant.Machines.Count());
                w.WriteNumber("sensors", plant.Machines.Sum(m => m.Sensors.Count));
            }

            w.WriteStartArray("errors");
            foreach (var error in errors)
            {
                w.WriteStartObject();
                w.WriteString("file", error.File);
                w.WriteNumber("line", error.Line);
                w.WriteNumber("column", error.Column);
                w.WriteString("path", error.Path);
                w.WriteString("message", error.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        Line(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
