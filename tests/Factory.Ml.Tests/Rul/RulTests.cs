using Factory.Ml.Rul;

namespace Factory.Ml.Tests.Rul;

public sealed class RulTests
{
    private static readonly RulTrainingOptions Fast = new()
    {
        ExcludedColumns = ["setting1", "setting2", "setting3"],
        Trees = 40,
        CalibrationFolds = 3,
    };

    [Fact]
    public void Rmse_and_phm08_equal_a_hand_computation()
    {
        double[] truth = [10, 50, 100];
        double[] predicted = [20, 37, 100];

        // d = +10 (late), -13 (early), 0.
        RulMetrics.Rmse(predicted, truth).Should().BeApproximately(Math.Sqrt((100 + 169 + 0) / 3.0), 1e-12);
        RulMetrics.Phm08(predicted, truth).Should().BeApproximately((Math.Exp(1) - 1) + (Math.Exp(1) - 1) + 0, 1e-12);
    }

    [Fact]
    public void The_conformal_quantile_is_the_ceiling_rank_of_n_plus_one()
    {
        var scores = Enumerable.Range(1, 19).Select(i => (double)i).Reverse().ToList();

        // ⌈(19 + 1) · 0.9⌉ = 18: the 18th smallest.
        RulTrainer.ConformalQuantile(scores, 0.9).Should().Be(18);
        RulTrainer.ConformalQuantile(scores, 0.99).Should().Be(19);
    }

    [Fact]
    public void Training_with_the_same_seed_gives_the_same_metrics_and_another_seed_other_folds()
    {
        var data = SyntheticFleet.Units(30, seed: 5);

        var first = RulEvaluation.HoldOut(data, 0.2, seed: 3, Fast);
        var again = RulEvaluation.HoldOut(data, 0.2, seed: 3, Fast);
        var other = RulEvaluation.HoldOut(data, 0.2, seed: 4, Fast);

        again.Rmse.Should().Be(first.Rmse);
        again.Phm08.Should().Be(first.Phm08);
        again.Units.Select(u => u.Prediction).Should().Equal(first.Units.Select(u => u.Prediction));
        again.Model.Calibration.Should().Be(first.Model.Calibration);
        other.Units.Select(u => u.Unit).Should().NotEqual(first.Units.Select(u => u.Unit));
    }

    [Fact]
    public void A_model_learns_the_degradation_and_its_interval_covers_about_as_promised()
    {
        var training = SyntheticFleet.Units(40, seed: 11);
        var (test, truth) = SyntheticFleet.Units(60, seed: 12, cutBeforeFailure: new Random(13));

        var report = RulEvaluation.OnTestSet(training, test, truth, Fast);

        // Always predicting the mean remaining life of the test cuts (about 52) would score about 27.
        report.Rmse.Should().BeLessThan(15);
        report.Coverage.Should().BeInRange(0.75, 1.0);
        report.Model.Spec.ColumnNames.Should().BeEquivalentTo(["s2", "s3", "s4", "s5"], "the constant sensors and the excluded settings are not read");
    }

    [Fact]
    public void A_saved_model_loads_and_predicts_the_same()
    {
        var training = SyntheticFleet.Units(20, seed: 21);
        var model = RulTrainer.Train(training, Fast);
        using var buffer = new MemoryStream();
        model.Save(buffer);
        buffer.Position = 0;

        var loaded = RulModel.Load(buffer, "memory");

        var unit = training.Units[3].CutAfter(80);
        loaded.Predict(unit).Should().Be(model.Predict(unit));
        loaded.Settings.Should().BeEquivalentTo(model.Settings);
    }

    [Fact]
    public void A_damaged_model_is_refused_naming_the_source()
    {
        var act = () => RulModel.Load(new MemoryStream([1, 2, 3, 4]), "models/pump-rul.zip");

        act.Should().Throw<InvalidDataException>().WithMessage("models/pump-rul.zip*");
    }

    [Fact]
    public void A_unit_predicted_at_each_row_sees_only_the_rows_up_to_it()
    {
        var training = SyntheticFleet.Units(20, seed: 31);
        var model = RulTrainer.Train(training, Fast);
        var unit = training.Units[0];

        var atRow = model.PredictAll(unit, [50, 90]);

        atRow[0].Should().Be(model.Predict(unit.CutAfter(50)));
        atRow[1].Should().Be(model.Predict(unit.CutAfter(90)));
    }
}
