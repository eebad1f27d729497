using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Factory.Ml.Detectors;

/// <summary>
/// ML.NET's k-means on the mean/variance-normalised features: healthy operation as a few clusters (a
/// machine's operating points), the score as the distance to the nearest centroid. Unlike PCA it sees
/// a move along a normal direction of variation once it leaves the clusters; unlike one Mahalanobis
/// ellipsoid it fits machines that run at several distinct loads.
/// </summary>
public sealed class KMeansDistanceKind : DetectorKind
{
    public const string KindName = "kmeans-distance";

    /// <summary>The entry that holds the ML.NET model (saved with its input schema).</summary>
    public const string ModelEntry = "model.zip";

    /// <summary>The most clusters; fewer when there are fewer than 50 vectors per cluster. More clusters follow a correlated cloud more closely (24 flag a fault across the normal direction that 8 partly miss: DetectorTests).</summary>
    public int MaximumClusters { get; init; } = 24;

    public override string Name => KindName;

    public override DetectorModel Train(IReadOnlyList<float[]> healthy, int seed)
    {
        var featureCount = CheckTrainingData(healthy, 10, KindName);
        var clusters = Math.Clamp(healthy.Count / 50, 1, MaximumClusters);
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(healthy.Select(v => new FeatureRow { Features = v }), FeatureRow.SchemaFor(featureCount));
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(FeatureRow.Features), fixZero: false)
            .Append(ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
            {
                FeatureColumnName = nameof(FeatureRow.Features),
                NumberOfClusters = clusters,
                InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 100,
            }));
        var model = pipeline.Fit(data);
        return new KMeansDistanceModel(ml, model, data.Schema, featureCount);
    }

    public override DetectorModel Load(IReadOnlyDictionary<string, byte[]> payload, int featureCount)
    {
        var bytes = RequireEntry(payload, ModelEntry, KindName);
        var (ml, model, inputSchema) = MlNetPayload.Load(bytes, ModelEntry, featureCount);

        var output = model.GetOutputSchema(inputSchema).GetColumnOrNull(nameof(ClusterRow.Score));
        if (output is null || output.Value.Type is not VectorDataViewType { ItemType: var scoreType } || scoreType != NumberDataViewType.Single)
        {
            throw new InvalidDataException($"entry '{ModelEntry}' is an ML.NET model that gives no vector of distances '{nameof(ClusterRow.Score)}': not a {KindName} detector.");
        }

        return new KMeansDistanceModel(ml, model, inputSchema, featureCount);
    }
}

/// <summary>A trained normaliser and k-means, scored through ML.NET PredictionEngines.</summary>
internal sealed class KMeansDistanceModel(MLContext ml, ITransformer model, DataViewSchema inputSchema, int featureCount) : DetectorModel
{
    private readonly SchemaDefinition _definition = FeatureRow.SchemaFor(featureCount);

    public override string Kind => KMeansDistanceKind.KindName;

    public override int FeatureCount { get; } = featureCount;

    public override IDetectorEngine CreateEngine() =>
        new Engine(ml.Model.CreatePredictionEngine<FeatureRow, ClusterRow>(model, ignoreMissingColumns: true, inputSchemaDefinition: _definition), FeatureCount);

    public override IReadOnlyDictionary<string, byte[]> ToPayload()
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema, stream);
        return new Dictionary<string, byte[]> { [KMeansDistanceKind.ModelEntry] = stream.ToArray() };
    }

    private sealed class Engine(PredictionEngine<FeatureRow, ClusterRow> engine, int featureCount) : IDetectorEngine
    {
        private readonly FeatureRow _input = new() { Features = new float[featureCount] };
        private ClusterRow _output = new();

        public float Score(ReadOnlySpan<float> features)
        {
            features.CopyTo(_input.Features);
            engine.Predict(_input, ref _output);

            // ML.NET gives squared distances to every centroid (possibly a hair below zero from rounding).
            var nearest = float.MaxValue;
            foreach (var distance in _output.Score)
            {
                nearest = Math.Min(nearest, distance);
            }

            return MathF.Sqrt(Math.Max(0, nearest));
        }

        public void Dispose() => engine.Dispose();
    }
}

/// <summary>The output row of ML.NET k-means: the squared distance to each centroid.</summary>
internal sealed class ClusterRow
{
    public float[] Score { get; set; } = [];
}
