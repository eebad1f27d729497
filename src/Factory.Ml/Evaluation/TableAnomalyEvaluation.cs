using Factory.Ml.Detectors;

namespace Factory.Ml.Evaluation;

/// <summary>The outcome for one file: its threshold and the counts over the rows after the training rows.</summary>
public sealed record TableEvaluation(string Path, int TrainingRows, int ScoredRows, float Threshold, DetectionCounts Counts);

/// <summary>
/// The evaluation protocol of <c>factory models evaluate-anomaly</c>: for each labeled recording, a
/// detector is fitted on its first N rows, the threshold set from the scores of those same rows for a
/// false-alarm rate, and the remaining rows scored against their labels. Nothing of one file is used
/// for another.
/// </summary>
public static class TableAnomalyEvaluation
{
    /// <summary>Evaluates one recording.</summary>
    /// <exception cref="ArgumentException">Fewer rows than <paramref name="trainFirst"/> + 1, or too few training rows for the rate: naming the file.</exception>
    public static TableEvaluation Evaluate(LabeledTable table, int trainFirst, DetectorKind detector, double falseAlarmRate, int seed)
    {
        if (trainFirst < 1 || table.Rows.Count <= trainFirst)
        {
            throw new ArgumentException($"{table.Path}: {table.Rows.Count} rows; --train-first {trainFirst} leaves none to score.");
        }

        var training = table.Rows.Take(trainFirst).ToList();
        DetectorModel model;
        float threshold;
        try
        {
            model = detector.Train(training, seed);
            threshold = AlarmThreshold.ForFalseAlarmRate(model.ScoreAll(training), falseAlarmRate);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{table.Path}: {e.Message}", e);
        }

        var scored = table.Rows.Skip(trainFirst).ToList();
        var counts = DetectionCounts.Of(model.ScoreAll(scored), table.Anomalous.Skip(trainFirst).ToList(), threshold);
        return new TableEvaluation(table.Path, trainFirst, scored.Count, threshold, counts);
    }
}
