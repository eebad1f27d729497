using System.Buffers.Binary;
using System.Text;
using Factory.Edge.Alarms;

namespace Factory.Edge.Outbox;

/// <summary>What the outbox did to a record besides appending it.</summary>
[Flags]
internal enum FrameFlags : byte
{
    None = 0,

    /// <summary>A summary merged from finer ones by quota step 1: not counted as appended.</summary>
    Downsampled = 1,

    /// <summary>A copy of a live record moved out of a segment being compacted: same sequence, not counted again.</summary>
    Relocated = 2,
}

/// <summary>
/// One record in a segment file, little-endian (docs/outbox.md):
/// <c>magic "OBX1" | payload length u32 | CRC-32 of the payload u32 | payload</c>, the payload being
/// <c>sequence i64 | time (UTC ticks) i64 | source sequence i64 | flags u8 | kind length u8 | kind | body</c>.
/// The magic lets a reader find the next record after a damaged one whose length cannot be trusted.
/// </summary>
internal static class OutboxFrame
{
    public const uint Magic = 0x3158424F; // "OBX1"
    public const int Header = 12;
    public const int Fixed = 26;

    public static int Length(int kindBytes, int bodyBytes) => Header + Fixed + kindBytes + bodyBytes;

    /// <summary>Writes a frame without its checksum (<see cref="Seal"/> adds it, off the appending thread).</summary>
    public static void Write(Span<byte> frame, long sequence, long timeTicks, long sourceSequence, FrameFlags flags, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> body)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], Fixed + kind.Length + body.Length);
        var payload = frame[Header..];
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], timeTicks);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], sourceSequence);
        payload[24] = (byte)flags;
        payload[25] = (byte)kind.Length;
        kind.CopyTo(payload[Fixed..]);
        body.CopyTo(payload[(Fixed + kind.Length)..]);
    }

    /// <summary>Sets the flags of a whole frame and recomputes its checksum.</summary>
    public static void SetFlags(Span<byte> frame, FrameFlags flags)
    {
        frame[Header + 24] = (byte)flags;
        Seal(frame);
    }

    public static void Seal(Span<byte> frame) =>
        BinaryPrimitives.WriteUInt32LittleEndian(frame[8..], Crc32.Compute(frame[Header..]));

    /// <summary>Reads the frame at <paramref name="offset"/>; false if there is no whole, undamaged frame there.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, int offset, out ScannedFrame frame)
    {
        frame = default;
        if (data.Length - offset < Header + Fixed || BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) != Magic)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data[(offset + 4)..]);
        if (length < Fixed || length > data.Length - offset - Header)
        {
            return false;
        }

        var payload = data.Slice(offset + Header, length);
        if (Crc32.Compute(payload) != BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 8)..]))
        {
            return false;
        }

        var kindLength = payload[25];
        if (kindLength == 0 || Fixed + kindLength > length)
        {
            return false;
        }

        frame = new ScannedFrame(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
            (FrameFlags)payload[24],
            Encoding.UTF8.GetString(payload.Slice(Fixed, kindLength)),
            offset,
            Header + length,
            offset + Header + Fixed + kindLength,
            length - Fixed - kindLength);
        return true;
    }

    /// <summary>The offset of the next undamaged frame at or after <paramref name="from"/>, or -1.</summary>
    public static int FindNext(ReadOnlySpan<byte> data, int from)
    {
        ReadOnlySpan<byte> magic = "OBX1"u8;
        while (from < data.Length)
        {
            var found = data[from..].IndexOf(magic);
            if (found < 0)
            {
                return -1;
            }

            if (TryRead(data, from + found, out _))
            {
                return from + found;
            }

            from += found + 1;
        }

        return -1;
    }
}

/// <summary>A frame found in a segment file.</summary>
internal readonly record struct ScannedFrame(long Sequence, long TimeTicks, long SourceSequence, FrameFlags Flags, string Kind, int FrameOffset, int FrameLength, int BodyOffset, int BodyLength);
