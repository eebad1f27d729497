using Factory.Contracts.Telemetry;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Node.Support;

namespace Factory.Edge.Tests.EdgeTelemetry;

/// <summary>
/// The raw window around an anomaly alarm: 30 s before the trigger and 10 s after, every sensor,
/// sent once the machine's clock has passed the end by a second; bounded memory before any alarm.
/// </summary>
public sealed class AnomalyRecorderTests
{
    private const string AlarmId = "line-1/pump-1/anomaly";
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    // The test pump: 5 sensors sampled every 200 ms.
    private readonly AnomalyRecorder _recorder = new("line-1", EdgeTestPlant.Pump("pump-1"), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
    private readonly List<AnomalyWindow> _completed = [];
    private double _fed;

    [Fact]
    public void The_window_holds_every_sensors_samples_from_30_s_before_to_10_s_after_the_trigger_and_is_sent_a_second_after_its_end()
    {
        FeedUntil(40.6);
        _recorder.Trigger(AlarmId, At(40), 2.5, 1.2);
        FeedUntil(60);

        _recorder.Tick(At(50.9), _completed);
        _completed.Should().BeEmpty("samples of the last publishes may still be on their way until a second after the end");
        _recorder.Tick(At(51), _completed);

        var window = _completed.Should().ContainSingle().Subject;
        window.Should().Match<AnomalyWindow>(w => w.Line == "line-1" && w.Machine == "pump-1" && w.AlarmId == AlarmId
            && w.Trigger == At(40) && w.From == At(10) && w.To == At(50) && w.Score == 2.5 && w.Threshold == 1.2);
        window.Sensors.Select(s => s.Sensor).Should().Equal("vibration-rms", "bearing-temperature", "motor-current", "discharge-pressure", "flow");
        var expectedTimes = Enumerable.Range(0, 201).Select(i => At(10).ToUnixTimeMilliseconds() + (i * 200L)).ToList();
        window.Sensors.Should().AllSatisfy(trace =>
        {
            trace.TimesMs.Should().Equal(expectedTimes, "both ends are in the window, in Unix milliseconds");
            trace.Values.Should().Equal(expectedTimes.Select(ms => Value(trace.Sensor, ms)));
        });
        _recorder.OpenWindows.Should().Be(0);
        _recorder.Tick(At(80), _completed);
        _completed.Should().ContainSingle("a window is sent once");
    }

    [Fact]
    public void Memory_before_an_alarm_is_a_ring_per_sensor_sized_for_the_time_before_at_the_sensors_sampling_interval()
    {
        FeedUntil(600);
        _recorder.Capacity(0).Should().Be(164, "32 s of 200 ms samples, and 4 spare");

        _recorder.Trigger(AlarmId, At(599), 2, 1);
        _recorder.Tick(At(700), _completed);

        _completed.Single().Sensors[0].TimesMs.Should().HaveCount(156, "the ring went round 18 times and kept the last 164 samples: 569 s to 600 s are in the window");
        _completed.Single().Sensors[0].TimesMs[0].Should().Be(At(569).ToUnixTimeMilliseconds());
    }

    [Fact]
    public void A_second_raise_while_a_window_is_open_gets_a_window_of_its_own()
    {
        FeedUntil(40);
        _recorder.Trigger(AlarmId, At(40), 2, 1);
        FeedUntil(47);
        _recorder.Trigger(AlarmId, At(47), 3, 1);
        _recorder.OpenWindows.Should().Be(2);
        FeedUntil(58);

        _recorder.Tick(At(58), _completed);

        _completed.Select(w => (w.Trigger, w.Score)).Should().Equal((At(40), (double?)2), (At(47), 3));
        _completed[1].Sensors[0].TimesMs[0].Should().Be(At(17).ToUnixTimeMilliseconds());
        _completed[1].Sensors[0].TimesMs[^1].Should().Be(At(57).ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Bad_samples_are_left_out_and_samples_out_of_order_are_put_in_time_order()
    {
        _recorder.Add(new SensorSample(0, 1, At(1), Good: true));
        _recorder.Add(new SensorSample(0, 3, At(3), Good: true));
        _recorder.Add(new SensorSample(0, 2, At(2), Good: true));
        _recorder.Add(new SensorSample(0, 99, At(2.5), Good: false));
        _recorder.Trigger(AlarmId, At(3), 2, 1);
        _recorder.Add(new SensorSample(0, 5, At(5), Good: true));
        _recorder.Add(new SensorSample(0, 4, At(4), Good: true));
        _recorder.Add(new SensorSample(0, 20, At(20), Good: true));

        _recorder.Tick(At(14), _completed);

        var trace = _completed.Single().Sensors[0];
        trace.Values.Should().Equal(1, 2, 3, 4, 5);
        trace.TimesMs.Should().BeInAscendingOrder();
        _completed.Single().Sensors[1].TimesMs.Should().BeEmpty("a sensor without samples is in the window, empty");
    }

    private static double Value(string sensor, long ms) => (sensor.Length * 1000) + (ms % 100_000 / 100.0);

    /// <summary>Every sensor every 200 ms from where the last call stopped up to <paramref name="seconds"/> inclusive.</summary>
    private void FeedUntil(double seconds)
    {
        var sensors = EdgeTestPlant.Pump("pump-1").Sensors;
        for (; _fed <= seconds + 1e-9; _fed = Math.Round(_fed + 0.2, 1))
        {
            var time = At(_fed);
            for (var s = 0; s < sensors.Count; s++)
            {
                _recorder.Add(new SensorSample(s, Value(sensors[s].Id, time.ToUnixTimeMilliseconds()), time, Good: true));
            }
        }
    }

    /// <summary>T0 plus whole ticks: 0.2 s steps added as doubles would land a tick short.</summary>
    private static DateTimeOffset At(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
