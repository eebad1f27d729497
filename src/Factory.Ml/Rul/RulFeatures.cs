namespace Factory.Ml.Rul;

/// <summary>
/// The window features of a row of a unit, from that row and the rows before it (never after):
/// per sensor column, the mean of the last <see cref="ShortWindow"/> rows, the mean, the
/// least-squares slope and the standard deviation of the last <see cref="LongWindow"/> rows, and the
/// drift of the short mean from the unit's first <see cref="BaselineRows"/> rows; then the row's
/// time since the unit's first row. A unit shorter than a window uses the rows it has.
/// </summary>
public sealed record RulFeatureSpec
{
    /// <summary>The dataset columns read, by index into <see cref="RulDataset.SensorNames"/>.</summary>
    public required IReadOnlyList<int> Columns { get; init; }

    /// <summary>The names of <see cref="Columns"/>, for messages and the saved model.</summary>
    public required IReadOnlyList<string> ColumnNames { get; init; }

    public int ShortWindow { get; init; } = 5;

    public int LongWindow { get; init; } = 30;

    public int BaselineRows { get; init; } = 10;

    /// <summary>Statistics per column.</summary>
    public const int PerColumn = 5;

    /// <summary>The length of a feature vector.</summary>
    public int Count => Columns.Count * PerColumn + 1;

    /// <summary>
    /// The columns that vary in <paramref name="training"/>: a column whose standard deviation is under
    /// 1e-4 of its mean's magnitude (a constant sensor, a sensor that only flips its last digit) carries
    /// no degradation. Columns named in <paramref name="excluded"/> are left out.
    /// </summary>
    public static RulFeatureSpec For(RulDataset training, IEnumerable<string> excluded)
    {
        var skip = excluded.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = new List<int>();
        for (var c = 0; c < training.SensorNames.Count; c++)
        {
            if (skip.Contains(training.SensorNames[c]))
            {
                continue;
            }

            double n = 0, sum = 0, sumSquares = 0;
            foreach (var row in training.Units.SelectMany(u => u.Rows))
            {
                n++;
                sum += row[c];
                sumSquares += row[c] * row[c];
            }

            var mean = sum / n;
            var deviation = Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean));
            if (deviation > 1e-4 * Math.Abs(mean) && deviation > 1e-12)
            {
                columns.Add(c);
            }
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException("No sensor column varies in the training data: there is nothing to learn degradation from.");
        }

        return new RulFeatureSpec { Columns = columns, ColumnNames = columns.Select(c => training.SensorNames[c]).ToList() };
    }

    /// <summary>The features of row <paramref name="row"/> of <paramref name="unit"/>, written into <paramref name="into"/>.</summary>
    public void Compute(RulUnit unit, int row, Span<float> into)
    {
        if (into.Length < Count)
        {
            throw new ArgumentException($"The span holds {into.Length} values; the features are {Count}.", nameof(into));
        }

        var shortStart = Math.Max(0, row - ShortWindow + 1);
        var longStart = Math.Max(0, row - LongWindow + 1);
        var baselineEnd = Math.Min(unit.Length, BaselineRows);
        var times = unit.Times;
        var k = 0;
        foreach (var c in Columns)
        {
            var shortMean = Mean(unit.Rows, c, shortStart, row);
            var longMean = Mean(unit.Rows, c, longStart, row);

            double tMean = 0;
            for (var i = longStart; i <= row; i++)
            {
                tMean += times[i];
            }

            tMean /= row - longStart + 1;
            double sxy = 0, sxx = 0, syy = 0;
            for (var i = longStart; i <= row; i++)
            {
                var dt = times[i] - tMean;
                var dy = unit.Rows[i][c] - longMean;
                sxy += dt * dy;
                sxx += dt * dt;
                syy += dy * dy;
            }

            var baseline = Mean(unit.Rows, c, 0, Math.Min(row, baselineEnd - 1));
            into[k++] = (float)shortMean;
            into[k++] = (float)longMean;
            into[k++] = (float)(sxx > 0 ? sxy / sxx : 0);
            into[k++] = (float)Math.Sqrt(syy / (row - longStart + 1));
            into[k++] = (float)(shortMean - baseline);
        }

        into[k] = (float)(times[row] - times[0]);
    }

    /// <summary>The names of the features, in vector order.</summary>
    public IReadOnlyList<string> FeatureNames() =>
    [
        .. ColumnNames.SelectMany(n => new[] { $"{n}.mean{ShortWindow}", $"{n}.mean{LongWindow}", $"{n}.slope{LongWindow}", $"{n}.sd{LongWindow}", $"{n}.drift" }),
        "age",
    ];

    private static double Mean(IReadOnlyList<double[]> rows, int column, int from, int to)
    {
        double sum = 0;
        for (var i = from; i <= to; i++)
        {
            sum += rows[i][column];
        }

        return sum / (to - from + 1);
    }
}
