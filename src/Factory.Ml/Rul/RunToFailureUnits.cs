namespace Factory.Ml.Rul;

/// <summary>
/// One machine's sensors at a fixed time step: per step its start and, per sensor, the mean of the
/// step's samples (NaN where a sensor has none). From the simulator's history files or from the
/// telemetry store's summaries aggregated per bucket.
/// </summary>
/// <param name="Line">The line id.</param>
/// <param name="Machine">The machine id.</param>
/// <param name="Sensors">The sensor ids, in value order.</param>
/// <param name="Times">The start of each step, strictly increasing.</param>
/// <param name="Values">Per step, one mean per sensor.</param>
public sealed record MachineSeries(string Line, string Machine, IReadOnlyList<string> Sensors, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double[]> Values);

/// <summary>A machine's failure, and when its repair ended (the machine ran anew from then).</summary>
/// <param name="Line">The line id.</param>
/// <param name="Machine">The machine id.</param>
/// <param name="Failed">When it failed.</param>
/// <param name="Repaired">When the repair ended; null if it had not by the end of the labels.</param>
public sealed record MachineFailure(string Line, string Machine, DateTimeOffset Failed, DateTimeOffset? Repaired);

/// <summary>What <see cref="RunToFailureUnits.Build"/> made of the series and failures, beside the units.</summary>
/// <param name="Failures">Failures of the machines, in the range.</param>
/// <param name="Units">Units made (one per failure with enough history before it).</param>
/// <param name="Skipped">Failures without enough complete steps before them, with the reason.</param>
public sealed record RunToFailureSummary(int Failures, int Units, IReadOnlyList<string> Skipped);

/// <summary>
/// Cuts machine series into run-to-failure units for <see cref="RulTrainer"/>: a unit is a machine's
/// steps from the end of its previous repair (or the start of its series) up to a failure. Times
/// are hours since the unit's first step, so its RUL at a step is the hours from that step's end to
/// the last step's end; the last step is the last whole step before the failure.
/// </summary>
public static class RunToFailureUnits
{
    /// <summary>The id of the unit that ends in <paramref name="failure"/>: line/machine@time.</summary>
    public static string UnitId(MachineFailure failure) => $"{failure.Line}/{failure.Machine}@{failure.Failed.UtcDateTime:yyyy-MM-ddTHH:mmZ}";

    /// <summary>Builds the units of <paramref name="series"/> (all with the same sensors) for the failures of their machines.</summary>
    /// <param name="minimumSteps">A failure with fewer complete steps before it is skipped (reported in the summary).</param>
    /// <exception cref="ArgumentException">The series do not all have the same sensors in the same order.</exception>
    public static (RulDataset Data, RunToFailureSummary Summary) Build(IReadOnlyList<MachineSeries> series, IEnumerable<MachineFailure> failures, TimeSpan step, int minimumSteps)
    {
        if (series.Count == 0)
        {
            throw new ArgumentException("No machine series to build units from.", nameof(series));
        }

        var sensors = series[0].Sensors;
        var odd = series.FirstOrDefault(s => !s.Sensors.SequenceEqual(sensors, StringComparer.Ordinal));
        if (odd is not null)
        {
            throw new ArgumentException($"Machine {odd.Line}/{odd.Machine} has sensors {string.Join(", ", odd.Sensors)}; {series[0].Line}/{series[0].Machine} has {string.Join(", ", sensors)}. One model reads one set of sensors.", nameof(series));
        }

        var byMachine = failures.GroupBy(f => (f.Line, f.Machine)).ToDictionary(g => g.Key, g => g.OrderBy(f => f.Failed).ToList());
        var units = new List<RulUnit>();
        var skipped = new List<string>();
        var count = 0;
        foreach (var machine in series)
        {
            if (machine.Times.Count == 0 || !byMachine.TryGetValue((machine.Line, machine.Machine), out var list))
            {
                continue;
            }

            var start = machine.Times[0];
            var index = 0;
            foreach (var failure in list)
            {
                if (failure.Failed <= machine.Times[0] || failure.Failed > machine.Times[^1] + step)
                {
                    // The failure lies outside the series (the range asked for): nothing before it to learn from.
                    start = failure.Repaired ?? DateTimeOffset.MaxValue;
                    continue;
                }

                count++;
                var times = new List<double>();
                var rows = new List<double[]>();
                while (index < machine.Times.Count && machine.Times[index] + step <= failure.Failed)
                {
                    var t = machine.Times[index];
                    var values = machine.Values[index];
                    if (t >= start && values.All(double.IsFinite))
                    {
                        times.Add((t + step - start).TotalHours);
                        rows.Add(values);
                    }

                    index++;
                }

                var id = UnitId(failure);
                if (rows.Count < minimumSteps)
                {
                    skipped.Add($"{id}: {rows.Count} complete steps since {start.UtcDateTime:u}, fewer than {minimumSteps}");
                }
                else
                {
                    units.Add(new RulUnit(id, times, rows));
                }

                start = failure.Repaired ?? DateTimeOffset.MaxValue;
                while (index < machine.Times.Count && machine.Times[index] < start)
                {
                    index++;
                }
            }
        }

        return (new RulDataset(sensors, units), new RunToFailureSummary(count, units.Count, skipped));
    }
}
