using Factory.Ml.Features;
using Factory.Plant.Model;
using static Factory.Ml.Tests.TestMachines;

namespace Factory.Ml.Tests.Features;

public sealed class FeatureSchemaTests
{
    [Fact]
    public void Features_are_named_sensor_dot_statistic_ordered_by_sensor_id_then_statistic()
    {
        var schema = FeatureSchema.For(SixFeatureSpindle());

        schema.Names.Should().Equal(
            "bearing-temperature.mean",
            "bearing-temperature.slope",
            "motor-current.mean",
            "motor-current.max",
            "spindle-vibration-rms.rms",
            "spindle-vibration-rms.kurtosis");
        schema.Count.Should().Be(6);
        schema.MachineType.Should().Be("cnc-spindle");
    }

    [Fact]
    public void Sensors_without_configured_features_get_the_defaults_of_their_signal()
    {
        var schema = FeatureSchema.For(Machine(
            "m",
            "t",
            Sensor("vib", SignalKind.VibrationPeak),
            Sensor("temp", SignalKind.WindingTemperature, 1000),
            Sensor("flow", SignalKind.Flow, 200),
            Sensor("slow", SignalKind.SuctionPressure, 30_000)));

        schema.Names.Should().Equal(
            "flow.mean", "flow.standard-deviation", "flow.min", "flow.max",
            "slow.mean", "slow.standard-deviation", "slow.min", "slow.max",
            "temp.mean", "temp.slope",
            "vib.rms", "vib.max", "vib.kurtosis", "vib.crest-factor");
        schema.Features.Single(f => f.Name == "vib.rms").WindowSeconds.Should().Be(10);
        schema.Features.Single(f => f.Name == "temp.mean").WindowSeconds.Should().Be(60);
        schema.Features.Single(f => f.Name == "slow.mean").WindowSeconds.Should().Be(300, "a window holds at least 10 samples");
    }

    [Fact]
    public void The_hash_does_not_depend_on_the_order_sensors_and_statistics_are_configured_in()
    {
        var a = FeatureSchema.For(SixFeatureSpindle());
        var reordered = Machine(
            "cnc-02",
            "cnc-spindle",
            Sensor("bearing-temperature", SignalKind.BearingTemperature, 1000, Window(60, FeatureStatistic.Slope, FeatureStatistic.Mean)),
            Sensor("spindle-vibration-rms", SignalKind.VibrationRms, 100, Window(10, FeatureStatistic.Kurtosis, FeatureStatistic.Rms)),
            Sensor("motor-current", SignalKind.MotorCurrent, 200, Window(10, FeatureStatistic.Max, FeatureStatistic.Mean)));

        FeatureSchema.For(reordered).Hash.Should().Be(a.Hash);
        a.Hash.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_documented_canonical_list()
    {
        var schema = FeatureSchema.For(Machine("m", "t", Sensor("vib", SignalKind.VibrationRms, 100, Window(10, FeatureStatistic.Rms))));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("vib.rms\t10\n"u8.ToArray()));

        schema.Hash.Should().Be(expected);
    }

    [Fact]
    public void A_different_window_gives_a_different_hash()
    {
        var ten = FeatureSchema.For(Machine("m", "t", Sensor("vib", SignalKind.VibrationRms, 100, Window(10, FeatureStatistic.Rms))));
        var twenty = FeatureSchema.For(Machine("m", "t", Sensor("vib", SignalKind.VibrationRms, 100, Window(20, FeatureStatistic.Rms))));

        twenty.Hash.Should().NotBe(ten.Hash);
        twenty.Names.Should().Equal(ten.Names);
    }

    [Fact]
    public void Machines_of_one_type_in_the_sample_plant_share_one_schema()
    {
        var plant = SamplePlant();

        foreach (var group in plant.Machines.GroupBy(m => m.Type))
        {
            group.Select(m => FeatureSchema.For(m).Hash).Distinct().Should().ContainSingle($"every {group.Key} has the same sensors");
        }

        var cnc = FeatureSchema.For(plant.Machines.First(m => m.Id == "cnc-01"));
        cnc.Names.Should().Contain(["spindle-vibration-rms.crest-factor", "spindle-bearing-temperature.slope", "spindle-speed.standard-deviation"]);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(10, 100)]
    [InlineData(60, 500)]
    [InlineData(600, 5_000)]
    [InlineData(3600, 30_000)]
    public void Bucket_width_is_chosen_from_the_window_length(int windowSeconds, int bucketMs)
    {
        var schema = FeatureSchema.For(Machine("m", "t", Sensor("x", SignalKind.Flow, 100, Window(windowSeconds, FeatureStatistic.Mean))));

        schema.Sensors[0].BucketWidth.Should().Be(TimeSpan.FromMilliseconds(bucketMs));
        schema.Sensors[0].BucketCount.Should().BeLessThanOrEqualTo(SensorFeatures.MaximumBuckets);
        (schema.Sensors[0].BucketCount * schema.Sensors[0].BucketWidth).Should().Be(TimeSpan.FromSeconds(windowSeconds));
    }
}
