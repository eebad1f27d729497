using System.Globalization;
using System.Net;
using System.Text;

namespace Factory.Ml.Reports;

/// <summary>A line of a chart: points joined in order, or unjoined dots.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, bool Dots = false);

/// <summary>A band between two lines (a prediction interval), drawn under the series.</summary>
public sealed record ChartBand(string Name, IReadOnlyList<(double X, double Low, double High)> Points, string Color);

/// <summary>A vertical marker at an x (a fault's onset, a failure) or a horizontal one at a y (a threshold).</summary>
public sealed record ChartMarker(string Label, double Value, string Color, bool Horizontal = false);

/// <summary>
/// A chart as a self-contained SVG: axes with ticks at round numbers, series, bands, markers and a
/// legend. No script, no external resource: the report opens in any browser, offline.
/// </summary>
public sealed class SvgChart(string title, string xLabel, string yLabel)
{
    private const int Width = 640, Height = 380, Left = 64, Right = 16, Top = 36, Bottom = 48;

    private readonly List<ChartSeries> _series = [];
    private readonly List<ChartBand> _bands = [];
    private readonly List<ChartMarker> _markers = [];

    /// <summary>Fixed axis ranges; null fits the data.</summary>
    public (double Min, double Max)? XRange { get; init; }

    public (double Min, double Max)? YRange { get; init; }

    public SvgChart Add(ChartSeries series)
    {
        _series.Add(series);
        return this;
    }

    public SvgChart Add(ChartBand band)
    {
        _bands.Add(band);
        return this;
    }

    public SvgChart Add(ChartMarker marker)
    {
        _markers.Add(marker);
        return this;
    }

    public string ToSvg()
    {
        var xs = _series.SelectMany(s => s.Points.Select(p => p.X)).Concat(_bands.SelectMany(b => b.Points.Select(p => p.X)))
            .Concat(_markers.Where(m => !m.Horizontal).Select(m => m.Value)).ToList();
        var ys = _series.SelectMany(s => s.Points.Select(p => p.Y)).Concat(_bands.SelectMany(b => b.Points.SelectMany(p => new[] { p.Low, p.High })))
            .Concat(_markers.Where(m => m.Horizontal).Select(m => m.Value)).Where(double.IsFinite).ToList();
        var (x0, x1) = XRange ?? Span(xs);
        var (y0, y1) = YRange ?? Span(ys);
        double X(double x) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - ((Math.Clamp(y, y0, y1) - y0) / (y1 - y0) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{E(title)}</text>");
        foreach (var tick in Ticks(x0, x1))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(tick):0.#}\" y1=\"{Top}\" x2=\"{X(tick):0.#}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(tick):0.#}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Format(tick)}</text>");
        }

        foreach (var tick in Ticks(y0, y1))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(tick):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(tick):0.#}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Y(tick) + 4:0.#}\" text-anchor=\"end\">{Format(tick)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {(Height - Bottom + Top) / 2}) rotate(-90)\" text-anchor=\"middle\">{E(yLabel)}</text>");
        foreach (var band in _bands)
        {
            var upper = band.Points.Select(p => $"{X(p.X):0.#},{Y(p.High):0.#}");
            var lower = band.Points.Reverse().Select(p => $"{X(p.X):0.#},{Y(p.Low):0.#}");
            svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{band.Color}\" fill-opacity=\"0.25\" stroke=\"none\"/>");
        }

        foreach (var series in _series)
        {
            if (series.Dots)
            {
                foreach (var (x, y) in series.Points)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(x):0.#}\" cy=\"{Y(y):0.#}\" r=\"2.5\" fill=\"{series.Color}\"/>");
                }
            }
            else if (series.Points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{series.Color}\" stroke-width=\"1.5\" points=\"{string.Join(' ', series.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}")))}\"/>");
            }
        }

        foreach (var marker in _markers)
        {
            if (marker.Horizontal)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(marker.Value):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(marker.Value):0.#}\" stroke=\"{marker.Color}\" stroke-dasharray=\"5 3\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 4}\" y=\"{Y(marker.Value) - 4:0.#}\" text-anchor=\"end\" fill=\"{marker.Color}\">{E(marker.Label)}</text>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(marker.Value):0.#}\" y1=\"{Top}\" x2=\"{X(marker.Value):0.#}\" y2=\"{Height - Bottom}\" stroke=\"{marker.Color}\" stroke-dasharray=\"5 3\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(marker.Value) + 3:0.#}\" y=\"{Top + 12}\" fill=\"{marker.Color}\">{E(marker.Label)}</text>");
            }
        }

        var legendY = Top + 8;
        foreach (var (name, color) in _series.Select(s => (s.Name, s.Color)).Concat(_bands.Select(b => (b.Name, b.Color))))
        {
            legendY += 14;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + 8}\" y=\"{legendY - 8}\" width=\"10\" height=\"8\" fill=\"{color}\"/><text x=\"{Left + 22}\" y=\"{legendY}\">{E(name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Round tick values: steps of 1, 2 or 5 times a power of ten, about five of them.</summary>
    public static IReadOnlyList<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var t = Math.Ceiling(min / step) * step; t <= max + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }

        return ticks;
    }

    private static (double, double) Span(List<double> values)
    {
        if (values.Count == 0)
        {
            return (0, 1);
        }

        var (min, max) = (values.Min(), values.Max());
        return max > min ? (min, max) : (min - 1, max + 1);
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>A report as one HTML file: a title, paragraphs, tables and charts, styled inline.</summary>
public sealed class HtmlReport(string title)
{
    private readonly StringBuilder _body = new();

    public HtmlReport Heading(string text)
    {
        _body.Append("<h2>").Append(WebUtility.HtmlEncode(text)).Append("</h2>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(WebUtility.HtmlEncode(text)).Append("</p>\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table><tr>").Append(string.Concat(header.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>"))).Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{WebUtility.HtmlEncode(c)}</td>"))).Append("</tr>\n");
        }

        _body.Append("</table>\n");
        return this;
    }

    public HtmlReport Chart(SvgChart chart)
    {
        _body.Append("<figure>").Append(chart.ToSvg()).Append("</figure>\n");
        return this;
    }

    public string ToHtml() =>
        $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title>" +
        "<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:1em 0}" +
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}figure{display:inline-block;margin:0.5em}</style>" +
        $"</head><body><h1>{WebUtility.HtmlEncode(title)}</h1>\n{_body}</body></html>\n";

    /// <summary>Writes the report, replacing the file whole (a reader never sees half of it).</summary>
    public void Write(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, ToHtml());
        File.Move(temporary, path, overwrite: true);
    }
}
