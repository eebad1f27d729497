using System.Globalization;
using Factory.Ml.Reports;
using Factory.Ml.Training;

namespace Factory.Host.Commands.Models;

/// <summary>The HTML report of an anomaly training or evaluation: the comparison table, ROC and precision-recall curves, score timelines.</summary>
internal static class AnomalyReport
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    public static IReadOnlyList<string> Header { get; } =
        ["detector", "threshold", "held-out FAR", "precision", "recall", "F1", "false alarms / machine-day", "faults detected", "median lead time"];

    public static IReadOnlyList<string> Row(DetectorResult r) =>
    [
        r.Kind,
        r.Threshold.ToString("0.####", CultureInfo.InvariantCulture),
        r.HeldOutFalseAlarmRate.ToString("0.#####", CultureInfo.InvariantCulture),
        r.Counts.Precision.ToString("0.000", CultureInfo.InvariantCulture),
        r.Counts.Recall.ToString("0.000", CultureInfo.InvariantCulture),
        r.Counts.F1.ToString("0.000", CultureInfo.InvariantCulture),
        r.FalseAlarmsPerMachineDay.ToString("0.0", CultureInfo.InvariantCulture),
        $"{r.FaultsDetected}/{r.Faults}",
        $"{r.MedianLeadTime.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min",
    ];

    public static HtmlReport Build(string title, IReadOnlyList<string> facts, IReadOnlyList<DetectorResult> results, DetectorResult chosen, LabeledTypeHistory history)
    {
        var report = new HtmlReport(title);
        foreach (var fact in facts)
        {
            report.Paragraph(fact);
        }

        report.Heading("Detectors compared").Table(Header, results.Select(Row));
        var roc = new SvgChart("ROC (every evaluation row)", "false-positive rate", "true-positive rate") { XRange = (0, 1), YRange = (0, 1) };
        var pr = new SvgChart("Precision-recall", "recall", "precision") { XRange = (0, 1), YRange = (0, 1) };
        for (var i = 0; i < results.Count; i++)
        {
            roc.Add(new ChartSeries(results[i].Kind, results[i].Roc.Select(p => (p.X, p.Y)).ToList(), Colors[i % Colors.Length]));
            pr.Add(new ChartSeries(results[i].Kind, results[i].PrecisionRecall.Select(p => (p.X, p.Y)).ToList(), Colors[i % Colors.Length]));
        }

        report.Chart(roc).Chart(pr);
        report.Heading($"Score timelines of {chosen.Kind} on the runs to failure");
        foreach (var (recording, (_, scores)) in history.Faulty.Zip(chosen.FaultyScores))
        {
            var start = recording.Vectors[0].Time;
            double Minutes(DateTimeOffset t) => (t - start).TotalMinutes;
            var chart = new SvgChart(recording.Machine, "minutes", "anomaly score");
            chart.Add(new ChartSeries("score", recording.Vectors.Select((v, k) => (Minutes(v.Time), (double)scores[k])).Where((_, k) => k % 5 == 0).ToList(), Colors[0]));
            chart.Add(new ChartMarker("threshold", chosen.Threshold, "#d62728", Horizontal: true));
            foreach (var fault in recording.Faults)
            {
                chart.Add(new ChartMarker("onset", Minutes(fault.Onset), "#ff7f0e"));
                chart.Add(new ChartMarker("failure", Minutes(fault.Failure), "#000000"));
            }

            report.Chart(chart);
        }

        return report;
    }
}
