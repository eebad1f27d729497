using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Factory.Edge.Outbox;

namespace Factory.Edge.Tests.Outbox;

public sealed class OutboxQuotaTests : OutboxTestBase
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    [Fact]
    public void Merged_summaries_have_the_exact_statistics_of_all_their_samples()
    {
        // Samples [1, 1] and [1, 1, 1, 5, 5, 5]: together 8 samples, mean 20/8 = 2.5,
        // population variance (5 * 1.5^2 + 3 * 2.5^2) / 8 = 30 / 8 = 3.75.
        var first = new SensorSummary("line-1", "cnc-01", "a", T0.AddSeconds(10), 10, 2, 1, 1, 1, 0, 1, "mm/s");
        var second = new SensorSummary("line-1", "cnc-01", "a", T0.AddSeconds(20), 10, 6, 1, 5, 3, 2, 5, "mm/s");

        var merged = new SummaryMerge().Add(second).Add(first).ToSummary(T0, TimeSpan.FromMinutes(1));

        merged.Should().Be(new SensorSummary("line-1", "cnc-01", "a", T0, 60, 8, 1, 5, 2.5, Math.Sqrt(3.75), 5, "mm/s"));
    }

    [Fact]
    public async Task Over_the_quota_the_oldest_summaries_are_merged_per_sensor_into_one_minute_summaries_first()
    {
        using var outbox = Open(quota: 10_000, segmentBytes: 1024, flushInterval: Never);

        // Two sensors, 10 s summaries over 5 minutes, appended as the edge does: both sensors every 10 s.
        for (var i = 0; i < 30; i++)
        {
            outbox.Append(Summary("a", i, mean: i % 6));
            outbox.Append(Summary("b", i, mean: 100));
        }

        await outbox.FlushAsync(CancellationToken.None);
        await UntilAsync(() => outbox.Metrics.DiskBytes <= 10_000, "the outbox to fit its quota");

        var metrics = outbox.Metrics;
        metrics.Downsampled.Should().Be(36, "minutes 0 to 2 of both sensors, 6 summaries each");
        metrics.EvictedByKind.Should().BeEmpty();
        metrics.AppendedByKind[RecordKinds.Summary].Should().Be(60, "merged summaries are not appended ones");
        var summaries = TakeAll(outbox).Select(r => (r.Sequence, r.Time, Summary: ReadSummary(r))).ToList();
        summaries.Should().HaveCount(24 + 6);
        summaries.Where(s => s.Summary.IntervalSeconds == 10).Select(s => s.Summary.Start).Should().OnlyContain(t => t >= T0.AddMinutes(3));

        // Minute 0 of sensor a: six parts of 10 samples with means 0..5, standard deviation 1, min mean-2, max mean+2, last mean+1.
        // Mean 2.5; variance 1 + ((2.5^2 + 1.5^2 + 0.5^2) * 2) / 6 = 1 + 17.5 / 6 = 47 / 12.
        var minute0 = summaries.Single(s => s.Summary.Sensor == "a" && s.Summary.Start == T0);
        minute0.Summary.Should().Be(new SensorSummary("line-1", "cnc-01", "a", T0, 60, 60, -2, 7, 2.5, Math.Sqrt(47.0 / 12), 6, "mm/s"));
        minute0.Sequence.Should().BeGreaterThan(60, "a merged summary is a new record");
        minute0.Time.Should().Be(T0, "it keeps the time of its oldest part");
        summaries.Single(s => s.Summary.Sensor == "b" && s.Summary.Start == T0.AddMinutes(2)).Summary.Count.Should().Be(60);
        Log.Warnings.Should().Contain(w => w.Contains("step 1") && w.Contains("36 summaries into 6"));
    }

    [Fact]
    public async Task Then_the_oldest_anomaly_windows_are_dropped_before_any_health_record()
    {
        using var outbox = Open(quota: 8_000, segmentBytes: 1024, flushInterval: Never);
        for (var i = 0; i < 20; i++)
        {
            outbox.Append(RecordKinds.Health, T0.AddSeconds(i), Body("health", i));
            outbox.Append(RecordKinds.AnomalyWindow, T0.AddSeconds(i), Body("window", i));
        }

        await outbox.FlushAsync(CancellationToken.None);
        await UntilAsync(() => outbox.Metrics.DiskBytes <= 8_000, "the outbox to fit its quota");

        var evicted = outbox.Metrics.EvictedByKind;
        evicted.Keys.Should().Equal(RecordKinds.AnomalyWindow);
        var windows = TakeAll(outbox).Where(r => r.Kind == RecordKinds.AnomalyWindow).Select(r => r.Time).ToList();
        windows.Should().HaveCount(20 - (int)evicted[RecordKinds.AnomalyWindow]).And.OnlyContain(t => t >= T0.AddSeconds(evicted[RecordKinds.AnomalyWindow]), "the oldest went");
        Log.Warnings.Should().Contain(w => w.Contains("step 2") && w.Contains($"{evicted[RecordKinds.AnomalyWindow]} anomaly-window"));
    }

    [Fact]
    public async Task Health_records_go_after_every_anomaly_window_and_summaries_last_but_alarms_never()
    {
        using var outbox = Open(quota: 4_500, segmentBytes: 1024, flushInterval: Never);
        for (var i = 0; i < 10; i++)
        {
            outbox.Append(RecordKinds.Alarm, T0.AddSeconds(i), Body("alarm", i, padding: 100), sourceSequence: i + 1);
            outbox.Append(RecordKinds.AnomalyWindow, T0.AddSeconds(i), Body("window", i));
            outbox.Append(RecordKinds.Health, T0.AddSeconds(i), Body("health", i));
            outbox.Append(Summary($"s{i}", i, mean: 1, interval: 60));
        }

        await outbox.FlushAsync(CancellationToken.None);
        await UntilAsync(() => outbox.Metrics.DiskBytes <= 4_500, "the outbox to fit its quota");

        var metrics = outbox.Metrics;
        metrics.EvictedByKind[RecordKinds.AnomalyWindow].Should().Be(10);
        metrics.EvictedByKind[RecordKinds.Health].Should().Be(10);
        metrics.EvictedByKind[RecordKinds.Summary].Should().BeInRange(1, 9);
        metrics.EvictedByKind.Should().NotContainKey(RecordKinds.Alarm);
        var left = TakeAll(outbox);
        left.Where(r => r.Kind == RecordKinds.Alarm).Should().HaveCount(10);
        left.Where(r => r.Kind == RecordKinds.Summary).Select(r => ReadSummary(r).Sensor).Should().Equal(
            Enumerable.Range(10 - (10 - (int)metrics.EvictedByKind[RecordKinds.Summary]), 10 - (int)metrics.EvictedByKind[RecordKinds.Summary]).Select(i => $"s{i}"),
            "the newest summaries stay");
    }

    [Fact]
    public async Task Alarms_are_never_evicted_and_an_outbox_of_only_alarms_over_its_quota_logs_an_error_once_an_hour()
    {
        using var outbox = Open(quota: 3_000, segmentBytes: 1024, flushInterval: Never);
        for (var i = 0; i < 20; i++)
        {
            outbox.Append(RecordKinds.Alarm, T0.AddSeconds(i), Body("alarm", i), sourceSequence: i + 1);
        }

        await outbox.FlushAsync(CancellationToken.None);
        await UntilAsync(() => Errors.Any(), "the error about alarms over the quota");
        Errors.Single().Should().Contain("only alarms").And.Contain("3000");

        for (var i = 20; i < 30; i++)
        {
            outbox.Append(RecordKinds.Alarm, T0.AddSeconds(i), Body("alarm", i), sourceSequence: i + 1);
        }

        await outbox.FlushAsync(CancellationToken.None);
        await Task.Delay(300);
        Errors.Should().HaveCount(1, "it is logged at most once an hour");

        Time.Advance(TimeSpan.FromHours(1));
        outbox.Append(RecordKinds.Alarm, T0, Body("alarm", 30), sourceSequence: 31);
        await outbox.FlushAsync(CancellationToken.None);
        await UntilAsync(() => Errors.Count() == 2, "the error an hour later");

        outbox.Metrics.EvictedByKind.Should().BeEmpty();
        TakeAll(outbox).Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, 31).Select(i => (long)i));
    }

    [Fact]
    public async Task Records_in_flight_are_not_evicted()
    {
        using var outbox = Open(quota: 6_000, segmentBytes: 1024, flushInterval: Never);
        for (var i = 0; i < 10; i++)
        {
            outbox.Append(RecordKinds.AnomalyWindow, T0.AddSeconds(i), Body("window", i));
        }

        await outbox.FlushAsync(CancellationToken.None);
        var inFlight = TakeAll(outbox);
        for (var i = 10; i < 30; i++)
        {
            outbox.Append(RecordKinds.AnomalyWindow, T0.AddSeconds(i), Body("window", i));
        }

        await outbox.FlushAsync(CancellationToken.None);
        await UntilAsync(() => outbox.Metrics.EvictedByKind.Count > 0, "an eviction");

        outbox.Metrics.InFlightRecords.Should().Be(10);
        AcknowledgeAll(outbox, inFlight);
        outbox.Metrics.Acknowledged.Should().Be(10, "every record in flight was still there");
    }
}
