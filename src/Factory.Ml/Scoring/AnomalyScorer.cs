using Factory.Ml.Detectors;
using Factory.Ml.Packages;
using Microsoft.Extensions.ObjectPool;

namespace Factory.Ml.Scoring;

/// <summary>
/// Scores feature vectors of a machine with a loaded model package; thread-safe. Detectors whose
/// engines hold per-call state (ML.NET's PredictionEngine) are scored through a pool of engines,
/// one per concurrent caller; the others through one shared engine.
/// </summary>
/// <remarks>
/// A scorer holds no sample and no window: replacing a machine's scorer with one of a newer
/// package (after <see cref="ModelPackage.CheckCompatibleWith"/>) loses nothing, because the
/// windows live in <see cref="Features.MachineFeatures"/>.
/// </remarks>
public sealed class AnomalyScorer : IDisposable
{
    private readonly IDetectorEngine? _shared;
    private readonly ObjectPool<IDetectorEngine>? _pool;
    private volatile bool _disposed;

    /// <summary>A scorer of a package, with the package's threshold.</summary>
    public AnomalyScorer(ModelPackage package)
        : this(package.Detector, package.Manifest.Threshold)
    {
        Manifest = package.Manifest;
    }

    /// <summary>A scorer of a trained detector with a threshold (training and evaluation, before there is a package).</summary>
    public AnomalyScorer(DetectorModel detector, float threshold)
    {
        Detector = detector;
        Threshold = threshold;
        if (detector.EngineIsThreadSafe)
        {
            _shared = detector.CreateEngine();
        }
        else
        {
            var provider = new DefaultObjectPoolProvider { MaximumRetained = Math.Max(2, Environment.ProcessorCount * 2) };
            _pool = provider.Create(new EnginePolicy(detector));
        }
    }

    /// <summary>The manifest of the package scored with, when created from one.</summary>
    public ModelManifest? Manifest { get; }

    /// <summary>The detector scored with.</summary>
    public DetectorModel Detector { get; }

    /// <summary>Scores above it are anomalous.</summary>
    public float Threshold { get; }

    /// <summary>The length of the feature vectors it scores.</summary>
    public int FeatureCount => Detector.FeatureCount;

    /// <summary>The anomaly score of one feature vector (schema order): larger is more anomalous.</summary>
    /// <exception cref="ArgumentException">The vector is not <see cref="FeatureCount"/> long.</exception>
    /// <exception cref="ObjectDisposedException">The scorer has been disposed.</exception>
    public float Score(ReadOnlySpan<float> features)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (features.Length != Detector.FeatureCount)
        {
            throw new ArgumentException($"The detector scores {Detector.FeatureCount} features; got {features.Length}.", nameof(features));
        }

        if (_shared is not null)
        {
            return _shared.Score(features);
        }

        var engine = _pool!.Get();
        try
        {
            return engine.Score(features);
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    /// <summary>Whether a score is above the threshold.</summary>
    public bool IsAnomalous(float score) => score > Threshold;

    /// <summary>Releases the pooled engines. Calls of <see cref="Score"/> still running finish; later ones throw.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        (_pool as IDisposable)?.Dispose();
        _shared?.Dispose();
    }

    private sealed class EnginePolicy(DetectorModel detector) : IPooledObjectPolicy<IDetectorEngine>
    {
        public IDetectorEngine Create() => detector.CreateEngine();

        public bool Return(IDetectorEngine obj) => true;
    }
}
