using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Factory.Ml.Detectors;

/// <summary>
/// ML.NET's randomized PCA anomaly detector, with mean/variance normalisation in the same
/// ML.NET pipeline. It models healthy operation as a low-dimensional subspace of the normalised
/// features; the score is the distance of a vector from that subspace (the residual norm, the
/// square root of the Q statistic). It therefore misses faults that move along the subspace,
/// the normal directions of variation (docs/models.md).
/// </summary>
/// <remarks>
/// ML.NET's own <c>Score</c> is the <em>relative</em> residual ‖r‖ / ‖x − μ‖, which is close to 1
/// for every vector near the healthy mean (where ‖x − μ‖ is small and mostly noise): a machine at
/// its usual load would look as anomalous as a broken one. The engine therefore multiplies it by
/// ‖x − μ‖, computed from the normalised features the same PredictionEngine call returns.
/// </remarks>
public sealed class RandomizedPcaKind : DetectorKind
{
    public const string KindName = "randomized-pca";

    /// <summary>The entry that holds the ML.NET model (saved with its input schema).</summary>
    public const string ModelEntry = "model.zip";

    /// <summary>Components kept; null chooses the fewest that explain <see cref="ExplainedVariance"/> of the normalised features' variance.</summary>
    public int? Rank { get; init; }

    /// <summary>The share of variance the automatically chosen rank explains.</summary>
    public double ExplainedVariance { get; init; } = 0.9;

    /// <summary>Extra dimensions of the randomized projection (ML.NET's default is 20).</summary>
    public int Oversampling { get; init; } = 20;

    public override string Name => KindName;

    public override DetectorModel Train(IReadOnlyList<float[]> healthy, int seed)
    {
        var featureCount = CheckTrainingData(healthy, 10, KindName);
        if (featureCount < 2)
        {
            throw new ArgumentException($"{KindName} needs at least 2 features; the vectors have {featureCount}.", nameof(healthy));
        }

        if (healthy.All(v => v.AsSpan().SequenceEqual(healthy[0])))
        {
            throw new ArgumentException($"{KindName} cannot train on healthy feature vectors that are all equal: there is no variation to model.", nameof(healthy));
        }

        var rank = Math.Clamp(Rank ?? RankFor(healthy, featureCount, ExplainedVariance), 1, featureCount - 1);
        var ml = new MLContext(seed);
        var definition = FeatureRow.SchemaFor(featureCount);
        var data = ml.Data.LoadFromEnumerable(healthy.Select(v => new FeatureRow { Features = v }), definition);
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(FeatureRow.Features), fixZero: false)
            .Append(ml.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
            {
                FeatureColumnName = nameof(FeatureRow.Features),
                Rank = rank,

                // Rank plus oversampling beyond the dimension makes ML.NET's eigenvectors NaN.
                Oversampling = Math.Clamp(featureCount - rank, 0, Oversampling),
                EnsureZeroMean = true,
                Seed = seed,
            }));
        var model = pipeline.Fit(data);
        return new RandomizedPcaModel(ml, model, data.Schema, featureCount, PcaMean(model, featureCount)!);
    }

    public override DetectorModel Load(IReadOnlyDictionary<string, byte[]> payload, int featureCount)
    {
        var bytes = RequireEntry(payload, ModelEntry, KindName);
        var (ml, model, inputSchema) = MlNetPayload.Load(bytes, ModelEntry, featureCount);

        var output = model.GetOutputSchema(inputSchema).GetColumnOrNull(nameof(ScoreRow.Score));
        if (output is null || output.Value.Type != NumberDataViewType.Single)
        {
            throw new InvalidDataException($"entry '{ModelEntry}' is an ML.NET model that gives no '{nameof(ScoreRow.Score)}' column: not an anomaly detector.");
        }

        var mean = PcaMean(model, featureCount)
            ?? throw new InvalidDataException($"entry '{ModelEntry}' is an ML.NET model without a randomized PCA: not a {KindName} detector.");
        return new RandomizedPcaModel(ml, model, inputSchema, featureCount, mean);
    }

    /// <summary>The mean the PCA centres the normalised features by, or null when the model holds no PCA.</summary>
    private static float[]? PcaMean(ITransformer model, int featureCount)
    {
        // A loaded chain types its predictor as IPredictorProducing<float>, a trained one as PcaModelParameters.
        var pca = (model as IEnumerable<ITransformer> ?? [model])
            .OfType<IPredictionTransformer<object>>()
            .Select(t => t.Model)
            .OfType<PcaModelParameters>()
            .LastOrDefault();
        if (pca is null)
        {
            return null;
        }

        var mean = default(VBuffer<float>);
        pca.GetMean(ref mean);
        var dense = new float[featureCount];
        if (mean.Length == featureCount)
        {
            mean.CopyTo(dense);
        }

        return dense;
    }

    /// <summary>The fewest principal components of the standardised features that explain the given share of their variance.</summary>
    private static int RankFor(IReadOnlyList<float[]> healthy, int featureCount, double share)
    {
        var correlation = Matrix<double>.Build.Dense(featureCount, featureCount);
        var rows = Matrix<double>.Build.Dense(healthy.Count, featureCount, (i, j) => healthy[i][j]);
        for (var j = 0; j < featureCount; j++)
        {
            var column = rows.Column(j);
            var mean = column.Average();
            var std = Math.Sqrt(column.Sum(x => (x - mean) * (x - mean)) / healthy.Count);
            rows.SetColumn(j, column.Map(x => std > 0 ? (x - mean) / std : 0));
        }

        rows.TransposeThisAndMultiply(rows, correlation);
        var eigenvalues = correlation.Evd(Symmetricity.Symmetric).EigenValues.Select(e => Math.Max(0, e.Real)).OrderDescending().ToArray();
        var total = eigenvalues.Sum();
        if (total <= 0)
        {
            return 1;
        }

        var explained = 0.0;
        for (var k = 0; k < eigenvalues.Length; k++)
        {
            explained += eigenvalues[k];
            if (explained >= share * total)
            {
                return k + 1;
            }
        }

        return eigenvalues.Length;
    }
}

