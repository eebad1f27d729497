using System.Security.Cryptography;
using System.Text;
using Factory.Plant.Model;

namespace Factory.Ml.Features;

/// <summary>One feature of a machine: a statistic of one sensor's sliding window.</summary>
/// <param name="SensorId">The sensor whose window it is computed over.</param>
/// <param name="Statistic">What is computed.</param>
/// <param name="WindowSeconds">The length of the sliding window.</param>
public sealed record FeatureDefinition(string SensorId, FeatureStatistic Statistic, int WindowSeconds)
{
    /// <summary>The feature's name, <c>&lt;sensor-id&gt;.&lt;statistic&gt;</c>, e.g. <c>spindle-vibration-rms.crest-factor</c>.</summary>
    public string Name => $"{SensorId}.{FeatureSchema.StatisticName(Statistic)}";
}

/// <summary>
/// The features of one machine, in the order a model sees them: sensors ordered by id (ordinal),
/// each sensor's statistics in the order of <see cref="FeatureStatistic"/>. The order does not
/// depend on the order sensors or statistics are written in the plant configuration, so two
/// machines of one type written differently still share a schema and a model package.
/// </summary>
public sealed class FeatureSchema
{
    /// <summary>The longest window a sensor may have (the plant configuration's limit).</summary>
    public const int MaximumWindowSeconds = 3600;

    private readonly Dictionary<string, int> _sensorIndexById;

    private FeatureSchema(string machineId, string machineType, IReadOnlyList<SensorFeatures> sensors, IReadOnlyList<FeatureDefinition> features)
    {
        MachineId = machineId;
        MachineType = machineType;
        Sensors = sensors;
        Features = features;
        Names = features.Select(f => f.Name).ToArray();
        Hash = HashOf(features);
        _sensorIndexById = sensors.ToDictionary(s => s.SensorId, s => s.SensorIndex, StringComparer.Ordinal);
    }

    /// <summary>The machine the schema was built for (for messages).</summary>
    public string MachineId { get; }

    /// <summary>The machine's type id, which decides the model package it is scored with.</summary>
    public string MachineType { get; }

    /// <summary>Every sensor of the machine, in configuration order (index = sensor index).</summary>
    public IReadOnlyList<SensorFeatures> Sensors { get; }

    /// <summary>The features in model order.</summary>
    public IReadOnlyList<FeatureDefinition> Features { get; }

    /// <summary>The feature names in model order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The number of features: the length of a feature vector.</summary>
    public int Count => Features.Count;

    /// <summary>
    /// SHA-256 (lower-case hex) of the canonical feature list: for each feature in model order,
    /// its name, a tab, its window in seconds and a line feed, in UTF-8. Equal hashes mean a model
    /// trained on one schema reads the other's feature vectors correctly.
    /// </summary>
    public string Hash { get; }

    /// <summary>The schema of a machine: each sensor's configured statistics, or the defaults of its signal.</summary>
    public static FeatureSchema For(Machine machine)
    {
        var sensors = new List<SensorFeatures>(machine.Sensors.Count);
        for (var i = 0; i < machine.Sensors.Count; i++)
        {
            var sensor = machine.Sensors[i];
            var window = sensor.Features?.WindowSeconds ?? DefaultWindowSeconds(sensor.Signal, sensor.SamplingIntervalMs);
            if (window is < 1 or > MaximumWindowSeconds)
            {
                throw new ArgumentException(
                    $"Sensor '{sensor.Id}' of machine '{machine.Id}' has a {window} s feature window; windows are 1 to {MaximumWindowSeconds} s.",
                    nameof(machine));
            }

            var statistics = (sensor.Features?.Statistics ?? DefaultStatistics(sensor.Signal)).Distinct().Order().ToArray();
            sensors.Add(new SensorFeatures(i, sensor.Id, sensor.Signal, TimeSpan.FromMilliseconds(sensor.SamplingIntervalMs), window, BucketWidthFor(window), statistics));
        }

        var features = sensors
            .OrderBy(s => s.SensorId, StringComparer.Ordinal)
            .SelectMany(s => s.Statistics.Select(statistic => new FeatureDefinition(s.SensorId, statistic, s.WindowSeconds)))
            .ToArray();
        return new FeatureSchema(machine.Id, machine.Type, sensors, features);
    }

    /// <summary>The sensor index (position in the machine's configuration) of a sensor id.</summary>
    /// <exception cref="KeyNotFoundException">The machine has no such sensor.</exception>
    public int SensorIndexOf(string sensorId) =>
        _sensorIndexById.TryGetValue(sensorId, out var index)
            ? index
            : throw new KeyNotFoundException($"Machine '{MachineId}' has no sensor '{sensorId}'.");

