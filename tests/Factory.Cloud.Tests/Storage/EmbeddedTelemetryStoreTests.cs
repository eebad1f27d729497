using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Microsoft.Extensions.Logging;
using static Factory.Cloud.Tests.Storage.TelemetrySamples;

namespace Factory.Cloud.Tests.Storage;

/// <summary>The contract on the embedded store (a fresh data folder per test), and what only a file-backed store has to prove: it survives a restart and a damaged file.</summary>
public sealed class EmbeddedTelemetryStoreTests : TelemetryStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"factory-store-{Guid.NewGuid():N}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    protected override Task<ITelemetryStore> OpenStoreAsync() => Task.FromResult<ITelemetryStore>(Open(new ListLogger<EmbeddedTelemetryStore>()));

    [Fact]
    public async Task A_reopened_store_has_everything_that_was_written()
    {
        var batch = Batch(
            summaries: [.. Enumerable.Range(0, 20).Select(i => Summary(index: i))],
            health: [Health(index: 3)],
            alarms: [Alarm(1, T0), FullAlarm(2, T0.AddSeconds(1))],
            windows: [Window()]);
        await Store.WriteAsync(batch, Ct);
        var before = await Snapshot(Store);
        ((IDisposable)Store).Dispose();

        var logger = new ListLogger<EmbeddedTelemetryStore>();
        using var reopened = Open(logger);

        (await Snapshot(reopened)).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        (await reopened.CountSummariesAsync(null, Ct)).Should().Be(20);
        logger.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_record_cut_short_at_the_end_is_cut_off_with_a_warning_and_writing_goes_on()
    {
        await Store.WriteAsync(Batch(summaries: [Summary(index: 0)]), Ct);
        await Store.WriteAsync(Batch(summaries: [Summary(index: 1)]), Ct);
        var path = ((EmbeddedTelemetryStore)Store).Path;
        ((IDisposable)Store).Dispose();
        var whole = new FileInfo(path).Length;
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(whole - 7);
        }

        var logger = new ListLogger<EmbeddedTelemetryStore>();
        using (var reopened = Open(logger))
        {
            (await reopened.CountSummariesAsync(null, Ct)).Should().Be(1);
            logger.Entries.Should().ContainSingle(e => e.Level == LogLevel.Warning)
                .Which.Message.Should().Contain(path).And.Contain("cut off");
            await reopened.WriteAsync(Batch(summaries: [Summary(index: 2)]), Ct);
        }

        var again = new ListLogger<EmbeddedTelemetryStore>();
        using var third = Open(again);
        (await third.LatestAsync(null, Ct))[0].Sensors.Should().Equal(Summary(index: 2));
        (await third.CountSummariesAsync(null, Ct)).Should().Be(2);
        again.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_damaged_record_in_the_middle_is_reported_with_its_offset_and_skipped_alone()
    {
        var path = ((EmbeddedTelemetryStore)Store).Path;
        await Store.WriteAsync(Batch(summaries: [Summary(index: 0)]), Ct);
        var secondAt = new FileInfo(path).Length;
        await Store.WriteAsync(Batch(summaries: [Summary(index: 1)]), Ct);
        await Store.WriteAsync(Batch(alarms: [Alarm(1, T0)], windows: [Window()]), Ct);
        ((IDisposable)Store).Dispose();

        // One flipped byte inside the second record's payload, then one in its length field on a copy.
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[secondAt + 20] ^= 0x5A;
        await File.WriteAllBytesAsync(path, bytes);

        var logger = new ListLogger<EmbeddedTelemetryStore>();
        using (var reopened = Open(logger))
        {
            (await reopened.CountSummariesAsync(null, Ct)).Should().Be(1);
            (await reopened.LatestAsync(null, Ct))[0].Sensors.Should().Equal(Summary(index: 0));
            (await reopened.AlarmHistoryAsync(new(T0, T0.AddHours(1)), Ct)).Should().Equal(Alarm(1, T0));
            (await reopened.AnomalyWindowsAsync("line-1", "cnc-01", T0, T0.AddHours(1), Ct)).Should().HaveCount(1);
            logger.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error)
                .Which.Message.Should().Contain(path).And.Contain($"offset {secondAt}");
        }

        bytes[secondAt + 20] ^= 0x5A;
        bytes[secondAt + 1] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes);
        var lengthLogger = new ListLogger<EmbeddedTelemetryStore>();
        using var lengthDamaged = Open(lengthLogger);
        (await lengthDamaged.CountSummariesAsync(null, Ct)).Should().Be(1);
        (await lengthDamaged.AlarmHistoryAsync(new(T0, T0.AddHours(1)), Ct)).Should().HaveCount(1);
        lengthLogger.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error).Which.Message.Should().Contain($"offset {secondAt}");
    }

    [Fact]
    public void A_second_store_on_the_same_folder_is_refused_with_the_file_named()
    {
        var open = () => Open(new ListLogger<EmbeddedTelemetryStore>());

        open.Should().Throw<TelemetryStoreException>().Which.Message.Should().Contain(Path.Combine(_folder, EmbeddedTelemetryStore.FileName));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_lose_nothing()
    {
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await Store.WriteAsync(Batch(summaries: [Summary(sensor: $"s{w}", index: i)], alarms: [Alarm((w * 100) + i + 1, T0.AddSeconds(i))]), Ct);
                await Store.LatestAsync(null, Ct);
            }
        }));

        await Task.WhenAll(writers);

        (await Store.CountSummariesAsync(null, Ct)).Should().Be(200);
        (await Store.AlarmHistoryAsync(new(T0, T0.AddHours(1)), Ct)).Should().HaveCount(200);
    }

    private EmbeddedTelemetryStore Open(ILogger logger) => new(_folder, logger);

    private static async Task<object> Snapshot(ITelemetryStore store) => new
    {
        Latest = await store.LatestAsync(null, Ct),
        Alarms = await store.AlarmHistoryAsync(new(T0, T0.AddHours(1)), Ct),
        Windows = await store.AnomalyWindowsAsync("line-1", "cnc-01", T0, T0.AddHours(1), Ct),
        Buckets = await store.QuerySensorAsync(new("line-1", "cnc-01", "spindle-temp", T0, T0.AddHours(1), TimeSpan.FromMinutes(1)), Ct),
    };
}
