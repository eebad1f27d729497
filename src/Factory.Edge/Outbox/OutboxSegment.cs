using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Factory.Edge.Outbox;

/// <summary>
/// One segment file, <c>outbox-NNNNNN.seg</c>: frames appended by the writer only, read by
/// <see cref="EdgeOutbox.Take"/>, deleted once none of its records is live any more.
/// </summary>
internal sealed class OutboxSegment : IDisposable
{
    private const string Prefix = "outbox-";
    private const string Extension = ".seg";

    private OutboxSegment(string path, int index, SafeFileHandle handle, long length)
    {
        Path = path;
        Index = index;
        Handle = handle;
        Length = length;
    }

    public string Path { get; }

    public int Index { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>Bytes written and flushed to disk.</summary>
    public long Length { get; set; }

    /// <summary>Records of this segment not yet acknowledged or evicted (in flight included).</summary>
    public int Live { get; set; }

    /// <summary>The frame bytes of those records.</summary>
    public long LiveBytes { get; set; }

    /// <summary>The lowest sequence written to this segment (acknowledgements below every segment's are not needed any more).</summary>
    public long MinSequence { get; set; } = long.MaxValue;

    /// <summary>The highest sequence written to this segment.</summary>
    public long MaxSequence { get; set; }

    public static string FileName(int index) => $"{Prefix}{index.ToString("D6", CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>The segment files of a directory, oldest first.</summary>
    public static IReadOnlyList<(string Path, int Index)> List(string directory) =>
        [.. Directory.GetFiles(directory, $"{Prefix}*{Extension}")
            .Select(f => (Path: f, Name: System.IO.Path.GetFileNameWithoutExtension(f)))
            .Select(f => (f.Path, Index: int.TryParse(f.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1))
            .Where(f => f.Index > 0)
            .OrderBy(f => f.Index)];

    public static OutboxSegment Open(string path, int index)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        return new OutboxSegment(path, index, handle, RandomAccess.GetLength(handle));
    }

    public static OutboxSegment Create(string directory, int index)
    {
        var path = System.IO.Path.Combine(directory, FileName(index));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        return new OutboxSegment(path, index, handle, 0);
    }

    /// <summary>
    /// Every undamaged frame of the file. A damaged frame with undamaged ones after it is logged
    /// (file, offset) and skipped; damaged bytes at the end (a write cut short by a crash) are
    /// logged and cut off, so that the file ends with a whole frame again.
    /// </summary>
    public List<ScannedFrame> Scan(ILogger logger)
    {
        var data = new byte[Length];
        var read = 0;
        while (read < data.Length)
        {
            var n = RandomAccess.Read(Handle, data.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var frames = new List<ScannedFrame>();
        var offset = 0;
        while (offset < read)
        {
            if (OutboxFrame.TryRead(data.AsSpan(0, read), offset, out var frame))
            {
                frames.Add(frame);
                offset += frame.FrameLength;
                continue;
            }

            var next = OutboxFrame.FindNext(data.AsSpan(0, read), offset + 1);
            if (next < 0)
            {
                logger.LogWarning(
                    "Outbox segment {File}: the {Bytes} bytes from offset {Offset} to the end are not a whole record (a write cut short by a crash?); cut off, {Records} records before them kept",
                    Path, read - offset, offset, frames.Count);
                RandomAccess.SetLength(Handle, offset);
                RandomAccess.FlushToDisk(Handle);
                Length = offset;
                break;
            }

            logger.LogError(
                "Outbox segment {File}: the record at offset {Offset} is damaged ({Bytes} bytes up to the next whole record); skipped, the records after it are kept",
                Path, offset, next - offset);
            offset = next;
        }

        return frames;
    }

    public void Dispose() => Handle.Dispose();
}
