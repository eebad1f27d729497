using System.Globalization;
using Factory.Ml.Reports;
using Factory.Ml.Rul;

namespace Factory.Host.Commands.Models;

/// <summary>The HTML report of a RUL evaluation: predicted against true RUL with the intervals, the errors, and the table.</summary>
public static class RulReport
{
    /// <summary>The report: <paramref name="paragraphs"/> first, then the figures, charts and the per-unit table.</summary>
    public static HtmlReport Build(string title, IEnumerable<string> paragraphs, RulEvaluationReport report)
    {
        var byTruth = report.Units.OrderBy(u => u.Truth).ToList();
        var top = Math.Max(byTruth.Max(u => Math.Max(u.Truth, u.Prediction.High)), 1);
        var level = report.Model.IntervalLevel;
        var chart = new SvgChart("Predicted against true RUL", "true RUL", "predicted RUL") { XRange = (0, top), YRange = (0, top) }
            .Add(new ChartBand(string.Create(CultureInfo.InvariantCulture, $"{level:P0} interval"), byTruth.Select(u => (u.Truth, u.Prediction.Low, u.Prediction.High)).ToList(), "#1f77b4"))
            .Add(new ChartSeries("predicted", byTruth.Select(u => (u.Truth, u.Prediction.Rul)).ToList(), "#d62728", Dots: true))
            .Add(new ChartSeries("perfect", [(0, 0), (top, top)], "#888888"));
        var errors = new SvgChart("Error by true RUL (positive: late)", "true RUL", "predicted − true")
            .Add(new ChartSeries("error", byTruth.Select(u => (u.Truth, u.Error)).ToList(), "#d62728", Dots: true))
            .Add(new ChartMarker("0", 0, "#888888", Horizontal: true));
        var html = new HtmlReport(title);
        foreach (var paragraph in paragraphs)
        {
            html.Paragraph(paragraph);
        }

        return html
            .Paragraph(string.Create(CultureInfo.InvariantCulture, $"RMSE {report.Rmse:F2}, PHM08 {report.Phm08:F1}, {report.Units.Count} units; the {level:P0} interval holds the truth for {report.Coverage:P0} of them."))
            .Chart(chart)
            .Chart(errors)
            .Table(
                ["unit", "rows", "true RUL", "predicted", "error", "low", "high", "curve RUL"],
                report.Units.Select(u => (IReadOnlyList<string>)[u.Unit, $"{u.Rows}", F(u.Truth), F(u.Prediction.Rul), F(u.Error), F(u.Prediction.Low), F(u.Prediction.High), F(u.Prediction.CurveRul)]));
    }

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
