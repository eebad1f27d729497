using Factory.Plant.Config;
using Factory.Plant.Model;

namespace Factory.Ml.Tests;

/// <summary>Machines and sensors for tests, written as the plant configuration would give them.</summary>
internal static class TestMachines
{
    public static Sensor Sensor(string id, SignalKind signal, int samplingIntervalMs = 100, FeatureWindow? features = null) =>
        new(id, id, signal, $"ns=2;s=line-1.test.{id}", "u", new ValueRange(0, 100), samplingIntervalMs, null, features);

    public static Machine Machine(string id, string type, params Sensor[] sensors) =>
        new(id, id, type, Criticality.High, $"ns=2;s=line-1.{id}.status", $"ns=2;s=line-1.{id}.maintenance", sensors);

    public static FeatureWindow Window(int seconds, params FeatureStatistic[] statistics) => new(seconds, statistics);

    /// <summary>A machine of six features, the shape of the synthetic healthy data of <see cref="HealthyOperation"/>.</summary>
    public static Machine SixFeatureSpindle(string id = "cnc-01", string type = "cnc-spindle") => Machine(
        id,
        type,
        Sensor("spindle-vibration-rms", SignalKind.VibrationRms, 100, Window(10, FeatureStatistic.Rms, FeatureStatistic.Kurtosis)),
        Sensor("motor-current", SignalKind.MotorCurrent, 200, Window(10, FeatureStatistic.Mean, FeatureStatistic.Max)),
        Sensor("bearing-temperature", SignalKind.BearingTemperature, 1000, Window(60, FeatureStatistic.Mean, FeatureStatistic.Slope)));

    /// <summary>A machine of 20 sensors with 10-minute windows: the edge's memory budget case.</summary>
    public static Machine TwentySensorsTenMinutes() => Machine(
        "big-machine",
        "cnc-spindle",
        Enumerable.Range(0, 20).Select(i => Sensor(
            $"sensor-{i:00}",
            (SignalKind)(i % Enum.GetValues<SignalKind>().Length),
            100,
            Window(600, Enum.GetValues<FeatureStatistic>()))).ToArray());

    public static PlantConfig SamplePlant()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Factory.sln")))
        {
            directory = directory.Parent;
        }

        return PlantConfigLoader.Load(Path.Combine(directory!.FullName, "plant-config", "sample-plant.yaml"));
    }
}
