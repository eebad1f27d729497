using Factory.Ml.Features;
using static Factory.Ml.Tests.TestMachines;

namespace Factory.Ml.Tests.Features;

public sealed class FeatureExtractorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 8, 0, 0, 250, TimeSpan.Zero);

    private static IEnumerable<MachineSample> History(FeatureSchema schema, TimeSpan length, DateTimeOffset start)
    {
        var vibration = schema.SensorIndexOf("spindle-vibration-rms");
        var current = schema.SensorIndexOf("motor-current");
        var temperature = schema.SensorIndexOf("bearing-temperature");
        for (var ms = 0L; ms < length.TotalMilliseconds; ms += 100)
        {
            var time = start.AddMilliseconds(ms);
            yield return new MachineSample(vibration, 2 + Math.Sin(ms * 0.01), time);
            if (ms % 200 == 0)
            {
                yield return new MachineSample(current, 40 + Math.Cos(ms * 0.003), time);
            }

            if (ms % 1000 == 0)
            {
                yield return new MachineSample(temperature, 50 + (ms / 100_000.0), time);
            }
        }
    }

    [Fact]
    public void Vectors_are_those_the_edge_computes_at_each_evaluation_time()
    {
        var schema = FeatureSchema.For(SixFeatureSpindle());
        var samples = History(schema, TimeSpan.FromMinutes(3), T0).ToList();

        var vectors = new FeatureExtractor(schema, TimeSpan.FromSeconds(1)).Extract(samples).ToList();

        // The edge: every sample up to the evaluation time added, then TryCompute.
        var edge = new MachineFeatures(schema);
        var expected = new float[schema.Count];
        var next = 0;
        foreach (var vector in vectors)
        {
            while (next < samples.Count && samples[next].SourceTime < vector.Time)
            {
                edge.Add(samples[next].SensorIndex, samples[next].Value, samples[next].SourceTime);
                next++;
            }

            edge.TryCompute(vector.Time, expected).Should().BeTrue();
            vector.Values.Should().Equal(expected);
        }

        // One vector a second from the first whole second at which the 60 s temperature window
        // (500 ms buckets) covers the first sample's bucket, to the one after the last sample (08:03:00.2).
        vectors.Select(v => v.Time).Should().Equal(
            Enumerable.Range(0, 122).Select(s => new DateTimeOffset(2026, 11, 28, 8, 1, 0, TimeSpan.Zero).AddSeconds(s)));
    }

    [Fact]
    public void A_gap_in_the_recording_is_skipped_and_the_windows_fill_again_after_it()
    {
        var schema = FeatureSchema.For(SixFeatureSpindle());
        var samples = History(schema, TimeSpan.FromMinutes(2), T0)
            .Concat(History(schema, TimeSpan.FromMinutes(2), T0.AddDays(3)))
            .ToList();

        var vectors = new FeatureExtractor(schema, TimeSpan.FromSeconds(1)).Extract(samples).ToList();

        // The first part ends at 08:02:00.2; its vibration is stale (5 s) after 08:02:05.2.
        vectors.Should().NotContain(v => v.Time > T0.AddSeconds(125) && v.Time < T0.AddDays(3).AddSeconds(59));
        vectors.Where(v => v.Time < T0.AddDays(1)).Should().HaveCount(66, "08:01:00 to 08:02:05");
        vectors.Where(v => v.Time > T0.AddDays(1)).Should().HaveCount(62, "the windows fill again for 60 s after the gap; the recording ends with the evaluation after its last sample");
    }
}
