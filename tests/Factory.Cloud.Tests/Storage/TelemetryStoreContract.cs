using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;
using static Factory.Cloud.Tests.Storage.TelemetrySamples;

namespace Factory.Cloud.Tests.Storage;

/// <summary>
/// What every <see cref="ITelemetryStore"/> does, whatever keeps the data: the embedded store
/// and InfluxDB run these same tests (one subclass each).
/// </summary>
public abstract class TelemetryStoreContract : IAsyncLifetime
{
    private ITelemetryStore? _store;

    protected static CancellationToken Ct => CancellationToken.None;

    protected ITelemetryStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    public virtual async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual Task DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A new, empty store.</summary>
    protected abstract Task<ITelemetryStore> OpenStoreAsync();

    [Fact]
    public async Task Summaries_come_back_as_written_as_the_newest_of_their_sensor()
    {
        var older = Summary(index: 0);
        var newer = Summary(index: 1, min: 41.5, max: 52.25, mean: 46.125, last: 51, count: 99);
        var otherSensor = Summary(sensor: "spindle-vibration-rms", index: 0, unit: null);

        await Store.WriteAsync(Batch(summaries: [older, newer, otherSensor]), Ct);

        var latest = await Store.LatestAsync("line-1", Ct);
        latest.Should().ContainSingle();
        latest[0].Line.Should().Be("line-1");
        latest[0].Machine.Should().Be("cnc-01");
        latest[0].Health.Should().BeNull();
        latest[0].Sensors.Should().Equal(newer, otherSensor);
        (await Store.CountSummariesAsync(null, Ct)).Should().Be(3);
    }

    [Fact]
    public async Task Machine_health_comes_back_with_and_without_its_optional_values()
    {
        var scored = Health(machine: "cnc-01", index: 0);
        var newestScored = Health(machine: "cnc-01", index: 1);
        var unscored = Health(machine: "cnc-02", index: 0, scored: false);

        await Store.WriteAsync(Batch(health: [scored, newestScored, unscored]), Ct);

        var latest = await Store.LatestAsync(null, Ct);
        latest.Select(m => m.Machine).Should().Equal("cnc-01", "cnc-02");
        latest[0].Health.Should().Be(newestScored);
        latest[1].Health.Should().Be(unscored);
        latest.Should().AllSatisfy(m => m.Sensors.Should().BeEmpty());
    }

