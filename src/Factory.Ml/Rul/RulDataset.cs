namespace Factory.Ml.Rul;

/// <summary>
/// Run-to-failure histories: units (an engine, a machine between two renewals), each a time-ordered
/// list of rows of sensor values. For a unit that ran to failure, the remaining useful life at a row
/// is the unit's last time minus the row's time.
/// </summary>
/// <param name="SensorNames">The name of each value column, in row order.</param>
/// <param name="Units">The units, each with its rows in time order.</param>
public sealed record RulDataset(IReadOnlyList<string> SensorNames, IReadOnlyList<RulUnit> Units)
{
    /// <summary>All rows of all units.</summary>
    public int RowCount => Units.Sum(u => u.Length);

    /// <summary>The units whose ids are in <paramref name="ids"/>, in this dataset's order.</summary>
    public RulDataset Subset(IEnumerable<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return this with { Units = Units.Where(u => wanted.Contains(u.Id)).ToList() };
    }
}

/// <summary>One unit's history: a time per row and the row's sensor values.</summary>
/// <param name="Id">The unit's id (the C-MAPSS unit number, a machine and its fault episode).</param>
/// <param name="Times">The time of each row (cycles, hours), strictly increasing.</param>
/// <param name="Rows">The sensor values of each row, in <see cref="RulDataset.SensorNames"/> order.</param>
public sealed record RulUnit(string Id, IReadOnlyList<double> Times, IReadOnlyList<double[]> Rows)
{
    public int Length => Times.Count;

    /// <summary>Remaining useful life at row <paramref name="row"/> of a unit that failed at its last row.</summary>
    public double RulAt(int row) => Times[^1] - Times[row];

    /// <summary>The unit cut after row <paramref name="lastRow"/> (as a test unit is cut before failure).</summary>
    public RulUnit CutAfter(int lastRow) => this with
    {
        Times = Times.Take(lastRow + 1).ToList(),
        Rows = Rows.Take(lastRow + 1).ToList(),
    };
}
