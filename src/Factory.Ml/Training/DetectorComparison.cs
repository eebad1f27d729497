using Factory.Ml.Detectors;
using Factory.Ml.Evaluation;

namespace Factory.Ml.Training;

/// <summary>A feature vector of a machine at an evaluation time, labeled faulty while a fault is under way (from its onset to its failure).</summary>
public sealed record LabeledVector(DateTimeOffset Time, float[] Values, bool Faulty);

/// <summary>A fault of a machine: its onset and the failure it leads to.</summary>
public sealed record FaultEpisode(DateTimeOffset Onset, DateTimeOffset Failure);

/// <summary>One machine's vectors in time order, and its faults (none for healthy operation).</summary>
public sealed record MachineRecording(string Machine, IReadOnlyList<LabeledVector> Vectors, IReadOnlyList<FaultEpisode> Faults);

/// <summary>How the alarms of a detector are judged: the edge's debounce and evaluation interval (EdgeTuning).</summary>
public sealed record AlarmRule
{
    /// <summary>Consecutive scores above the threshold that raise the alarm (EdgeTuning.AnomalyRaiseAfter).</summary>
    public int RaiseAfter { get; init; } = 2;

    /// <summary>Consecutive scores under <see cref="ClearRatio"/> × threshold that clear it (EdgeTuning.AnomalyClearAfter).</summary>
    public int ClearAfter { get; init; } = 5;

    public double ClearRatio { get; init; } = 0.9;

    /// <summary>The time one vector stands for: the edge's evaluation interval.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A point of a ROC or precision-recall curve.</summary>
public readonly record struct CurvePoint(double X, double Y);

/// <summary>How one detector kind did: its threshold, row-wise counts, alarm events, lead times, curves and scores.</summary>
public sealed record DetectorResult(
    string Kind,
    DetectorModel Model,
    float Threshold,
    double HeldOutFalseAlarmRate,
    DetectionCounts Counts,
    int FalseAlarms,
    double HealthyMachineDays,
    int Faults,
    IReadOnlyList<TimeSpan?> LeadTimes,
    IReadOnlyList<CurvePoint> Roc,
    IReadOnlyList<CurvePoint> PrecisionRecall,
    IReadOnlyList<(string Machine, float[] Scores)> FaultyScores)
{
    /// <summary>Alarms raised while no fault was under way, per machine-day of healthy operation.</summary>
    public double FalseAlarmsPerMachineDay => HealthyMachineDays > 0 ? FalseAlarms / HealthyMachineDays : 0;

    /// <summary>Faults with an alarm between onset and failure.</summary>
    public int FaultsDetected => LeadTimes.Count(t => t is not null);

    /// <summary>The median time from the first alarm of a detected fault to its failure; zero when none was detected.</summary>
    public TimeSpan MedianLeadTime
    {
        get
        {
            var detected = LeadTimes.Where(t => t is not null).Select(t => t!.Value).Order().ToList();
            return detected.Count == 0 ? TimeSpan.Zero : detected.Count % 2 == 1
                ? detected[detected.Count / 2]
                : (detected[(detected.Count / 2) - 1] + detected[detected.Count / 2]) / 2;
        }
    }
}

/// <summary>
/// Trains every detector kind on the same healthy vectors, sets each one's threshold for the same
/// false-alarm rate on held-out healthy vectors, and judges them on held-out healthy operation and on
/// runs to failure: row-wise precision, recall and F1 (faulty rows are those from a fault's onset to its
/// failure), alarm events under the edge's debounce (false alarms per machine-day of healthy operation,
/// lead time from the first alarm to failure), ROC and precision-recall curves.
/// </summary>
public static class DetectorComparer
{
    /// <param name="training">Healthy vectors the detectors are fitted on.</param>
    /// <param name="heldOut">Healthy operation not trained on: the threshold's quantile and the false alarms.</param>
    /// <param name="faulty">Machines running into faults.</param>
    public static IReadOnlyList<DetectorResult> Compare(
        IReadOnlyList<float[]> training,
        IReadOnlyList<MachineRecording> heldOut,
        IReadOnlyList<MachineRecording> faulty,
        IReadOnlyList<DetectorKind> kinds,
        double falseAlarmRate,
        AlarmRule rule,
        int seed,
        IProgress<double>? progress = null)
    {
        var results = new List<DetectorResult>();
        foreach (var kind in kinds)
        {
            var model = kind.Train(training, seed);
            var heldOutScores = ScoresOf(model, heldOut);
            var threshold = AlarmThreshold.ForFalseAlarmRate(heldOutScores.SelectMany(s => s).ToList(), falseAlarmRate);
            results.Add(Judge(kind.Name, model, threshold, heldOut, heldOutScores, faulty, rule));
            progress?.Report(results.Count / (double)kinds.Count);
        }

        return results;
    }

    /// <summary>Judges a trained detector with its threshold on held-out healthy operation and runs to failure (what <see cref="Compare"/> does for each kind, and what evaluating a package does).</summary>
    public static DetectorResult Judge(string kind, DetectorModel model, float threshold, IReadOnlyList<MachineRecording> heldOut, IReadOnlyList<MachineRecording> faulty, AlarmRule rule) =>
        Judge(kind, model, threshold, heldOut, ScoresOf(model, heldOut), faulty, rule);

