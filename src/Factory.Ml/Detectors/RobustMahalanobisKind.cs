using System.Buffers;
using System.Text.Json;

namespace Factory.Ml.Detectors;

/// <summary>
/// Mahalanobis distance from a robust estimate of the healthy features' location and covariance
/// (Minimum Covariance Determinant by the fast-MCD C-step iteration, reweighted, with a small
/// ridge). It models every direction of healthy variation with its own spread, so a fault that
/// pushes the features further along a normal direction than healthy operation ever does scores
/// high, as does one across them. Robust: the few odd vectors in "healthy" history (start-ups,
/// a sensor glitch) do not widen the model.
/// </summary>
public sealed class RobustMahalanobisKind : DetectorKind
{
    public const string KindName = "robust-mahalanobis";

    /// <summary>The entry that holds the estimate as JSON.</summary>
    public const string ParametersEntry = "mahalanobis.json";

    /// <summary>The share of healthy vectors the MCD estimate is fitted to (h/n); at least (n + p + 1) / 2 vectors.</summary>
    public double SupportFraction { get; init; } = 0.75;

    /// <summary>
    /// Added to the diagonal of the covariance of the standardised features (unit robust scale),
    /// so that features that are constant or exactly collinear in training still give a finite
    /// distance; 1e-4 bounds the weight of such a direction at 10,000 times that of a unit one.
    /// </summary>
    public double Ridge { get; init; } = 1e-4;

    /// <summary>Random (p + 1)-subsets the C-step iteration starts from.</summary>
    public int Starts { get; init; } = 50;

    /// <summary>Vectors the starts are run on when there are more (the best few are then refined on all).</summary>
    public int SubsampleSize { get; init; } = 1500;

    public override string Name => KindName;

    public override DetectorModel Train(IReadOnlyList<float[]> healthy, int seed)
    {
        var featureCount = CheckTrainingData(healthy, 10, KindName);
        if (healthy.Count < 2 * (featureCount + 1))
        {
            throw new ArgumentException(
                $"{KindName} needs at least {2 * (featureCount + 1)} healthy feature vectors for {featureCount} features; got {healthy.Count}.",
                nameof(healthy));
        }

        // Standardise by median and MAD first: the estimate itself does not depend on it (it is
        // affine equivariant), but the ridge then means the same for every feature, whatever its unit.
        var center = new double[featureCount];
        var scale = new double[featureCount];
        var column = new double[healthy.Count];
        for (var j = 0; j < featureCount; j++)
        {
            for (var i = 0; i < column.Length; i++)
            {
                column[i] = healthy[i][j];
            }

            (center[j], scale[j]) = RobustScale(column);
        }

        var standardised = new double[healthy.Count][];
        for (var i = 0; i < standardised.Length; i++)
        {
            var row = standardised[i] = new double[featureCount];
            for (var j = 0; j < featureCount; j++)
            {
                row[j] = (healthy[i][j] - center[j]) / scale[j];
            }
        }

        var h = Math.Max((healthy.Count + featureCount + 2) / 2, (int)Math.Ceiling(SupportFraction * healthy.Count));
        h = Math.Min(h, healthy.Count);
        var estimate = FastMcd.Fit(standardised, h, Ridge, Starts, SubsampleSize, new Random(seed));
        for (var j = 0; j < featureCount; j++)
        {
            center[j] += scale[j] * estimate.Location[j];
        }

        return new RobustMahalanobisModel(center, scale, estimate.Precision, new MahalanobisTraining(healthy.Count, h, Ridge, estimate.Iterations));
    }

    public override DetectorModel Load(IReadOnlyDictionary<string, byte[]> payload, int featureCount)
    {
        var bytes = RequireEntry(payload, ParametersEntry, KindName);
        try
        {
            return RobustMahalanobisModel.Read(bytes, featureCount);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"entry '{ParametersEntry}' is not valid JSON: {e.Message}", e);
        }
    }

    private static (double Center, double Scale) RobustScale(double[] values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var median = Median(sorted);
        var deviations = sorted.Select(v => Math.Abs(v - median)).ToArray();
        Array.Sort(deviations);
        var scale = 1.4826 * Median(deviations);
        if (scale <= 0)
        {
            // More than half the values equal: fall back to the standard deviation, then to 1.
            var mean = values.Average();
            scale = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        }

        return (median, scale > 0 ? scale : 1);
    }

    internal static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
}

/// <summary>How a Mahalanobis detector was trained, kept in its payload for the record.</summary>
internal sealed record MahalanobisTraining(int Vectors, int SupportVectors, double Ridge, int Iterations);

