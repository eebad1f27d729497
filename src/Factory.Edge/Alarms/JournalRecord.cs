using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Factory.Edge.Alarms;

/// <summary>
/// One record of the alarm journal: a line <c>cccccccc {json}\n</c>, where <c>cccccccc</c> is the
/// CRC-32 of the JSON's UTF-8 bytes in lower-case hex. Lines keep the file readable with
/// <c>tail</c> and let a reader find the next record after a damaged one; the checksum tells a
/// record cut short or garbled from a whole one.
/// </summary>
internal static class JournalRecord
{
    private const int ChecksumLength = 8;

    /// <summary>Appends the record of <paramref name="e"/> to <paramref name="output"/>.</summary>
    public static void Write(AlarmBookEvent e, ArrayBufferWriter<byte> output, ArrayBufferWriter<byte> scratch, Utf8JsonWriter json)
    {
        scratch.ResetWrittenCount();
        json.Reset(scratch);
        JsonSerializer.Serialize(json, e, AlarmJournalJson.Default.AlarmBookEvent);
        json.Flush();
        var body = scratch.WrittenSpan;
        var line = output.GetSpan(ChecksumLength + 2 + body.Length);
        Utf8Formatter.TryFormat(Crc32.Compute(body), line, out _, new StandardFormat('x', ChecksumLength));
        line[ChecksumLength] = (byte)' ';
        body.CopyTo(line[(ChecksumLength + 1)..]);
        line[ChecksumLength + 1 + body.Length] = (byte)'\n';
        output.Advance(ChecksumLength + 2 + body.Length);
    }

    /// <summary>Checks a line (without its newline); null if its checksum holds, else what is wrong.</summary>
    public static string? Check(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (line.IsEmpty)
        {
            return "an empty line";
        }

        if (line.Length < ChecksumLength + 3 || line[ChecksumLength] != (byte)' '
            || !Utf8Parser.TryParse(line[..ChecksumLength], out uint stored, out var consumed, 'x') || consumed != ChecksumLength)
        {
            return "no checksum at its start";
        }

        body = line[(ChecksumLength + 1)..];
        var actual = Crc32.Compute(body);
        return actual == stored ? null : $"its checksum is {stored:x8} but its content sums to {actual:x8}";
    }

    /// <summary>Reads the event of a record whose checksum holds; null with the reason if it is no event this version knows.</summary>
    public static AlarmBookEvent? Read(ReadOnlySpan<byte> body, out string? error)
    {
        try
        {
            var e = JsonSerializer.Deserialize(body, AlarmJournalJson.Default.AlarmBookEvent);
            error = e is null ? "it holds null" : null;
            return e;
        }
        catch (JsonException exception)
        {
            error = exception.Message;
            return null;
        }
        catch (NotSupportedException exception)
        {
            // A "type" this version does not know.
            error = exception.Message;
            return null;
        }
    }

    /// <summary>Reads the lines of <paramref name="file"/> up to <paramref name="length"/> and checks each.</summary>
    public static JournalScan Scan(SafeFileHandle file, long length, bool readEvents)
    {
        var scan = new JournalScan(readEvents);
        var buffer = new byte[1 << 16];
        var line = new ArrayBufferWriter<byte>(1024);
        long position = 0, lineStart = 0;
        while (position < length)
        {
            var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - position)), position);
            if (read == 0)
            {
                break;
            }

            var span = buffer.AsSpan(0, read);
            while (!span.IsEmpty)
            {
                var newline = span.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    line.Write(span);
                    break;
                }

                line.Write(span[..newline]);
                scan.Add(lineStart, line.WrittenSpan, terminated: true);
                lineStart += line.WrittenCount + 1;
                line.ResetWrittenCount();
                span = span[(newline + 1)..];
            }

            position += read;
        }

        if (line.WrittenCount > 0)
        {
            scan.Add(lineStart, line.WrittenSpan, terminated: false);
        }

        return scan;
    }
}

/// <summary>What <see cref="JournalRecord.Scan"/> found.</summary>
internal sealed class JournalScan(bool readEvents)
{
    private int _lines;

    public List<AlarmBookEvent> Events { get; } = [];

    /// <summary>Lines whose checksum does not hold (or with none), with the number of good records before each.</summary>
    public List<(long Offset, int Line, int Length, int GoodBefore, string Reason)> Damaged { get; } = [];

    /// <summary>Lines whose checksum holds but which hold no event this version reads.</summary>
    public List<(long Offset, int Line, string Reason)> Unreadable { get; } = [];

    /// <summary>Records whose checksum holds.</summary>
    public int Good { get; private set; }

    /// <summary>The end of the last record whose checksum holds (after its newline).</summary>
    public long GoodEnd { get; private set; }

    /// <summary>The last good record has no newline (cut right before it); the newline is to be added.</summary>
    public bool GoodEndUnterminated { get; private set; }

    public void Add(long offset, ReadOnlySpan<byte> line, bool terminated)
    {
        _lines++;
        if (JournalRecord.Check(line, out var body) is { } damage)
        {
            Damaged.Add((offset, _lines, line.Length + (terminated ? 1 : 0), Good, damage));
            return;
        }

        Good++;
        GoodEnd = offset + line.Length + (terminated ? 1 : 0);
        GoodEndUnterminated = !terminated;
        if (readEvents)
        {
            if (JournalRecord.Read(body, out var error) is { } e)
            {
                Events.Add(e);
            }
            else
            {
                Unreadable.Add((offset, _lines, error!));
            }
        }
    }
}
