using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Factory.Edge.Alarms;

/// <summary>
/// The durable alarm journal of a line: an append-only file of <see cref="AlarmBookEvent"/>s, one
/// checksummed JSON line each (<c>cccccccc {json}</c>, see docs/alarms.md). An append counts only
/// once it is on disk: <see cref="AppendAsync"/> completes after the records are written and the
/// file is flushed to disk (fsync). Appends that arrive while a flush is under way are written
/// and flushed together (group commit), so many appends cost one flush. The writing runs on its
/// own task: a caller that does not await is never held up by the disk.
/// </summary>
/// <remarks>
/// <see cref="Open"/> repairs what a power loss can leave: a last record cut short, or garbage
/// after the last whole record, is reported (file, byte offset, line) and cut off; a record whose
/// newline alone was lost is completed. A damaged record in the middle of the file (a bad
/// checksum with good records after it) is reported and skipped, and every good record before
/// and after it is kept: each record carries its own checksum, so those after it are as
/// trustworthy as those before. The file is then left as it is, for inspection.
/// </remarks>
public sealed class AlarmJournal : IAsyncDisposable, IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly ILogger _logger;
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly List<JournalProblem> _problems = [];
    private readonly HashSet<(long, JournalProblemKind)> _reported = [];
    private long _length;
    private long _commits;
    private long _records;
    private bool _tailDirty;

    private AlarmJournal(string path, SafeFileHandle file, long length, ILogger logger)
    {
        Path = path;
        _file = file;
        _length = length;
        _logger = logger;

        // A thread of its own: it blocks in fsync, which would hold up a thread-pool thread (and
        // whatever work waits behind it) for the flush.
        _writer = new Thread(Write) { IsBackground = true, Name = $"alarm journal {System.IO.Path.GetFileName(path)}" };
        _writer.Start();
    }

    /// <summary>The full path of the journal file.</summary>
    public string Path { get; }

    /// <summary>Bytes of the file that are durable: everything appended whose <see cref="AppendAsync"/> completed.</summary>
    public long Length => Interlocked.Read(ref _length);

    /// <summary>Flushes to disk so far (one per group of appends written together).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Records appended and flushed since the journal was opened.</summary>
    public long RecordsAppended => Interlocked.Read(ref _records);

    /// <summary>What was found wrong with the file when it was opened and read, each also logged once as a warning.</summary>
    public IReadOnlyList<JournalProblem> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>
    /// Opens the journal at <paramref name="path"/>, creating it (and its directory) if missing,
    /// and repairs a damaged end (see the remarks of the class). Only one journal may have a file
    /// open at a time.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened, e.g. another journal has it open.</exception>
    public static AlarmJournal Open(string path, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var fullPath = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(fullPath)!;
        var newDirectory = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        var created = !File.Exists(fullPath);

        // Two writers would interleave their records. FileShare.None is an exclusive flock on
        // Linux: a second journal (or any .NET program) cannot open the file; tail still reads it.
        var file = File.OpenHandle(fullPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            if (created)
            {
                // The file, the directory that names it, and the directory's parent if the
                // directory is new too: all on disk before the first append can count.
                RandomAccess.FlushToDisk(file);
                DirectorySync.Flush(directory);
                if (newDirectory && System.IO.Path.GetDirectoryName(directory) is { } parent)
                {
                    DirectorySync.Flush(parent);
                }
            }

            var length = RandomAccess.GetLength(file);
            var scan = JournalRecord.Scan(file, length, readEvents: false);
            var journal = new AlarmJournal(fullPath, file, length, logger);
            journal.Repair(scan, length);
            return journal;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every event of the journal that can be read, in order, to rebuild the line's
    /// <see cref="AlarmBook"/> (<see cref="AlarmBook.Replay"/>). Damaged records are skipped and
    /// reported in <see cref="Problems"/>, as are gaps in the sequence numbers they leave.
    /// </summary>
    public IReadOnlyList<AlarmBookEvent> ReadAll()
    {
        var scan = JournalRecord.Scan(_file, Length, readEvents: true);
        foreach (var (offset, line, length, goodBefore, reason) in scan.Damaged)
        {
            Report(JournalProblemKind.DamagedRecord, offset, line, Damaged(offset, line, length, reason, goodBefore, scan.Good - goodBefore));
        }

        foreach (var (offset, line, reason) in scan.Unreadable)
        {
            Report(JournalProblemKind.UnreadableRecord, offset, line, $"the record at byte {offset} (line {line}) is whole but holds no alarm event this version reads ({reason}); it is skipped");
        }

        long previous = 0;
        foreach (var e in scan.Events)
        {
            if (e.Sequence != previous + 1 && previous != 0)
            {
                Report(
                    JournalProblemKind.SequenceGap, e.Sequence, 0,
                    e.Sequence > previous
                        ? (e.Sequence - previous == 2 ? $"event {previous + 1} is missing" : $"events {previous + 1} to {e.Sequence - 1} are missing") + " (lost with a damaged record)"
                        : $"event {e.Sequence} comes after {previous}, out of order; replay ignores events already applied");
            }

            previous = e.Sequence;
        }

        return scan.Events;
    }

    /// <summary>
    /// Appends <paramref name="events"/> in order; completes once they are on disk (written and
    /// flushed). Fails with an <see cref="IOException"/> if the disk refused them; then nothing of
    /// them counts, and the next append starts where the last durable record ended. Cancelling
    /// stops the waiting, not the write.
    /// </summary>
    public Task AppendAsync(IReadOnlyList<AlarmBookEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        var append = new PendingAppend(events);
        if (!_appends.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(AlarmJournal), $"The alarm journal {Path} is closed.");
        }

        return append.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Appends and waits until the events are on disk: for start-up and tests, not for an actor's message loop.</summary>
    public void Append(IReadOnlyList<AlarmBookEvent> events) => AppendAsync(events).GetAwaiter().GetResult();

    /// <summary>Writes what was appended, waits for the last flush, closes the file.</summary>
    public void Dispose()
    {
        _appends.Writer.TryComplete();
        _writer.Join();
        _file.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Repair(JournalScan scan, long length)
    {
        foreach (var (offset, line, size, goodBefore, reason) in scan.Damaged.Where(d => d.Offset < scan.GoodEnd))
        {
            Report(JournalProblemKind.DamagedRecord, offset, line, Damaged(offset, line, size, reason, goodBefore, scan.Good - goodBefore));
        }

        if (scan.Damaged.FirstOrDefault(d => d.Offset >= scan.GoodEnd) is { Reason: not null } torn)
        {
            Report(
                JournalProblemKind.TornRecord, torn.Offset, torn.Line,
                $"the last record, at byte {torn.Offset} (line {torn.Line}), is incomplete or damaged ({torn.Reason}; power lost while it was written?): the {length - scan.GoodEnd} bytes from there to the end are cut off; kept: {Records(scan.Good)} before it");
            RandomAccess.SetLength(_file, scan.GoodEnd);
            RandomAccess.FlushToDisk(_file);
            _length = scan.GoodEnd;
        }

        if (scan.GoodEndUnterminated)
        {
            // The record is whole (its checksum holds); only its newline was lost.
            RandomAccess.Write(_file, "\n"u8, scan.GoodEnd);
            RandomAccess.FlushToDisk(_file);
            _length = scan.GoodEnd + 1;
        }
    }

    private static string Damaged(long offset, int line, int length, string reason, int before, int after) =>
        $"the record at byte {offset} (line {line}, {length} bytes) is damaged ({reason}) and is skipped; kept: {Records(before)} before it and {Records(after)} after it; the file is left as it is";

    private static string Records(int count) => count == 1 ? "1 record" : $"{count} records";

    private void Report(JournalProblemKind kind, long offset, int line, string what)
    {
        lock (_problems)
        {
            if (!_reported.Add((offset, kind)))
            {
                return;
            }

            var problem = new JournalProblem(Path, offset, line, kind, $"Alarm journal {Path}: {what}.");
            _problems.Add(problem);
            _logger.LogWarning("{Problem}", problem.Message);
        }
    }

    private void Write()
    {
        var batch = new List<PendingAppend>();
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        var records = new ArrayBufferWriter<byte>(4096);
        var scratch = new ArrayBufferWriter<byte>(1024);
        // Units such as m³/h and °C stay readable in the file instead of \u00B3.
        using var json = new Utf8JsonWriter(scratch, new JsonWriterOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) });
        while (WaitForAppends())
        {
            batch.Clear();
            output.ResetWrittenCount();
            var count = 0;
            while (_appends.Reader.TryRead(out var append))
            {
                records.ResetWrittenCount();
                try
                {
                    foreach (var e in append.Events)
                    {
                        JournalRecord.Write(e, records, scratch, json);
                    }
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
                {
                    // An event that cannot be written (a NaN value) fails its own append only.
                    append.Done.TrySetException(new ArgumentException($"An alarm event of this append cannot be written to the journal {Path}: {e.Message}", "events", e));
                    continue;
                }

                output.Write(records.WrittenSpan);
                count += append.Events.Count;
                batch.Add(append);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                if (_tailDirty)
                {
                    // A failed write may have left part of a record behind the durable end.
                    RandomAccess.SetLength(_file, _length);
                    _tailDirty = false;
                }

                RandomAccess.Write(_file, output.WrittenSpan, _length);
                RandomAccess.FlushToDisk(_file);
                Interlocked.Add(ref _length, output.WrittenCount);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _records, count);
                foreach (var append in batch)
                {
                    append.Done.TrySetResult();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _tailDirty = true;
                _logger.LogError(e, "Writing {Records} alarm events to the journal {Path} failed", count, Path);
                var failure = new IOException($"Writing {count} alarm events to the journal {Path} failed: {e.Message}", e);
                foreach (var append in batch)
                {
                    append.Done.TrySetException(failure);
                }
            }
        }
    }

    private bool WaitForAppends()
    {
        var wait = _appends.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private sealed class PendingAppend(IReadOnlyList<AlarmBookEvent> events)
    {
        public IReadOnlyList<AlarmBookEvent> Events { get; } = events;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Something wrong found in an alarm journal file.</summary>
/// <param name="File">The journal file.</param>
/// <param name="Offset">The byte offset of the record in the file (for a sequence gap, the sequence number after it).</param>
/// <param name="Line">The line number of the record, from 1; 0 for a sequence gap.</param>
/// <param name="Message">The whole warning, naming file and offset.</param>
public sealed record JournalProblem(string File, long Offset, int Line, JournalProblemKind Kind, string Message);

public enum JournalProblemKind
{
    /// <summary>The end of the file is an incomplete or damaged record (power loss while writing); cut off.</summary>
    TornRecord,

    /// <summary>A damaged record with good records after it; skipped, the file left as it is.</summary>
    DamagedRecord,

    /// <summary>A whole record (checksum holds) that holds no event this version reads; skipped.</summary>
    UnreadableRecord,

    /// <summary>Sequence numbers missing between two records read (left by damaged records).</summary>
    SequenceGap,
}