    /// <summary>
    /// The statistics of a sensor whose configuration names none: vibration gets RMS, max,
    /// kurtosis and crest factor (impacts of bearing damage raise the last two before the RMS);
    /// temperatures get mean and slope (they move slowly; the trend is the early sign); every
    /// other signal gets mean, standard deviation, min and max.
    /// </summary>
    public static IReadOnlyList<FeatureStatistic> DefaultStatistics(SignalKind signal) => signal switch
    {
        SignalKind.VibrationRms or SignalKind.VibrationPeak =>
            [FeatureStatistic.Rms, FeatureStatistic.Max, FeatureStatistic.Kurtosis, FeatureStatistic.CrestFactor],
        SignalKind.BearingTemperature or SignalKind.WindingTemperature or SignalKind.OilTemperature =>
            [FeatureStatistic.Mean, FeatureStatistic.Slope],
        _ => [FeatureStatistic.Mean, FeatureStatistic.StandardDeviation, FeatureStatistic.Min, FeatureStatistic.Max],
    };

    /// <summary>
    /// The window of a sensor whose configuration names none: 60 s for temperatures, 10 s for
    /// everything else, and in any case long enough for 10 samples (at most an hour).
    /// </summary>
    public static int DefaultWindowSeconds(SignalKind signal, int samplingIntervalMs)
    {
        var nominal = signal is SignalKind.BearingTemperature or SignalKind.WindingTemperature or SignalKind.OilTemperature ? 60 : 10;
        var tenSamples = (int)Math.Ceiling(10 * Math.Max(samplingIntervalMs, 1) / 1000.0);
        return Math.Min(Math.Max(nominal, tenSamples), MaximumWindowSeconds);
    }

    /// <summary>The statistic's name as the plant configuration writes it: <c>mean</c>, <c>crest-factor</c>, ...</summary>
    public static string StatisticName(FeatureStatistic statistic) => statistic switch
    {
        FeatureStatistic.Mean => "mean",
        FeatureStatistic.Rms => "rms",
        FeatureStatistic.StandardDeviation => "standard-deviation",
        FeatureStatistic.Min => "min",
        FeatureStatistic.Max => "max",
        FeatureStatistic.Slope => "slope",
        FeatureStatistic.Kurtosis => "kurtosis",
        FeatureStatistic.CrestFactor => "crest-factor",
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Unknown statistic."),
    };

    /// <summary>The statistic a name (as <see cref="StatisticName"/> writes it) stands for.</summary>
    public static bool TryParseStatistic(string name, out FeatureStatistic statistic)
    {
        foreach (var candidate in Enum.GetValues<FeatureStatistic>())
        {
            if (StatisticName(candidate) == name)
            {
                statistic = candidate;
                return true;
            }
        }

        statistic = default;
        return false;
    }

    /// <summary>The hash of a feature list, as <see cref="Hash"/> defines it.</summary>
    public static string HashOf(IEnumerable<FeatureDefinition> features)
    {
        var canonical = new StringBuilder();
        foreach (var feature in features)
        {
            canonical.Append(feature.Name).Append('\t').Append(feature.WindowSeconds).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>
    /// The bucket width of a window: the smallest of 100, 200, 250, 500 ms, 1, 2, 5, 10, 15, 30,
    /// 60 s that cuts the window into at most <see cref="SensorFeatures.MaximumBuckets"/> buckets.
    /// Each of them divides a second or a minute, so evaluations at whole seconds fall on bucket boundaries.
    /// </summary>
    internal static TimeSpan BucketWidthFor(int windowSeconds)
    {
        ReadOnlySpan<int> widthsMs = [100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000];
        foreach (var width in widthsMs)
        {
            if (windowSeconds * 1000L <= (long)width * SensorFeatures.MaximumBuckets)
            {
                return TimeSpan.FromMilliseconds(width);
            }
        }

        return TimeSpan.FromMilliseconds(widthsMs[^1]);
    }
}

/// <summary>The window features of one sensor of a machine.</summary>
/// <param name="SensorIndex">The sensor's position in the machine's configuration.</param>
/// <param name="SamplingInterval">How often the sensor is sampled (for staleness).</param>
/// <param name="WindowSeconds">The length of its sliding window.</param>
/// <param name="BucketWidth">The width of the time buckets its window is made of.</param>
/// <param name="Statistics">What is computed over the window, in the order of <see cref="FeatureStatistic"/>; may be empty.</param>
public sealed record SensorFeatures(
    int SensorIndex,
    string SensorId,
    SignalKind Signal,
    TimeSpan SamplingInterval,
    int WindowSeconds,
    TimeSpan BucketWidth,
    IReadOnlyList<FeatureStatistic> Statistics)
{
    /// <summary>The most buckets a window is cut into.</summary>
    public const int MaximumBuckets = 120;

    /// <summary>The number of buckets of the window: the window covers this many whole buckets.</summary>
    public int BucketCount => (int)Math.Ceiling(TimeSpan.FromSeconds(WindowSeconds) / BucketWidth);
}
