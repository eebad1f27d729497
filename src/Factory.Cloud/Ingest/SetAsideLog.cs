using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Cloud.Ingest;

/// <summary>One message or record the cloud could not read, kept for a person to look at.</summary>
/// <param name="Time">When it was set aside.</param>
/// <param name="Topic">The MQTT topic it came on.</param>
/// <param name="Reason">Why it could not be read, naming what and where.</param>
/// <param name="Payload">The message or the record's body: as text when it is UTF-8, otherwise base64 with <see cref="Base64"/> set.</param>
public sealed record SetAsideEntry(DateTimeOffset Time, string Topic, string Reason, string Payload, bool Base64);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SetAsideEntry))]
internal sealed partial class SetAsideJson : JsonSerializerContext;

/// <summary>
/// Where unreadable messages and records go (<c>set-aside.jsonl</c> in the cloud's data folder, one
/// JSON object per line), so that the stream goes on and nothing is silently dropped. Thread-safe.
/// </summary>
public sealed class SetAsideLog
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    // Read by people: quotes and accents as they are, not as \u escapes (it is a file, never HTML).
    private static readonly JsonSerializerOptions Json = new(SetAsideJson.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = SetAsideJson.Default };
    private readonly Lock _lock = new();
    private readonly List<SetAsideEntry> _recent = [];

    public SetAsideLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
    }

    public const string FileName = "set-aside.jsonl";

    public string Path { get; }

    /// <summary>How many entries were written since the cloud started.</summary>
    public long Count { get; private set; }

    /// <summary>The newest entries (at most 100), newest last.</summary>
    public IReadOnlyList<SetAsideEntry> Recent()
    {
        lock (_lock)
        {
            return [.. _recent];
        }
    }

    public void Add(DateTimeOffset time, string topic, string reason, ReadOnlySpan<byte> payload)
    {
        string text;
        var base64 = false;
        try
        {
            text = StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            text = Convert.ToBase64String(payload);
            base64 = true;
        }

        Add(new SetAsideEntry(time, topic, reason, text, base64));
    }

    public void Add(SetAsideEntry entry)
    {
        var line = JsonSerializer.Serialize(entry, Json) + "\n";
        lock (_lock)
        {
            using (var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            Count++;
            _recent.Add(entry);
            if (_recent.Count > 100)
            {
                _recent.RemoveAt(0);
            }
        }
    }
}
