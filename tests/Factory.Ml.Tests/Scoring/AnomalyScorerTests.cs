using Factory.Ml.Detectors;
using Factory.Ml.Packages;
using Factory.Ml.Scoring;
using Factory.Ml.Tests.Detectors;
using Factory.Ml.Tests.Packages;

namespace Factory.Ml.Tests.Scoring;

[Collection(TrainedDetectorsCollection.Name)]
public sealed class AnomalyScorerTests(TrainedDetectors trained) : IDisposable
{
    private static readonly int[] Strides = [7919, 7907, 7901, 7883];

    private readonly PackageFiles _files = new();

    public static TheoryData<string> Kinds => [RandomizedPcaKind.KindName, RobustMahalanobisKind.KindName];

    public void Dispose() => _files.Dispose();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_scorer_of_a_package_scores_as_the_trained_detector_with_the_package_threshold(string kind)
    {
        var (model, threshold) = trained.Of(kind);
        using var scorer = new AnomalyScorer(ModelPackage.Load(_files.Write(kind, model, threshold)));
        var healthy = HealthyOperation.Vectors(50, seed: 21);
        var faulty = HealthyOperation.AcrossTheNormalDirection(50, seed: 22);

        healthy.Concat(faulty).Select(v => scorer.Score(v)).Should().Equal(model.ScoreAll(healthy.Concat(faulty).ToList()));
        scorer.Threshold.Should().Be(threshold);
        scorer.Manifest!.Id.Should().Be("cnc-spindle-anomaly");
        faulty.Count(v => scorer.IsAnomalous(scorer.Score(v))).Should().BeGreaterThan(45);
        healthy.Count(v => scorer.IsAnomalous(scorer.Score(v))).Should().BeLessThan(3);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Several_threads_scoring_at_once_get_the_scores_of_one_thread(string kind)
    {
        var (model, threshold) = trained.Of(kind);
        using var scorer = new AnomalyScorer(model, threshold);
        var vectors = HealthyOperation.Vectors(1_000, seed: 23).Concat(HealthyOperation.AlongTheNormalDirection(1_000, seed: 24)).ToList();
        var expected = model.ScoreAll(vectors);
        const int Threads = 4;
        using var start = new Barrier(Threads);

        var results = Enumerable.Range(0, Threads)
            .Select(t => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    var scores = new float[vectors.Count];
                    for (var round = 0; round < 3; round++)
                    {
                        for (var i = 0; i < vectors.Count; i++)
                        {
                            // Each thread walks the vectors in its own order (a prime stride), so engines interleave different inputs.
                            var k = ((i * Strides[t]) + t) % vectors.Count;
                            scores[k] = scorer.Score(vectors[k]);
                        }
                    }

                    return scores;
                },
                TaskCreationOptions.LongRunning))
            .ToArray();
        foreach (var result in await Task.WhenAll(results))
        {
            result.Should().Equal(expected);
        }
    }

    [Fact]
    public void A_vector_of_the_wrong_length_is_refused()
    {
        using var scorer = new AnomalyScorer(trained.Pca, trained.PcaThreshold);

        var act = () => scorer.Score(new float[5]);

        act.Should().Throw<ArgumentException>().WithMessage("The detector scores 6 features; got 5.*");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_disposed_scorer_refuses_to_score(string kind)
    {
        var (model, threshold) = trained.Of(kind);
        var scorer = new AnomalyScorer(model, threshold);
        scorer.Score(trained.HeldOut[0]);

        scorer.Dispose();

        scorer.Invoking(s => s.Score(trained.HeldOut[0])).Should().Throw<ObjectDisposedException>();
    }
}
