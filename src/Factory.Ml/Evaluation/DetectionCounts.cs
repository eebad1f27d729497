namespace Factory.Ml.Evaluation;

/// <summary>
/// How a detector's verdicts compare with the labels, row by row: true and false positives and
/// negatives, and the rates derived from them. A rate whose denominator is zero is 0.
/// </summary>
public readonly record struct DetectionCounts(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>TP / (TP + FP): of the alarms, the share that were anomalies.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN): of the anomalies, the share alarmed.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>FP / (FP + TN): of the normal rows, the share alarmed.</summary>
    public double FalseAlarmRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>FN / (FN + TP): of the anomalies, the share missed (1 − recall when there are anomalies).</summary>
    public double MissedAlarmRate => Ratio(FalseNegatives, FalseNegatives + TruePositives);

    /// <summary>Counts one verdict against its label.</summary>
    public DetectionCounts Add(bool alarmed, bool anomalous) => (alarmed, anomalous) switch
    {
        (true, true) => this with { TruePositives = TruePositives + 1 },
        (true, false) => this with { FalsePositives = FalsePositives + 1 },
        (false, false) => this with { TrueNegatives = TrueNegatives + 1 },
        (false, true) => this with { FalseNegatives = FalseNegatives + 1 },
    };

    public static DetectionCounts operator +(DetectionCounts a, DetectionCounts b) => new(
        a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.TrueNegatives + b.TrueNegatives, a.FalseNegatives + b.FalseNegatives);

    /// <summary>Counts every score against its label: a score above the threshold is an alarm.</summary>
    public static DetectionCounts Of(IReadOnlyList<float> scores, IReadOnlyList<bool> anomalous, float threshold)
    {
        if (scores.Count != anomalous.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {anomalous.Count} labels.");
        }

        var counts = default(DetectionCounts);
        for (var i = 0; i < scores.Count; i++)
        {
            counts = counts.Add(scores[i] > threshold, anomalous[i]);
        }

        return counts;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : numerator / (double)denominator;
}
