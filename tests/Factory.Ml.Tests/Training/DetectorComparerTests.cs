using Factory.Ml.Detectors;
using Factory.Ml.Training;

namespace Factory.Ml.Tests.Training;

public sealed class DetectorComparerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_alarm_is_raised_after_two_scores_above_and_cleared_after_five_under_nine_tenths()
    {
        float[] scores = [5, 11, 9, 11, 12, 13, 8, 8, 8, 8, 11, 11, 8, 8, 8, 8, 8, 11, 11];

        var raised = DetectorComparer.Raises(scores, 10, new AlarmRule());

        // Raised at 4 (11, 12); still active through the four 8s and the 11s; cleared at 16 (five 8s); raised again at 18.
        Enumerable.Range(0, scores.Length).Where(i => raised[i]).Should().Equal(4, 18);
    }

    [Fact]
    public void Curves_equal_a_hand_computation()
    {
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f];
        bool[] faulty = [true, false, true, false];

        var (roc, pr) = DetectorComparer.Curves(scores, faulty);

        roc.Should().Equal(new CurvePoint(0, 0), new CurvePoint(0, 0.5), new CurvePoint(0.5, 0.5), new CurvePoint(0.5, 1), new CurvePoint(1, 1));
        pr.Should().Equal(new CurvePoint(0.5, 1), new CurvePoint(0.5, 0.5), new CurvePoint(1, 2 / 3.0), new CurvePoint(1, 0.5));
    }

    [Fact]
    public void Lead_time_false_alarms_and_counts_follow_the_labels()
    {
        var training = HealthyOperation.Vectors(3_000, seed: 1);
        var heldOut = new MachineRecording("pump-1", Labeled(HealthyOperation.Vectors(2_000, seed: 2), faultyFrom: int.MaxValue), []);

        // 100 healthy windows, then the fault: onset at window 100, failure at window 160; from window 130 the
        // vectors leave healthy operation far across its normal direction, so the alarm is raised at 131.
        var run = HealthyOperation.Vectors(130, seed: 3).Concat(HealthyOperation.AcrossTheNormalDirection(30, seed: 4).Select(v => v.Select(x => x * 3).ToArray())).ToList();
        var faulty = new MachineRecording("pump-2", Labeled(run, faultyFrom: 100), [new FaultEpisode(Start.AddSeconds(100), Start.AddSeconds(160))]);

        var result = DetectorComparer.Compare(training, [heldOut], [faulty], [DetectorKinds.RobustMahalanobis], 0.01, new AlarmRule(), seed: 1).Single();

        result.Faults.Should().Be(1);
        result.LeadTimes.Single().Should().Be(TimeSpan.FromSeconds(160 - 131));
        result.Counts.TruePositives.Should().Be(30);
        result.Counts.FalseNegatives.Should().Be(30, "the first half of the fault looks healthy");
        result.Counts.FalsePositives.Should().BeInRange(5, 50, "1 % of 2,100 healthy windows, give or take");
        result.HealthyMachineDays.Should().BeApproximately(2_100 / 86_400.0, 1e-12);
        result.FalseAlarmsPerMachineDay.Should().Be(result.FalseAlarms / result.HealthyMachineDays);
        result.HeldOutFalseAlarmRate.Should().BeLessThanOrEqualTo(0.01);
    }

    [Fact]
    public void The_best_is_within_a_hundredth_of_the_highest_f1_and_pca_is_not_it_for_a_fault_along_the_normal_direction()
    {
        var training = HealthyOperation.Vectors(3_000, seed: 1);
        var heldOut = new MachineRecording("pump-1", Labeled(HealthyOperation.Vectors(2_000, seed: 2), faultyFrom: int.MaxValue), []);

        // A fault along the normal direction of variation: PCA misses it, the others do not.
        var run = HealthyOperation.Vectors(100, seed: 3).Concat(HealthyOperation.AlongTheNormalDirection(100, seed: 4)).ToList();
        var faulty = new MachineRecording("pump-2", Labeled(run, faultyFrom: 100), [new FaultEpisode(Start.AddSeconds(100), Start.AddSeconds(200))]);

        var results = DetectorComparer.Compare(training, [heldOut], [faulty], DetectorKinds.All, 0.01, new AlarmRule(), seed: 1);

        results.Select(r => r.Kind).Should().Equal(DetectorKinds.All.Select(k => k.Name));
        results.Single(r => r.Kind == RandomizedPcaKind.KindName).Counts.Recall.Should().BeLessThan(0.1);
        DetectorComparer.Choose(results).Kind.Should().NotBe(RandomizedPcaKind.KindName);
        DetectorComparer.Choose(results).Counts.F1.Should().BeGreaterThanOrEqualTo(results.Max(r => r.Counts.F1) - 0.01);
    }

    private static List<LabeledVector> Labeled(IReadOnlyList<float[]> vectors, int faultyFrom) =>
        vectors.Select((v, i) => new LabeledVector(Start.AddSeconds(i), v, i >= faultyFrom)).ToList();
}
