using Factory.Ml.Detectors;

namespace Factory.Ml.Tests.Detectors;

[Collection(TrainedDetectorsCollection.Name)]
public sealed class DetectorTests(TrainedDetectors trained)
{
    public static TheoryData<string> Kinds => [RandomizedPcaKind.KindName, RobustMahalanobisKind.KindName, KMeansDistanceKind.KindName];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Training_twice_with_the_same_seed_gives_the_same_scores(string kind)
    {
        var detectorKind = DetectorKinds.Find(kind)!;
        var probe = HealthyOperation.Vectors(200, seed: 9).Concat(HealthyOperation.AcrossTheNormalDirection(50, seed: 10)).ToList();

        var again = detectorKind.Train(trained.Training, TrainedDetectors.Seed);

        again.ScoreAll(probe).Should().Equal(trained.Of(kind).Model.ScoreAll(probe));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_threshold_chosen_on_held_out_healthy_data_gives_about_the_target_false_alarm_rate(string kind)
    {
        var (model, _) = trained.Of(kind);
        const double Target = 0.01;
        var threshold = AlarmThreshold.ForFalseAlarmRate(model.ScoreAll(trained.HeldOut), Target);

        var freshHealthy = HealthyOperation.Vectors(20_000, seed: 3);
        var rate = AlarmThreshold.FractionAbove(model.ScoreAll(freshHealthy), threshold);

        rate.Should().BeInRange(0.006, 0.016, "the held-out quantile estimates the 99th percentile of healthy scores");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_fault_across_the_normal_direction_of_variation_is_flagged(string kind)
    {
        var (model, threshold) = trained.Of(kind);

        var detected = AlarmThreshold.FractionAbove(model.ScoreAll(HealthyOperation.AcrossTheNormalDirection(500, seed: 4)), threshold);

        detected.Should().BeGreaterThan(0.95);
    }

    [Theory]
    [InlineData(RobustMahalanobisKind.KindName)]
    [InlineData(KMeansDistanceKind.KindName)]
    public void Mahalanobis_and_kmeans_flag_a_fault_along_the_normal_direction_of_variation(string kind)
    {
        var (model, threshold) = trained.Of(kind);

        var detected = AlarmThreshold.FractionAbove(model.ScoreAll(HealthyOperation.AlongTheNormalDirection(500, seed: 5)), threshold);

        detected.Should().BeGreaterThan(0.95);
    }

    /// <summary>
    /// The known weakness (docs/models.md): PCA models healthy operation as a subspace and scores
    /// the distance from it; an overload moves the features far, but along the subspace, so the
    /// distance stays that of healthy operation.
    /// </summary>
    [Fact]
    public void RandomizedPca_alone_misses_a_fault_along_the_normal_direction_that_Mahalanobis_catches()
    {
        var overload = HealthyOperation.AlongTheNormalDirection(500, seed: 5);

        var pcaDetected = AlarmThreshold.FractionAbove(trained.Pca.ScoreAll(overload), trained.PcaThreshold);
        var mahalanobisDetected = AlarmThreshold.FractionAbove(trained.Mahalanobis.ScoreAll(overload), trained.MahalanobisThreshold);

        pcaDetected.Should().BeLessThan(0.05, "the overload lies in the PCA subspace");
        mahalanobisDetected.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void RandomizedPca_scores_a_machine_at_its_usual_load_as_healthy()
    {
        // ML.NET's own score is relative to the distance from the mean, and near 1 right at it;
        // the detector's score is the absolute distance from the PCA subspace.
        var mean = Enumerable.Range(0, HealthyOperation.FeatureCount).Select(j => trained.Training.Average(v => v[j])).ToArray();

        var score = trained.Pca.ScoreAll([mean])[0];

        score.Should().BeLessThan(trained.Pca.ScoreAll(trained.HeldOut).Order().ElementAt(trained.HeldOut.Count / 2));
    }

    [Fact]
    public void Mahalanobis_is_not_pulled_by_a_few_odd_vectors_in_the_healthy_history()
    {
        var contaminated = trained.Training.Concat(HealthyOperation.AcrossTheNormalDirection(150, seed: 6)).ToList();
        var robust = DetectorKinds.RobustMahalanobis.Train(contaminated, TrainedDetectors.Seed);
        var threshold = AlarmThreshold.ForFalseAlarmRate(robust.ScoreAll(trained.HeldOut), TrainedDetectors.FalseAlarmRate);

        var detected = AlarmThreshold.FractionAbove(robust.ScoreAll(HealthyOperation.AcrossTheNormalDirection(500, seed: 7)), threshold);

        detected.Should().BeGreaterThan(0.95, "5 % of faulty vectors in training do not make the fault look normal");
    }

    [Fact]
    public void Constant_and_collinear_features_still_train_thanks_to_the_ridge()
    {
        var vectors = HealthyOperation.Vectors(500, seed: 8).Select(v => v.Append(7f).Append(2 * v[2]).ToArray()).ToList();

        var model = DetectorKinds.RobustMahalanobis.Train(vectors, TrainedDetectors.Seed);
        var scores = model.ScoreAll(vectors);

        scores.Should().OnlyContain(s => float.IsFinite(s) && s >= 0);
        var moved = vectors[0].ToArray();
        moved[6] = 8f;
        model.ScoreAll([moved])[0].Should().BeGreaterThan(scores.Max() * 100, "a feature that never moved in training moves");
    }

    [Fact]
    public void RandomizedPca_trains_on_features_that_barely_correlate()
    {
        // Nearly every component is needed to explain 90 %: the rank plus ML.NET's oversampling
        // would exceed the dimension and make its eigenvectors NaN.
        var random = new Random(3);
        var vectors = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray()).ToList();

        var model = DetectorKinds.RandomizedPca.Train(vectors, TrainedDetectors.Seed);

        model.ScoreAll(vectors).Should().OnlyContain(s => float.IsFinite(s));
    }

    [Fact]
    public void The_threshold_needs_enough_held_out_scores_for_its_rate()
    {
        var act = () => AlarmThreshold.ForFalseAlarmRate(new float[500], 0.001);

        act.Should().Throw<ArgumentException>().WithMessage("*needs at least 1000 held-out healthy scores; got 500*");
    }

    [Fact]
    public void The_threshold_leaves_exactly_the_target_share_of_held_out_scores_above_it()
    {
        var scores = Enumerable.Range(1, 10_000).Select(i => (float)i).Reverse().ToArray();

        var threshold = AlarmThreshold.ForFalseAlarmRate(scores, 0.001);

        threshold.Should().Be(9_990);
        AlarmThreshold.FractionAbove(scores, threshold).Should().Be(0.001);
    }

    [Fact]
    public void Training_refuses_vectors_that_are_not_finite_naming_the_vector()
    {
        var vectors = HealthyOperation.Vectors(100, seed: 1);
        vectors[17][3] = float.NaN;

        var act = () => DetectorKinds.RobustMahalanobis.Train(vectors, 1);

        act.Should().Throw<ArgumentException>().WithMessage("*vector 17*not finite at feature 3*");
    }
}