/// <summary>A trained randomized PCA pipeline (normaliser and PCA), scored through ML.NET PredictionEngines.</summary>
internal sealed class RandomizedPcaModel : DetectorModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _inputSchema;
    private readonly SchemaDefinition _definition;
    private readonly float[] _pcaMean;

    public RandomizedPcaModel(MLContext ml, ITransformer model, DataViewSchema inputSchema, int featureCount, float[] pcaMean)
    {
        _ml = ml;
        _model = model;
        _inputSchema = inputSchema;
        FeatureCount = featureCount;
        _definition = FeatureRow.SchemaFor(featureCount);
        _pcaMean = pcaMean;
    }

    public override string Kind => RandomizedPcaKind.KindName;

    public override int FeatureCount { get; }

    public override IDetectorEngine CreateEngine() =>
        new Engine(_ml.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(_model, ignoreMissingColumns: true, inputSchemaDefinition: _definition), FeatureCount, _pcaMean);

    public override IReadOnlyDictionary<string, byte[]> ToPayload()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(_model, _inputSchema, stream);
        return new Dictionary<string, byte[]> { [RandomizedPcaKind.ModelEntry] = stream.ToArray() };
    }

    /// <summary>One PredictionEngine with its own input and output rows: for one thread at a time.</summary>
    private sealed class Engine(PredictionEngine<FeatureRow, ScoreRow> engine, int featureCount, float[] pcaMean) : IDetectorEngine
    {
        private readonly FeatureRow _input = new() { Features = new float[featureCount] };
        private ScoreRow _output = new() { Features = new float[featureCount] };

        public float Score(ReadOnlySpan<float> features)
        {
            features.CopyTo(_input.Features);
            engine.Predict(_input, ref _output);

            // From ML.NET's relative residual to the absolute one: times the distance from the PCA's mean.
            var normalised = _output.Features;
            var squares = 0.0;
            for (var j = 0; j < normalised.Length; j++)
            {
                var d = (double)normalised[j] - pcaMean[j];
                squares += d * d;
            }

            return squares > 0 ? (float)(_output.Score * Math.Sqrt(squares)) : 0f;
        }

        public void Dispose() => engine.Dispose();
    }
}

/// <summary>The input row of ML.NET detectors: one feature vector, whose length is set at run time.</summary>
internal sealed class FeatureRow
{
    public float[] Features { get; set; } = [];

    public static SchemaDefinition SchemaFor(int featureCount)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return definition;
    }
}

/// <summary>The output row of ML.NET anomaly detectors: the score, and the features as the pipeline normalised them.</summary>
internal sealed class ScoreRow
{
    public float Score { get; set; }

    public float[] Features { get; set; } = [];
}
