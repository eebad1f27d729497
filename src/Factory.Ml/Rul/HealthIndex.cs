using MathNet.Numerics.LinearAlgebra;

namespace Factory.Ml.Rul;

/// <summary>
/// A health index: a linear map of a unit's smoothed sensor levels to its capped remaining life as a
/// share of the cap (1 while at least the cap remains, 0 at failure), fitted by ridge least squares
/// on standardised levels. Its recent course is the degradation curve <see cref="DegradationCurve"/>
/// extrapolates.
/// </summary>
public sealed record HealthIndex(double[] Means, double[] Scales, double[] Weights, double Intercept)
{
    /// <summary>Fits the index on every row of the training units (levels: the short-window means of <paramref name="spec"/>).</summary>
    public static HealthIndex Fit(RulFeatureSpec spec, IReadOnlyList<(RulUnit Unit, float[][] Features)> units, double cap, double ridge = 1e-3)
    {
        var p = spec.Columns.Count;
        var rows = units.Sum(u => u.Unit.Length);
        var levels = Matrix<double>.Build.Dense(rows, p);
        var target = Vector<double>.Build.Dense(rows);
        var r = 0;
        foreach (var (unit, features) in units)
        {
            for (var i = 0; i < unit.Length; i++, r++)
            {
                for (var c = 0; c < p; c++)
                {
                    levels[r, c] = features[i][c * RulFeatureSpec.PerColumn];
                }

                target[r] = Math.Min(unit.RulAt(i), cap) / cap;
            }
        }

        var means = new double[p];
        var scales = new double[p];
        for (var c = 0; c < p; c++)
        {
            var column = levels.Column(c);
            means[c] = column.Average();
            var sd = Math.Sqrt(column.Sum(v => (v - means[c]) * (v - means[c])) / rows);
            scales[c] = sd > 0 ? sd : 1;
            levels.SetColumn(c, column.Map(v => (v - means[c]) / scales[c]));
        }

        var targetMean = target.Average();
        var centred = target - targetMean;
        var gram = levels.TransposeThisAndMultiply(levels) + Matrix<double>.Build.DenseIdentity(p) * (ridge * rows);
        var weights = gram.Solve(levels.TransposeThisAndMultiply(centred));
        return new HealthIndex(means, scales, weights.ToArray(), targetMean);
    }

    /// <summary>The index of a row from its features (<see cref="RulFeatureSpec.Compute"/>).</summary>
    public double Of(ReadOnlySpan<float> features)
    {
        var h = Intercept;
        for (var c = 0; c < Weights.Length; c++)
        {
            h += Weights[c] * (features[c * RulFeatureSpec.PerColumn] - Means[c]) / Scales[c];
        }

        return h;
    }
}

/// <summary>
/// The degradation curve of a unit: a straight line fitted to its health index over its last
/// <see cref="Window"/> rows, extrapolated to the failure level 0. The crossing is the curve's RUL;
/// the scatter of the index about the line divided by the line's slope is the curve's uncertainty in
/// time, which scales the calibrated interval (<see cref="RulModel"/>).
/// </summary>
public static class DegradationCurve
{
    /// <summary>The rows the line is fitted to.</summary>
    public const int Window = 40;

    /// <summary>The curve's RUL and its spread in time at row <paramref name="row"/>, both within [1, cap] (spread) and [0, cap] (RUL).</summary>
    public static (double Rul, double Spread, double Slope) At(IReadOnlyList<double> times, IReadOnlyList<double> health, int row, double cap)
    {
        var from = Math.Max(0, row - Window + 1);
        var n = row - from + 1;
        if (n < 3)
        {
            return (Math.Clamp(health[row] * cap, 0, cap), cap, 0);
        }

        double tMean = 0, hMean = 0;
        for (var i = from; i <= row; i++)
        {
            tMean += times[i];
            hMean += health[i];
        }

        tMean /= n;
        hMean /= n;
        double sxy = 0, sxx = 0;
        for (var i = from; i <= row; i++)
        {
            sxy += (times[i] - tMean) * (health[i] - hMean);
            sxx += (times[i] - tMean) * (times[i] - tMean);
        }

        var slope = sxx > 0 ? sxy / sxx : 0;
        var now = hMean + slope * (times[row] - tMean);
        double residuals = 0;
        for (var i = from; i <= row; i++)
        {
            var e = health[i] - (hMean + slope * (times[i] - tMean));
            residuals += e * e;
        }

        var scatter = Math.Sqrt(residuals / (n - 2));

        // A flat or rising index says the unit is not (yet) degrading: the curve cannot place failure.
        if (slope >= -1e-9)
        {
            return (cap, cap, slope);
        }

        var rul = Math.Clamp(now / -slope, 0, cap);
        var spread = Math.Clamp(scatter / -slope, 1, cap);
        return (rul, spread, slope);
    }
}
