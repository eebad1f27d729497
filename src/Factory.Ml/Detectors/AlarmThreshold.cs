namespace Factory.Ml.Detectors;

/// <summary>
/// Chooses the score above which a machine is anomalous from scores of held-out healthy
/// operation (vectors the detector was not trained on), for a target false-alarm rate.
/// </summary>
public static class AlarmThreshold
{
    /// <summary>
    /// The empirical (1 − rate) quantile of the held-out healthy scores: the k-th smallest score
    /// with k = n − ⌊n·rate⌋, so that at most a fraction <paramref name="falseAlarmRate"/> of them lies above it.
    /// A score is anomalous when it is greater than the threshold.
    /// </summary>
    /// <param name="healthyScores">Scores of held-out healthy feature vectors; at least 1 / rate of them.</param>
    /// <param name="falseAlarmRate">The fraction of healthy evaluations allowed to alarm, e.g. 0.001.</param>
    /// <exception cref="ArgumentException">Too few scores to estimate the quantile, a rate outside (0, 1), or a score that is NaN.</exception>
    public static float ForFalseAlarmRate(IReadOnlyList<float> healthyScores, double falseAlarmRate)
    {
        if (!(falseAlarmRate is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmRate), falseAlarmRate, "A false-alarm rate is between 0 and 1 (exclusive).");
        }

        var needed = (int)Math.Ceiling((1 / falseAlarmRate) - 1e-9);
        if (healthyScores.Count < needed)
        {
            throw new ArgumentException(
                $"A threshold for a false-alarm rate of {falseAlarmRate} needs at least {needed} held-out healthy scores; got {healthyScores.Count}.",
                nameof(healthyScores));
        }

        var sorted = healthyScores.ToArray();
        if (sorted.Any(float.IsNaN))
        {
            throw new ArgumentException("A held-out healthy score is NaN.", nameof(healthyScores));
        }

        Array.Sort(sorted);
        var above = (int)Math.Floor((sorted.Length * falseAlarmRate) + 1e-9);
        return sorted[sorted.Length - above - 1];
    }

    /// <summary>The fraction of scores above a threshold: the false-alarm rate on healthy data, the detection rate on faulty data.</summary>
    public static double FractionAbove(IReadOnlyList<float> scores, float threshold) =>
        scores.Count == 0 ? 0 : scores.Count(s => s > threshold) / (double)scores.Count;
}