    [Fact]
    public async Task Alarm_events_come_back_with_every_field()
    {
        var limitAlarm = Alarm(1, T0.AddTicks(1234567));
        var full = FullAlarm(2, T0.AddSeconds(1).AddTicks(1));

        await Store.WriteAsync(Batch(alarms: [limitAlarm, full]), Ct);

        var history = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1)), Ct);
        history.Should().Equal(full, limitAlarm);
    }

    [Fact]
    public async Task Anomaly_windows_come_back_with_their_samples_oldest_first()
    {
        var first = Window(index: 0);
        var second = Window(index: 5, sensors: ["motor-current"]);
        var otherMachine = Window(machine: "cnc-02", index: 1);
        var noSamples = Window(index: 7) with { Score = null, Threshold = null, Sensors = [new SensorTrace("spindle-temp", [], [])] };

        await Store.WriteAsync(Batch(windows: [second, first, otherMachine, noSamples]), Ct);

        var windows = await Store.AnomalyWindowsAsync("line-1", "cnc-01", T0, T0.AddHours(1), Ct);
        windows.Should().BeEquivalentTo([first, second, noSamples], o => o.WithStrictOrdering());
        (await Store.AnomalyWindowsAsync("line-1", "cnc-01", T0.AddMinutes(1), T0.AddMinutes(6), Ct))
            .Should().BeEquivalentTo([second], o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Overlapping_windows_of_a_machine_both_come_back_whole()
    {
        // Windows 1 s apart share 2 s of samples of the same sensors.
        var a = Window(index: 0);
        var b = Window(index: 0) with
        {
            Trigger = a.Trigger.AddSeconds(1),
            From = a.From.AddSeconds(1),
            To = a.To.AddSeconds(1),
            Sensors = [.. a.Sensors.Select((s, k) => Trace(s.Sensor, a.From.AddSeconds(1), 3, k))],
        };

        await Store.WriteAsync(Batch(windows: [a]), Ct);
        await Store.WriteAsync(Batch(windows: [b]), Ct);

        (await Store.AnomalyWindowsAsync("line-1", "cnc-01", T0, T0.AddHours(1), Ct))
            .Should().BeEquivalentTo([a, b], o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Writing_the_same_records_again_stores_nothing_new()
    {
        var batch = Batch(
            summaries: [.. Enumerable.Range(0, 30).Select(i => Summary(index: i, mean: 45 + i))],
            health: [Health(index: 0), Health(index: 1)],
            alarms: [Alarm(1, T0.AddSeconds(1)), Alarm(2, T0.AddSeconds(1)), FullAlarm(3, T0.AddSeconds(2))],
            windows: [Window(index: 0)]);

        await Store.WriteAsync(batch, Ct);
        var count = await Store.CountSummariesAsync(null, Ct);
        var latest = await Store.LatestAsync(null, Ct);
        var history = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1)), Ct);
        var buckets = await Store.QuerySensorAsync(new SensorQuery("line-1", "cnc-01", "spindle-temp", T0, T0.AddHours(1), TimeSpan.FromMinutes(1)), Ct);

        await Store.WriteAsync(batch, Ct);
        await Store.WriteAsync(Batch(summaries: [batch.Summaries[3]], alarms: [batch.Alarms[1]]), Ct);

        count.Should().Be(30);
        (await Store.CountSummariesAsync(null, Ct)).Should().Be(count);
        (await Store.LatestAsync(null, Ct)).Should().BeEquivalentTo(latest);
        (await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1)), Ct)).Should().Equal(history);
        (await Store.QuerySensorAsync(new SensorQuery("line-1", "cnc-01", "spindle-temp", T0, T0.AddHours(1), TimeSpan.FromMinutes(1)), Ct)).Should().Equal(buckets);
        (await Store.AnomalyWindowsAsync("line-1", "cnc-01", T0, T0.AddHours(1), Ct)).Should().HaveCount(1);
    }

    [Fact]
    public async Task Buckets_combine_the_summaries_that_start_in_them_as_computed_by_hand()
    {
        // 10 s summaries at 10:00:00..10:02:50 with a gap at 10:01; one-minute buckets from 10:00:30 to 10:02:30.
        var summaries = Enumerable.Range(0, 18)
            .Where(i => i is < 6 or >= 12)
            .Select(i => Summary(index: i, count: 10 + i, min: 40 - i, max: 50 + (i % 4), mean: 45 + (0.5 * i), last: 100 + i))
            .ToList();
        summaries.Add(Summary(sensor: "other", index: 4, min: -1000, max: 1000));
        await Store.WriteAsync(Batch(summaries: summaries), Ct);

        var buckets = await Store.QuerySensorAsync(
            new SensorQuery("line-1", "cnc-01", "spindle-temp", T0.AddSeconds(30), T0.AddSeconds(150), TimeSpan.FromMinutes(1)),
            Ct);

        // First bucket (10:00): indexes 3, 4, 5 (those before 10:00:30 are outside the range). Second (10:01): none. Third (10:02): 12, 13, 14.
        buckets.Should().HaveCount(2);
        Expect(buckets[0], T0, [3, 4, 5]);
        Expect(buckets[1], T0.AddMinutes(2), [12, 13, 14]);

        static void Expect(SensorBucket bucket, DateTimeOffset start, int[] indexes)
        {
            var counts = indexes.Select(i => 10L + i).ToArray();
            var means = indexes.Select(i => 45 + (0.5 * i)).ToArray();
            bucket.Start.Should().Be(start);
            bucket.Min.Should().Be(indexes.Min(i => 40.0 - i));
            bucket.Max.Should().Be(indexes.Max(i => 50.0 + (i % 4)));
            bucket.Count.Should().Be(counts.Sum());
            bucket.Mean.Should().BeApproximately(counts.Zip(means, (c, m) => c * m).Sum() / counts.Sum(), 1e-9);
            bucket.Last.Should().Be(100.0 + indexes.Max());
        }
    }

    [Fact]
    public async Task Buckets_are_aligned_to_the_unix_epoch_whatever_the_range_starts_at()
    {
        await Store.WriteAsync(Batch(summaries: [.. Enumerable.Range(0, 12).Select(i => Summary(index: i, count: 1, mean: i, min: i, max: i, last: i))]), Ct);

        var buckets = await Store.QuerySensorAsync(
            new SensorQuery("line-1", "cnc-01", "spindle-temp", T0.AddSeconds(-7), T0.AddHours(1), TimeSpan.FromSeconds(45)),
            Ct);

        // 10:00:00 is a multiple of 45 s since the epoch only if its seconds since 1970 are; compute the alignment by hand.
        var epochSeconds = T0.ToUnixTimeSeconds();
        var expected = Enumerable.Range(0, 12)
            .GroupBy(i => (epochSeconds + (10 * i)) - ((epochSeconds + (10 * i)) % 45))
            .Select(g => (Start: DateTimeOffset.FromUnixTimeSeconds(g.Key), Count: (long)g.Count(), Mean: g.Average(i => (double)i), Last: (double)g.Max()))
            .ToList();
        buckets.Select(b => (b.Start, b.Count, Math.Round(b.Mean, 9), b.Last)).Should().Equal(expected.Select(e => (e.Start, e.Count, Math.Round(e.Mean, 9), e.Last)));
    }

    [Fact]
    public async Task Health_buckets_combine_the_intervals_that_start_in_them_as_computed_by_hand()
    {
        // 10 s health at 10:00:00..10:02:50: scored except 7 and 8 (a stop), failed at 9, maintenance at 10 and 11.
        var health = Enumerable.Range(0, 18).Select(i => i switch
        {
            7 or 8 => new MachineHealth("line-1", "cnc-01", T0.AddSeconds(10 * i), 10, 0, null, null, null, null, null, "stopped", false),
            9 => new MachineHealth("line-1", "cnc-01", T0.AddSeconds(10 * i), 10, 10, 5, 4, 6, 0.8, "m v1", "failed", false),
            10 or 11 => new MachineHealth("line-1", "cnc-01", T0.AddSeconds(10 * i), 10, 0, null, null, null, 0.8, "m v1", "maintenance", false),
            _ => new MachineHealth("line-1", "cnc-01", T0.AddSeconds(10 * i), 10, 10, 0.1 * i, 0.05 * i, 0.2 * i, i < 12 ? 0.8 : 0.9, "m v1", "running", false),
        }).ToList();
        health.Add(Health(machine: "other", index: 3));
        await Store.WriteAsync(Batch(health: health), Ct);

        var buckets = await Store.QueryHealthAsync(new HealthQuery("line-1", "cnc-01", T0, T0.AddMinutes(3), TimeSpan.FromMinutes(1)), Ct);

        buckets.Select(b => b.Start).Should().Equal(T0, T0.AddMinutes(1), T0.AddMinutes(2));
        buckets.Select(b => b.Intervals).Should().Equal(6L, 6L, 6L);
        buckets[0].MeanScore.Should().BeApproximately(Enumerable.Range(0, 6).Average(i => 0.05 * i), 1e-9);
        buckets[0].MaxScore.Should().BeApproximately(0.2 * 5, 1e-9);
        buckets[0].State.Should().Be("running");
        buckets[1].MeanScore.Should().BeApproximately((0.05 * 6 + 4) / 2, 1e-9, "6 and the failed 9 were scored; 7 and 8 were not");
        buckets[1].MaxScore.Should().Be(6);
        buckets[1].Threshold.Should().Be(0.8);
        buckets[1].State.Should().Be("maintenance");
        buckets[2].Threshold.Should().Be(0.9, "the newest threshold of the bucket");
        buckets[2].MaxScore.Should().BeApproximately(0.2 * 17, 1e-9);

        (await Store.QueryHealthAsync(new HealthQuery("line-1", "nobody", T0, T0.AddMinutes(3), TimeSpan.FromMinutes(1)), Ct)).Should().BeEmpty();
        (await Store.QueryHealthAsync(new HealthQuery("line-1", "cnc-01", T0.AddHours(1), T0.AddHours(2), TimeSpan.FromMinutes(1)), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_last_downtime_is_the_end_of_the_newest_failed_or_maintenance_interval_before_the_time_asked()
    {
        var health = Enumerable.Range(0, 30).Select(i => new MachineHealth(
            "line-1", "cnc-01", T0.AddSeconds(10 * i), 10, 10, 0.1, 0.1, 0.1, 0.8, "m v1", i switch { 5 => "failed", 6 or 7 => "maintenance", 20 => "stopped", _ => "running" }, false)).ToList();
        await Store.WriteAsync(Batch(health: health), Ct);

        (await Store.LastDowntimeAsync("line-1", "cnc-01", T0.AddHours(1), Ct)).Should().Be(T0.AddSeconds(80), "maintenance ended with the interval that started at 10:01:10");
        (await Store.LastDowntimeAsync("line-1", "cnc-01", T0.AddSeconds(60), Ct)).Should().Be(T0.AddSeconds(60), "before 10:01:00 the newest is the failure at 10:00:50");
        (await Store.LastDowntimeAsync("line-1", "cnc-01", T0.AddSeconds(50), Ct)).Should().BeNull("a stop is not a downtime, and nothing failed before 10:00:50");
        (await Store.LastDowntimeAsync("line-1", "nobody", T0.AddHours(1), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task A_sensor_without_summaries_in_the_range_has_no_buckets()
    {
        await Store.WriteAsync(Batch(summaries: [Summary(index: 0)]), Ct);

        (await Store.QuerySensorAsync(new SensorQuery("line-1", "cnc-01", "spindle-temp", T0.AddHours(1), T0.AddHours(2), TimeSpan.FromMinutes(1)), Ct)).Should().BeEmpty();
        (await Store.QuerySensorAsync(new SensorQuery("line-1", "cnc-01", "no-such-sensor", T0, T0.AddHours(2), TimeSpan.FromMinutes(1)), Ct)).Should().BeEmpty();
        (await Store.QuerySensorAsync(new SensorQuery("line-1", "cnc-01", "spindle-temp", T0.AddSeconds(10), T0.AddSeconds(10), TimeSpan.FromMinutes(1)), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Latest_gives_every_machine_of_a_line_or_of_all_lines_in_order()
    {
        await Store.WriteAsync(
            Batch(
                summaries:
                [
                    Summary(line: "line-2", machine: "press-01", sensor: "force", index: 3),
                    Summary(line: "line-2", machine: "press-01", sensor: "force", index: 1),
                    Summary(line: "line-1", machine: "cnc-02", sensor: "b", index: 0),
                    Summary(line: "line-1", machine: "cnc-02", sensor: "a", index: 5),
                    Summary(line: "line-1", machine: "cnc-01", sensor: "a", index: 2),
                ],
                health: [Health(line: "line-1", machine: "cnc-03", index: 9), Health(line: "line-1", machine: "cnc-01", index: 2), Health(line: "line-1", machine: "cnc-01", index: 1)]),
            Ct);

        var all = await Store.LatestAsync(null, Ct);
        all.Select(m => $"{m.Line}/{m.Machine}").Should().Equal("line-1/cnc-01", "line-1/cnc-02", "line-1/cnc-03", "line-2/press-01");
        all[0].Health.Should().Be(Health(line: "line-1", machine: "cnc-01", index: 2));
        all[0].Sensors.Should().Equal(Summary(line: "line-1", machine: "cnc-01", sensor: "a", index: 2));
        all[1].Health.Should().BeNull();
        all[1].Sensors.Select(s => s.Sensor).Should().Equal("a", "b");
        all[2].Sensors.Should().BeEmpty();
        all[3].Sensors.Should().Equal(Summary(line: "line-2", machine: "press-01", sensor: "force", index: 3));

        (await Store.LatestAsync("line-2", Ct)).Select(m => m.Machine).Should().Equal("press-01");
        (await Store.LatestAsync("line-9", Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Alarm_history_is_newest_first_within_the_range_limit_and_filters()
    {
        var events = new List<AlarmEvent>();
        for (var i = 1; i <= 20; i++)
        {
            events.Add(Alarm(i, T0.AddSeconds(i), line: "line-1", machine: i % 2 == 0 ? "cnc-01" : "cnc-02"));
            events.Add(Alarm(i, T0.AddSeconds(i).AddMilliseconds(500), line: "line-2", machine: "press-01"));
        }

        await Store.WriteAsync(Batch(alarms: events), Ct);

        var all = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1)), Ct);
        all.Should().HaveCount(40);
        all.Should().BeInDescendingOrder(a => a.Time);

        var page = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), Limit: 5), Ct);
        page.Should().Equal(all.Take(5));

        // From inclusive, To exclusive.
        var window = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0.AddSeconds(5), T0.AddSeconds(8)), Ct);
        window.Select(a => (a.Line, a.Sequence)).Should().Equal(("line-2", 7), ("line-1", 7), ("line-2", 6), ("line-1", 6), ("line-2", 5), ("line-1", 5));

        var line1 = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), Line: "line-1", Limit: 3), Ct);
        line1.Select(a => a.Sequence).Should().Equal(20, 19, 18);

        var machine = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), Line: "line-1", Machine: "cnc-02"), Ct);
        machine.Select(a => a.Sequence).Should().Equal(19, 17, 15, 13, 11, 9, 7, 5, 3, 1);

        (await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), Machine: "press-01", Limit: 1), Ct)).Single().Sequence.Should().Be(20);
        (await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), Line: "line-3"), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Alarm_events_in_the_same_millisecond_are_all_kept_and_ordered_by_exact_time()
    {
        // Sequence order and time order disagree inside one millisecond (a person's action stamped by the edge's clock).
        var ms = T0.AddSeconds(3);
        var events = new[]
        {
            Alarm(10, ms.AddTicks(9000)),
            Alarm(11, ms.AddTicks(100)),
            Alarm(12, ms.AddTicks(5000)),
            Alarm(13, ms),
            Alarm(14, ms.AddTicks(5000)),
        };

        await Store.WriteAsync(Batch(alarms: events), Ct);

        var all = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1)), Ct);
        all.Select(a => a.Sequence).Should().Equal(10, 14, 12, 11, 13);
        var two = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), Limit: 2), Ct);
        two.Select(a => a.Sequence).Should().Equal(10, 14);
        var exact = await Store.AlarmHistoryAsync(new AlarmHistoryQuery(ms.AddTicks(100), ms.AddTicks(9000)), Ct);
        exact.Select(a => a.Sequence).Should().Equal(14, 12, 11);
    }

    [Fact]
    public async Task Tag_values_and_texts_with_special_characters_come_back_unchanged()
    {
        const string line = "line 1,hall=\"B\" 'north' é ü 工厂 🙂";
        const string machine = "cnc=01, left\\side";
        const string sensor = "temp \"spindle\", °C=x";
        var summary = Summary(line: line, machine: machine, sensor: sensor, unit: "m/s², \"raw\"");
        var health = Health(line: line, machine: machine) with { Model = "pump \"anomaly\" v3, β", State = "running=yes" };
        var alarm = FullAlarm(7, T0.AddSeconds(1), line: line, machine: machine) with
        {
            Message = "Vibration \"high\", limit=4.5 mm/s\n second line \\ backslash 'quoted' ✓",
            Comment = "a, b=c \"d\" \\e",
        };
        var window = Window(line: line, machine: machine, sensors: [sensor, "plain"]);

        await Store.WriteAsync(Batch([summary], [health], [alarm], [window]), Ct);

        var latest = await Store.LatestAsync(line, Ct);
        latest.Should().ContainSingle();
        latest[0].Line.Should().Be(line);
        latest[0].Machine.Should().Be(machine);
        latest[0].Health.Should().Be(health);
        latest[0].Sensors.Should().Equal(summary);
        (await Store.QuerySensorAsync(new SensorQuery(line, machine, sensor, T0, T0.AddHours(1), TimeSpan.FromMinutes(1)), Ct)).Should().ContainSingle().Which.Count.Should().Be(summary.Count);
        (await Store.AlarmHistoryAsync(new AlarmHistoryQuery(T0, T0.AddHours(1), line, machine), Ct)).Should().Equal(alarm);
        (await Store.AnomalyWindowsAsync(line, machine, T0, T0.AddHours(1), Ct)).Should().BeEquivalentTo([window]);
        (await Store.CountSummariesAsync(line, Ct)).Should().Be(1);
        (await Store.CountSummariesAsync("line 1", Ct)).Should().Be(0);
    }

    [Fact]
    public async Task Summaries_are_counted_per_line_and_in_all()
    {
        await Store.WriteAsync(
            Batch(summaries: [.. Enumerable.Range(0, 7).Select(i => Summary(line: "line-1", index: i)), .. Enumerable.Range(0, 4).Select(i => Summary(line: "line-2", sensor: $"s{i}"))]),
            Ct);

        (await Store.CountSummariesAsync(null, Ct)).Should().Be(11);
        (await Store.CountSummariesAsync("line-1", Ct)).Should().Be(7);
        (await Store.CountSummariesAsync("line-2", Ct)).Should().Be(4);
        (await Store.CountSummariesAsync("line-3", Ct)).Should().Be(0);
    }

    [Fact]
    public async Task An_empty_store_answers_every_query_with_nothing()
    {
        (await Store.CountSummariesAsync(null, Ct)).Should().Be(0);
        (await Store.LatestAsync(null, Ct)).Should().BeEmpty();
        (await Store.AlarmHistoryAsync(new AlarmHistoryQuery(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), Ct)).Should().BeEmpty();
        (await Store.AnomalyWindowsAsync("line-1", "cnc-01", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct)).Should().BeEmpty();
        await Store.WriteAsync(TelemetryBatch.Empty, Ct);
    }

    [Fact]
    public async Task Open_ended_ranges_find_everything()
    {
        await Store.WriteAsync(Batch(summaries: [Summary(index: 0)], alarms: [Alarm(1, T0)], windows: [Window()]), Ct);

        (await Store.AlarmHistoryAsync(new AlarmHistoryQuery(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), Ct)).Should().HaveCount(1);
        (await Store.AnomalyWindowsAsync("line-1", "cnc-01", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct)).Should().HaveCount(1);
        (await Store.QuerySensorAsync(new SensorQuery("line-1", "cnc-01", "spindle-temp", T0.AddDays(-1), T0.AddDays(1), TimeSpan.FromHours(1)), Ct)).Should().HaveCount(1);
    }

    [Theory]
    [InlineData("", "cnc-01", "line '' must be non-empty")]
    [InlineData("line-1", "cnc\n01", "machine 'cnc\n01' must be non-empty, on one line")]
    [InlineData("line-1", "cnc-01\\", "not end with a backslash")]
    public async Task A_record_that_cannot_be_kept_faithfully_is_refused_and_nothing_of_its_batch_is_stored(string line, string machine, string expected)
    {
        var write = () => Store.WriteAsync(Batch(summaries: [Summary(index: 0), Summary(line: line, machine: machine, index: 1)]), Ct);

        (await write.Should().ThrowAsync<TelemetryStoreException>()).Which.Should().Match<TelemetryStoreException>(e => !e.Transient && e.Message.Contains(expected));
        (await Store.CountSummariesAsync(null, Ct)).Should().Be(0);
    }

    [Fact]
    public async Task A_summary_with_a_value_that_is_not_a_number_is_refused()
    {
        var write = () => Store.WriteAsync(Batch(summaries: [Summary(mean: double.NaN)]), Ct);

        (await write.Should().ThrowAsync<TelemetryStoreException>()).Which.Message.Should().Contain("mean is NaN");
    }
}
