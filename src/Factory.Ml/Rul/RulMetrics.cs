namespace Factory.Ml.Rul;

/// <summary>The accuracy of RUL predictions against the truth.</summary>
public static class RulMetrics
{
    /// <summary>Root mean squared error of <paramref name="predicted"/> against <paramref name="truth"/>.</summary>
    public static double Rmse(IReadOnlyList<double> predicted, IReadOnlyList<double> truth)
    {
        CheckLengths(predicted, truth);
        var sum = 0.0;
        for (var i = 0; i < truth.Count; i++)
        {
            var d = predicted[i] - truth[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / truth.Count);
    }

    /// <summary>
    /// The PHM08 challenge score: the sum over units of e^(−d/13) − 1 when d &lt; 0 and e^(d/10) − 1
    /// when d ≥ 0, with d = predicted − true; late predictions cost more than early ones.
    /// </summary>
    public static double Phm08(IReadOnlyList<double> predicted, IReadOnlyList<double> truth)
    {
        CheckLengths(predicted, truth);
        var score = 0.0;
        for (var i = 0; i < truth.Count; i++)
        {
            var d = predicted[i] - truth[i];
            score += d < 0 ? Math.Exp(-d / 13) - 1 : Math.Exp(d / 10) - 1;
        }

        return score;
    }

    /// <summary>The share of truths inside their interval [low, high].</summary>
    public static double Coverage(IReadOnlyList<RulPrediction> predictions, IReadOnlyList<double> truth)
    {
        CheckLengths(predictions, truth);
        return predictions.Zip(truth).Count(p => p.Second >= p.First.Low && p.Second <= p.First.High) / (double)truth.Count;
    }

    private static void CheckLengths<T>(IReadOnlyList<T> predicted, IReadOnlyList<double> truth)
    {
        if (predicted.Count != truth.Count)
        {
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} truths.");
        }

        if (truth.Count == 0)
        {
            throw new ArgumentException("No predictions to score.");
        }
    }
}
