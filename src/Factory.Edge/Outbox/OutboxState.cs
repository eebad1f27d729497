using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Factory.Contracts.Link;
using Factory.Edge.Alarms;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Factory.Edge.Outbox;

/// <summary>
/// What the outbox remembers beyond its segment files: the sequences acknowledged or evicted that
/// may still be in a segment, the counters since the outbox was created, the last sequence given
/// out and the highest alarm-journal sequence appended.
/// </summary>
internal sealed class OutboxState
{
    public long LastSequence { get; set; }

    /// <summary>Records up to this sequence are counted in <see cref="AppendedByKind"/>; those after it are counted from the segments at open.</summary>
    public long CountedThrough { get; set; }

    public long LastAlarmSequence { get; set; }

    public long Acknowledged { get; set; }

    public long Downsampled { get; set; }

    public Dictionary<string, long> AppendedByKind { get; set; } = [];

    public Dictionary<string, long> EvictedByKind { get; set; } = [];

    /// <summary>Acknowledged or evicted, merged and ascending.</summary>
    public List<SequenceRange> Removed { get; set; } = [];

    public OutboxState Copy() => new()
    {
        LastSequence = LastSequence,
        CountedThrough = CountedThrough,
        LastAlarmSequence = LastAlarmSequence,
        Acknowledged = Acknowledged,
        Downsampled = Downsampled,
        AppendedByKind = new(AppendedByKind),
        EvictedByKind = new(EvictedByKind),
        Removed = [.. Removed],
    };
}

/// <summary>
/// <c>outbox.state</c>: an append-only log of <see cref="OutboxState"/> snapshots, one checksummed
/// JSON line each (<c>cccccccc {json}</c>, the CRC-32 of the JSON in hex, as the alarm journal writes
/// its records). The last undamaged line counts, so a save cut short by a crash leaves the one
/// before it. Past <see cref="CompactAt"/> bytes the log is rewritten as one line (temporary file,
/// fsync, rename, directory fsync). Losing it costs duplicates, never records: what was
/// acknowledged is sent again, and the cloud keeps one copy.
/// </summary>
internal sealed class OutboxStateLog : IDisposable
{
    public const string FileName = "outbox.state";
    private const int CompactAt = 1 << 20;

    private readonly string _directory;
    private SafeFileHandle _file;
    private long _length;

    private OutboxStateLog(string directory, SafeFileHandle file, long length)
    {
        _directory = directory;
        _file = file;
        _length = length;
    }

    public string Path => System.IO.Path.Combine(_directory, FileName);

    /// <summary>Opens the log and reads the newest state; an unreadable log is logged and gives an empty state.</summary>
    public static (OutboxStateLog Log, OutboxState State, bool Trusted) Open(string directory, ILogger logger)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        var data = new byte[length];
        _ = RandomAccess.Read(file, data, 0);
        var (state, damaged, lastOffset) = Parse(data);
        var log = new OutboxStateLog(directory, file, length);
        if (state is null && length > 0)
        {
            logger.LogError(
                "Outbox state {File} ({Bytes} bytes) holds no readable state: records already acknowledged will be sent again (the cloud keeps one copy), the appended and evicted counters restart from what the segment files hold",
                path, length);
            return (log, new OutboxState(), false);
        }

        if (damaged > 0)
        {
            logger.LogWarning("Outbox state {File}: {Damaged} damaged lines skipped (the last cut short by a crash?); the state saved at offset {Offset} is used", path, damaged, lastOffset);
        }

        return (log, state ?? new OutboxState(), true);
    }

    public void Save(OutboxState state)
    {
        var line = Line(state);
        if (_length + line.Length > CompactAt)
        {
            Rewrite(line);
            return;
        }

        RandomAccess.Write(_file, line, _length);
        RandomAccess.FlushToDisk(_file);
        _length += line.Length;
    }

    public void Dispose() => _file.Dispose();

    private void Rewrite(byte[] line)
    {
        var temporary = Path + ".tmp";
        using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(file, line, 0);
            RandomAccess.FlushToDisk(file);
        }

        File.Move(temporary, Path, overwrite: true);
        DirectorySync.Flush(_directory);
        _file.Dispose();
        _file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        _length = line.Length;
    }

    private static byte[] Line(OutboxState state)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(state, OutboxStateJson.Default.OutboxState);
        var line = new byte[9 + json.Length + 1];
        Encoding.ASCII.GetBytes(Crc32.Compute(json).ToString("x8", CultureInfo.InvariantCulture), line);
        line[8] = (byte)' ';
        json.CopyTo(line, 9);
        line[^1] = (byte)'\n';
        return line;
    }

    private static (OutboxState? State, int Damaged, long Offset) Parse(byte[] data)
    {
        OutboxState? state = null;
        long stateOffset = 0;
        var damaged = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            var end = Array.IndexOf(data, (byte)'\n', offset);
            var line = data.AsSpan(offset, (end < 0 ? data.Length : end) - offset);
            if (TryParse(line) is { } parsed)
            {
                state = parsed;
                stateOffset = offset;
            }
            else if (line.Length > 0)
            {
                damaged++;
            }

            offset = end < 0 ? data.Length : end + 1;
        }

        return (state, damaged, stateOffset);
    }

    private static OutboxState? TryParse(ReadOnlySpan<byte> line)
    {
        if (line.Length < 10 || line[8] != (byte)' '
            || !uint.TryParse(Encoding.ASCII.GetString(line[..8]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var crc)
            || Crc32.Compute(line[9..]) != crc)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line[9..], OutboxStateJson.Default.OutboxState);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OutboxState))]
internal sealed partial class OutboxStateJson : JsonSerializerContext;