    private static List<float[]> ScoresOf(DetectorModel model, IReadOnlyList<MachineRecording> recordings) =>
        [.. recordings.Select(m => model.ScoreAll(m.Vectors.Select(v => v.Values).ToList()))];

    private static DetectorResult Judge(string kind, DetectorModel model, float threshold, IReadOnlyList<MachineRecording> heldOut, List<float[]> heldOutScores, IReadOnlyList<MachineRecording> faulty, AlarmRule rule)
    {
        var faultyScores = ScoresOf(model, faulty);
        var counts = default(DetectionCounts);
        var falseAlarms = 0;
        var healthyRows = 0L;
        var leadTimes = new List<TimeSpan?>();
        foreach (var (recording, scores) in heldOut.Zip(heldOutScores).Concat(faulty.Zip(faultyScores)))
        {
            counts += DetectionCounts.Of(scores, recording.Vectors.Select(v => v.Faulty).ToList(), threshold);
            var raised = Raises(scores, threshold, rule);
            for (var i = 0; i < scores.Length; i++)
            {
                if (!recording.Vectors[i].Faulty)
                {
                    healthyRows++;
                    if (raised[i])
                    {
                        falseAlarms++;
                    }
                }
            }

            foreach (var fault in recording.Faults)
            {
                var first = Enumerable.Range(0, scores.Length)
                    .FirstOrDefault(i => raised[i] && recording.Vectors[i].Time >= fault.Onset && recording.Vectors[i].Time <= fault.Failure, -1);
                leadTimes.Add(first < 0 ? null : fault.Failure - recording.Vectors[first].Time);
            }
        }

        var allScores = heldOutScores.Concat(faultyScores).SelectMany(s => s).ToList();
        var allLabels = heldOut.Concat(faulty).SelectMany(m => m.Vectors.Select(v => v.Faulty)).ToList();
        var (roc, pr) = Curves(allScores, allLabels);
        return new DetectorResult(
            kind,
            model,
            threshold,
            AlarmThreshold.FractionAbove(heldOutScores.SelectMany(s => s).ToList(), threshold),
            counts,
            falseAlarms,
            healthyRows * rule.EvaluationInterval.TotalDays,
            leadTimes.Count,
            leadTimes,
            roc,
            pr,
            faulty.Zip(faultyScores).Select(p => (p.First.Machine, p.Second)).ToList());
    }

    /// <summary>
    /// The best of a comparison: of the kinds within 0.01 of the highest row-wise F1, the one that detected
    /// the most faults, then the one with the fewest false alarms per machine-day, then the longest median
    /// lead time. A missed fault costs a machine; a false alarm costs a look.
    /// </summary>
    public static DetectorResult Choose(IReadOnlyList<DetectorResult> results)
    {
        var best = results.Max(r => r.Counts.F1);
        return results.Where(r => r.Counts.F1 >= best - 0.01)
            .OrderByDescending(r => r.FaultsDetected)
            .ThenBy(r => r.FalseAlarmsPerMachineDay)
            .ThenByDescending(r => r.MedianLeadTime)
            .First();
    }

    /// <summary>For each score, whether an alarm is raised (rising edges only) under the edge's debounce.</summary>
    public static bool[] Raises(IReadOnlyList<float> scores, float threshold, AlarmRule rule)
    {
        var raised = new bool[scores.Count];
        var active = false;
        int above = 0, below = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            above = scores[i] > threshold ? above + 1 : 0;
            below = scores[i] < rule.ClearRatio * threshold ? below + 1 : 0;
            if (!active && above >= rule.RaiseAfter)
            {
                active = true;
                raised[i] = true;
            }
            else if (active && below >= rule.ClearAfter)
            {
                active = false;
            }
        }

        return raised;
    }

    /// <summary>ROC (false-positive rate, true-positive rate) and precision-recall (recall, precision) over every threshold, thinned to at most 200 points.</summary>
    public static (IReadOnlyList<CurvePoint> Roc, IReadOnlyList<CurvePoint> PrecisionRecall) Curves(IReadOnlyList<float> scores, IReadOnlyList<bool> faulty)
    {
        var positives = faulty.Count(f => f);
        var negatives = faulty.Count - positives;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var roc = new List<CurvePoint> { new(0, 0) };
        var pr = new List<CurvePoint>();
        int tp = 0, fp = 0;
        var step = Math.Max(1, order.Length / 200);
        for (var k = 0; k < order.Length; k++)
        {
            if (faulty[order[k]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            var last = k == order.Length - 1;
            if (!last && (k % step != 0 || scores[order[k + 1]] == scores[order[k]]))
            {
                continue;
            }

            roc.Add(new CurvePoint(negatives == 0 ? 0 : fp / (double)negatives, positives == 0 ? 0 : tp / (double)positives));
            if (positives > 0)
            {
                pr.Add(new CurvePoint(tp / (double)positives, tp / (double)(tp + fp)));
            }
        }

        return (roc, pr);
    }
}
