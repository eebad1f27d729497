using Factory.Ml.Features;
using Factory.Plant.Model;
using static Factory.Ml.Tests.TestMachines;

namespace Factory.Ml.Tests.Features;

public sealed class MachineFeaturesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private static FeatureSchema OneSensor(int windowSeconds = 10, params FeatureStatistic[] statistics) =>
        FeatureSchema.For(Machine("m", "t", Sensor("x", SignalKind.Flow, 100, Window(windowSeconds, statistics.Length == 0 ? [FeatureStatistic.Mean, FeatureStatistic.Min, FeatureStatistic.Max] : statistics))));

    [Fact]
    public void Old_buckets_leave_the_window_as_it_slides()
    {
        var features = new MachineFeatures(OneSensor());
        var values = new float[3];
        for (var i = 0; i < 200; i++)
        {
            features.Add(0, i < 100 ? 1 : 5, T0.AddMilliseconds(i * 100));
            if (i == 99)
            {
                features.TryCompute(T0.AddSeconds(10), values).Should().BeTrue();
                values.Should().Equal(1, 1, 1);
            }

            if (i == 149)
            {
                features.TryCompute(T0.AddSeconds(15), values).Should().BeTrue();
                values.Should().Equal(3, 1, 5);
            }

            if (i == 150)
            {
                features.TryCompute(T0.AddSeconds(15.1), values).Should().BeTrue();
                values[1].Should().Be(1, "the window starts with the bucket of 5.1 s");
            }
        }

        features.TryCompute(T0.AddSeconds(20), values).Should().BeTrue();
        values.Should().Equal(5, 5, 5);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    public void Samples_newer_than_the_evaluation_time_do_not_displace_the_oldest_of_the_window(int windowSeconds)
    {
        // The edge adds samples as they arrive and computes at a whole second behind the newest,
        // as training computes before adding newer ones: both must see the same window.
        var schema = OneSensor(windowSeconds, FeatureStatistic.Mean, FeatureStatistic.Min, FeatureStatistic.Max, FeatureStatistic.StandardDeviation);
        var edge = new MachineFeatures(schema);
        var training = new MachineFeatures(schema);
        var at = T0.AddSeconds(windowSeconds + 5);
        var random = new Random(4);
        for (var t = T0; t < at.AddSeconds(1.9); t = t.AddMilliseconds(100))
        {
            var value = 50 + random.NextDouble();
            edge.Add(0, value, t);
            if (t < at)
            {
                training.Add(0, value, t);
            }
        }

        var seen = new float[schema.Count];
        var expected = new float[schema.Count];
        edge.TryCompute(at, seen).Should().BeTrue();
        training.TryCompute(at, expected).Should().BeTrue();
        seen.Should().Equal(expected);
    }

    [Fact]
    public void Nothing_is_computed_until_every_sensor_has_reported_for_its_whole_window()
    {
        var schema = FeatureSchema.For(SixFeatureSpindle());
        var features = new MachineFeatures(schema);
        var values = new float[schema.Count];
        for (var ms = 0; ms <= 70_000; ms += 100)
        {
            if (ms == 30_000)
            {
                features.TryCompute(T0.AddSeconds(30), values).Should().BeFalse("the 60 s temperature window is not filled yet");
            }

            if (ms == 60_000)
            {
                features.TryCompute(T0.AddSeconds(60), values).Should().BeTrue();
                values[schema.Names.ToList().IndexOf("bearing-temperature.slope")].Should().BeApproximately(1 / 60f, 1e-5f);
            }

            var time = T0.AddMilliseconds(ms);
            features.Add(schema.SensorIndexOf("spindle-vibration-rms"), 2 + (ms % 700 / 1000.0), time);
            features.Add(schema.SensorIndexOf("motor-current"), 40 + (ms % 300 / 100.0), time);
            if (ms % 1000 == 0)
            {
                features.Add(schema.SensorIndexOf("bearing-temperature"), 50 + (ms / 60_000.0), time);
            }
        }
    }

    [Fact]
    public void A_sensor_that_falls_silent_stops_the_features_and_must_fill_its_window_again()
    {
        var features = new MachineFeatures(OneSensor());
        for (var i = 0; i < 150; i++)
        {
            features.Add(0, 1, T0.AddMilliseconds(i * 100));
        }

        var values = new float[3];
        features.TryCompute(T0.AddSeconds(15), values).Should().BeTrue();
        features.TryCompute(T0.AddSeconds(26), values).Should().BeFalse("the window holds no sample");
        features.LastSampleTime(0).Should().Be(T0.AddMilliseconds(14_900));

        features.Add(0, 2, T0.AddSeconds(40));
        features.Add(0, 2, T0.AddSeconds(41));
        features.TryCompute(T0.AddSeconds(42), values).Should().BeFalse("after the silence the window has been filling for 2 s only");
        for (var ms = 41_100; ms < 50_000; ms += 100)
        {
            features.Add(0, 2, T0.AddMilliseconds(ms));
        }

        features.TryCompute(T0.AddSeconds(50), values).Should().BeTrue();
        values.Should().Equal(2, 2, 2);
    }

    [Fact]
    public void NaN_and_infinite_samples_are_ignored_and_counted()
    {
        var clean = new MachineFeatures(OneSensor());
        var dirty = new MachineFeatures(OneSensor());
        for (var i = 0; i < 120; i++)
        {
            var time = T0.AddMilliseconds(i * 100);
            clean.Add(0, i % 7, time);
            dirty.Add(0, i % 7, time);
            if (i % 10 == 0)
            {
                dirty.Add(0, i % 20 == 0 ? double.NaN : double.PositiveInfinity, time.AddMilliseconds(50));
            }
        }

        var expected = new float[3];
        var actual = new float[3];
        clean.TryCompute(T0.AddSeconds(12), expected).Should().BeTrue();
        dirty.TryCompute(T0.AddSeconds(12), actual).Should().BeTrue();

        actual.Should().Equal(expected);
        dirty.SensorStatus(0).Should().Be(new SensorWindowStatus(T0.AddMilliseconds(11_900), 120, 12, 0));
    }

    [Fact]
    public void Samples_out_of_order_within_the_window_count_as_if_they_came_in_order()
    {
        var schema = OneSensor(10, Enum.GetValues<FeatureStatistic>());
        var inOrder = new MachineFeatures(schema);
        var shuffled = new MachineFeatures(schema);
        var samples = Enumerable.Range(0, 150).Select(i => (Value: Math.Sin(i * 0.3) + (i * 0.01), Time: T0.AddMilliseconds(i * 100))).ToArray();
        foreach (var (value, time) in samples)
        {
            inOrder.Add(0, value, time);
        }

        foreach (var (value, time) in samples.OrderBy(s => (s.Time.Ticks * 7919) % 1000))
        {
            shuffled.Add(0, value, time);
        }

        var expected = new float[schema.Count];
        var actual = new float[schema.Count];
        inOrder.TryCompute(T0.AddSeconds(15), expected).Should().BeTrue();
        shuffled.TryCompute(T0.AddSeconds(15), actual).Should().BeTrue();

        actual.Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void A_sample_older_than_the_window_of_the_newest_is_dropped_and_counted_as_late()
    {
        var features = new MachineFeatures(OneSensor());
        for (var i = 0; i < 200; i++)
        {
            features.Add(0, 1, T0.AddMilliseconds(i * 100));
        }

        features.Add(0, 1000, T0.AddSeconds(5));

        var values = new float[3];
        features.TryCompute(T0.AddSeconds(20), values).Should().BeTrue();
        values.Should().Equal(1, 1, 1);
        features.SensorStatus(0).LateSamples.Should().Be(1);
        features.SensorStatus(0).Samples.Should().Be(200);
    }

    [Fact]
    public void Twenty_sensors_with_ten_minute_windows_take_well_under_two_megabytes_and_adding_allocates_nothing()
    {
        var schema = FeatureSchema.For(TwentySensorsTenMinutes());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var features = new MachineFeatures(schema);
        var machineBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        var values = new float[schema.Count];
        for (var ms = 0; ms < 600_000; ms += 100)
        {
            for (var s = 0; s < 20; s++)
            {
                features.Add(s, s + Math.Sin(ms), T0.AddMilliseconds(ms));
            }
        }

        features.TryCompute(T0.AddMinutes(10), values).Should().BeTrue();
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var ms = 600_000; ms < 700_000; ms += 100)
        {
            for (var s = 0; s < 20; s++)
            {
                features.Add(s, s + Math.Sin(ms), T0.AddMilliseconds(ms));
            }

            if (ms % 1000 == 0)
            {
                features.TryCompute(T0.AddMilliseconds(ms), values);
            }
        }

        var steadyBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        machineBytes.Should().BeLessThan(300_000, "20 sensors x 121 buckets of 96 bytes is about 230 KB");
        steadyBytes.Should().Be(0);
    }
}
