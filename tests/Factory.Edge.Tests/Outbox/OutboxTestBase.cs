using System.Text;
using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Outbox;
using Factory.Edge.Tests.Alarms.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Factory.Edge.Tests.Outbox;

/// <summary>An outbox in a fresh folder, its log kept, its clock a fake one.</summary>
public abstract class OutboxTestBase : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private readonly TemporaryDirectory _directory = new();

    internal ListLogger Log { get; } = new();

    protected FakeTimeProvider Time { get; } = new(T0);

    protected string Directory => _directory.Path;

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected EdgeOutbox Open(long quota = 1L << 30, int segmentBytes = 4 << 20, TimeSpan? flushInterval = null, string? directory = null) =>
        EdgeOutbox.Open(
            new OutboxOptions(directory ?? Directory) { QuotaBytes = quota, SegmentBytes = segmentBytes, FlushInterval = flushInterval ?? TimeSpan.FromMilliseconds(5) },
            Time,
            Log);

    protected static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(OutboxRecord record) => Encoding.UTF8.GetString(record.Body.Span);

    protected static byte[] Body(string kind, int n, int padding = 150) => Json($$"""{"kind":"{{kind}}","n":{{n}},"pad":"{{new string('x', padding)}}"}""");

    protected static SensorSummary Summary(string sensor, int tenSeconds, double mean, double interval = 10) =>
        new("line-1", "cnc-01", sensor, T0.AddSeconds(10 * tenSeconds), interval, 10, mean - 2, mean + 2, mean, 1, mean + 1, "mm/s");

    protected static SensorSummary ReadSummary(OutboxRecord record) =>
        JsonSerializer.Deserialize(record.Body.Span, LinkJsonContext.Default.SensorSummary)!;

    /// <summary>Everything pending, taken in one go.</summary>
    protected static IReadOnlyList<OutboxRecord> TakeAll(EdgeOutbox outbox) => outbox.Take(int.MaxValue, int.MaxValue);

    protected static void AcknowledgeAll(EdgeOutbox outbox, IEnumerable<OutboxRecord> records) =>
        outbox.Acknowledge([.. records.Select(r => new SequenceRange(r.Sequence, r.Sequence))]);

    protected static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 10 s for {what}.");
            }

            await Task.Delay(10);
        }
    }

    protected string[] Segments() => [.. System.IO.Directory.GetFiles(Directory, "outbox-*.seg").Order()];

    internal IEnumerable<string> Errors => Log.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message);
}