/// <summary>
/// A trained robust Mahalanobis detector: the score is the squared distance
/// zᵀ P z, z = (x − center) / scale, P the inverse robust covariance of z. Scoring only reads the
/// parameters, so one engine serves every thread.
/// </summary>
internal sealed class RobustMahalanobisModel : DetectorModel, IDetectorEngine
{
    private readonly double[] _center;
    private readonly double[] _scale;
    private readonly double[] _inverseScale;
    private readonly double[] _precision;
    private readonly MahalanobisTraining _training;

    public RobustMahalanobisModel(double[] center, double[] scale, double[] precision, MahalanobisTraining training)
    {
        _center = center;
        _scale = scale;
        _inverseScale = scale.Select(s => 1 / s).ToArray();
        _precision = precision;
        _training = training;
    }

    public override string Kind => RobustMahalanobisKind.KindName;

    public override int FeatureCount => _center.Length;

    public override bool EngineIsThreadSafe => true;

    public override IDetectorEngine CreateEngine() => this;

    public float Score(ReadOnlySpan<float> features)
    {
        var p = _center.Length;
        double[]? rented = null;
        var z = p <= 128 ? stackalloc double[p] : (rented = ArrayPool<double>.Shared.Rent(p)).AsSpan(0, p);
        for (var j = 0; j < p; j++)
        {
            z[j] = (features[j] - _center[j]) * _inverseScale[j];
        }

        var sum = VectorMath.QuadraticForm(_precision, z);

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return (float)sum;
    }

    public void Dispose()
    {
        // Nothing to release: the engine is the model itself.
    }

    public override IReadOnlyDictionary<string, byte[]> ToPayload()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var p = _center.Length;
            json.WriteStartObject();
            json.WriteNumber("featureCount", p);
            WriteArray(json, "center", _center);
            WriteArray(json, "scale", _scale);
            json.WriteStartArray("precision");
            for (var i = 0; i < p; i++)
            {
                json.WriteStartArray();
                for (var j = 0; j < p; j++)
                {
                    json.WriteNumberValue(_precision[(i * p) + j]);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartObject("training");
            json.WriteNumber("vectors", _training.Vectors);
            json.WriteNumber("supportVectors", _training.SupportVectors);
            json.WriteNumber("ridge", _training.Ridge);
            json.WriteNumber("iterations", _training.Iterations);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new Dictionary<string, byte[]> { [RobustMahalanobisKind.ParametersEntry] = stream.ToArray() };
    }

    public static RobustMahalanobisModel Read(byte[] bytes, int featureCount)
    {
        const string Entry = RobustMahalanobisKind.ParametersEntry;
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"entry '{Entry}' is not a JSON object.");
        }

        var p = RequireProperty(root, "featureCount").GetInt32();
        if (p != featureCount)
        {
            throw new InvalidDataException($"entry '{Entry}' holds a detector for {p} features; the manifest lists {featureCount}.");
        }

        var center = ReadArray(root, "center", p);
        var scale = ReadArray(root, "scale", p);
        if (scale.Any(s => s <= 0))
        {
            throw new InvalidDataException($"entry '{Entry}': every 'scale' must be greater than 0.");
        }

        var rows = RequireProperty(root, "precision");
        if (rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() != p)
        {
            throw new InvalidDataException($"entry '{Entry}': 'precision' must be {p} rows of {p} numbers.");
        }

        var precision = new double[p * p];
        var i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != p)
            {
                throw new InvalidDataException($"entry '{Entry}': 'precision' must be {p} rows of {p} numbers.");
            }

            foreach (var value in row.EnumerateArray())
            {
                precision[i++] = FiniteNumber(value, "precision");
            }
        }

        var training = RequireProperty(root, "training");
        return new RobustMahalanobisModel(center, scale, precision, new MahalanobisTraining(
            RequireProperty(training, "vectors").GetInt32(),
            RequireProperty(training, "supportVectors").GetInt32(),
            RequireProperty(training, "ridge").GetDouble(),
            RequireProperty(training, "iterations").GetInt32()));
    }

    private static void WriteArray(Utf8JsonWriter json, string name, double[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private static JsonElement RequireProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"entry '{RobustMahalanobisKind.ParametersEntry}' has no field '{name}'.");

    private static double[] ReadArray(JsonElement root, string name, int length)
    {
        var array = RequireProperty(root, name);
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != length)
        {
            throw new InvalidDataException($"entry '{RobustMahalanobisKind.ParametersEntry}': '{name}' must be {length} numbers.");
        }

        return array.EnumerateArray().Select(v => FiniteNumber(v, name)).ToArray();
    }

    private static double FiniteNumber(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new InvalidDataException($"entry '{RobustMahalanobisKind.ParametersEntry}': '{name}' holds something that is not a finite number.");
}
