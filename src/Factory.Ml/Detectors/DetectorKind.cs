namespace Factory.Ml.Detectors;

/// <summary>
/// A kind of anomaly detector: how it is trained from feature vectors of healthy operation and
/// how a trained one is read back from a model package. Its <see cref="Name"/> is what a package
/// manifest records as its detector kind.
/// </summary>
public abstract class DetectorKind
{
    /// <summary>The name a package manifest records, e.g. <c>randomized-pca</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Trains a detector on feature vectors of healthy operation, reproducibly for a seed.</summary>
    /// <param name="healthy">Feature vectors, all of one length, every value finite.</param>
    /// <exception cref="ArgumentException">Too few vectors, vectors of different lengths, or values that are not finite.</exception>
    public abstract DetectorModel Train(IReadOnlyList<float[]> healthy, int seed);

    /// <summary>Reads a trained detector from the payload entries of a package.</summary>
    /// <param name="payload">The package's entries other than the manifest, by name.</param>
    /// <param name="featureCount">The number of features the manifest lists.</param>
    /// <exception cref="InvalidDataException">The payload is missing, unreadable or made for another number of features; the message says which.</exception>
    public abstract DetectorModel Load(IReadOnlyDictionary<string, byte[]> payload, int featureCount);

    public override string ToString() => Name;

    /// <summary>Checks training vectors and returns their length.</summary>
    protected static int CheckTrainingData(IReadOnlyList<float[]> healthy, int minimumVectors, string kind)
    {
        ArgumentNullException.ThrowIfNull(healthy);
        if (healthy.Count < minimumVectors)
        {
            throw new ArgumentException($"{kind} needs at least {minimumVectors} healthy feature vectors to train; got {healthy.Count}.", nameof(healthy));
        }

        var length = healthy[0].Length;
        for (var i = 0; i < healthy.Count; i++)
        {
            var vector = healthy[i];
            if (vector.Length != length)
            {
                throw new ArgumentException($"Healthy feature vector {i} has {vector.Length} features; the first has {length}.", nameof(healthy));
            }

            for (var j = 0; j < vector.Length; j++)
            {
                if (!float.IsFinite(vector[j]))
                {
                    throw new ArgumentException($"Healthy feature vector {i} has a value that is not finite at feature {j}.", nameof(healthy));
                }
            }
        }

        return length;
    }

    /// <summary>The one payload entry a kind needs, or a message that names it.</summary>
    protected static byte[] RequireEntry(IReadOnlyDictionary<string, byte[]> payload, string name, string kind) =>
        payload.TryGetValue(name, out var bytes)
            ? bytes
            : throw new InvalidDataException($"entry '{name}' is missing: a {kind} package keeps its model in it.");
}

/// <summary>A trained anomaly detector: scores feature vectors, larger is more anomalous.</summary>
public abstract class DetectorModel
{
    /// <summary>The name of its <see cref="DetectorKind"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>The length of the feature vectors it scores.</summary>
    public abstract int FeatureCount { get; }

    /// <summary>Whether one engine may score from several threads at once (then no pool is needed).</summary>
    public virtual bool EngineIsThreadSafe => false;

    /// <summary>Creates an engine that scores vectors; unless <see cref="EngineIsThreadSafe"/>, for one thread at a time.</summary>
    public abstract IDetectorEngine CreateEngine();

    /// <summary>The entries that hold this detector in a model package, by name (never <c>manifest.json</c>).</summary>
    public abstract IReadOnlyDictionary<string, byte[]> ToPayload();

    /// <summary>Scores many vectors (evaluation, threshold choice).</summary>
    public float[] ScoreAll(IReadOnlyList<float[]> vectors)
    {
        using var engine = CreateEngine();
        var scores = new float[vectors.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = engine.Score(vectors[i]);
        }

        return scores;
    }
}

/// <summary>Scores feature vectors with one trained detector.</summary>
public interface IDetectorEngine : IDisposable
{
    /// <summary>The anomaly score of one feature vector of the detector's length: larger is more anomalous.</summary>
    float Score(ReadOnlySpan<float> features);
}

/// <summary>
/// The detector kinds a model package may name. To add one (issue 6: a third detector for the
/// comparison), derive from <see cref="DetectorKind"/> and list an instance in <see cref="All"/>.
/// </summary>
public static class DetectorKinds
{
    /// <summary>ML.NET's randomized PCA over mean/variance-normalised features.</summary>
    public static DetectorKind RandomizedPca { get; } = new RandomizedPcaKind();

    /// <summary>Mahalanobis distance from a Minimum Covariance Determinant estimate.</summary>
    public static DetectorKind RobustMahalanobis { get; } = new RobustMahalanobisKind();

    /// <summary>ML.NET k-means: distance to the nearest healthy operating point.</summary>
    public static DetectorKind KMeansDistance { get; } = new KMeansDistanceKind();

    /// <summary>Every kind a package may name.</summary>
    public static IReadOnlyList<DetectorKind> All { get; } = [RandomizedPca, RobustMahalanobis, KMeansDistance];

    /// <summary>The kind of a name, or null when no kind has it.</summary>
    public static DetectorKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
