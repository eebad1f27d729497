using System.Text.Json;

namespace Factory.Host.Commands.Models;

/// <summary>The one-line JSON object an evaluation command prints last, for scripts to read.</summary>
internal static class JsonLine
{
    /// <summary><c>{"name": value, ...}</c> in the order given, compact.</summary>
    public static string Of(params (string Name, double Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
