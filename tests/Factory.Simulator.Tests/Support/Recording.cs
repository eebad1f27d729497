using Factory.Simulator.Physics;

namespace Factory.Simulator.Tests.Support;

/// <summary>One sample of a machine: every sensor, its state and the health of each process.</summary>
internal sealed record MachineSample(DateTimeOffset Time, OperatingState State, IReadOnlyDictionary<string, double> Values, IReadOnlyDictionary<string, double> Health)
{
    public double this[string sensor] => Values[sensor];
}

internal static class Recording
{
    /// <summary>Advances <paramref name="machine"/> step by step and samples all its sensors at each step.</summary>
    public static List<MachineSample> Record(MachineSimulation machine, DateTimeOffset until, TimeSpan step)
    {
        var samples = new List<MachineSample>();
        for (var t = machine.Time + step; t <= until; t += step)
        {
            machine.AdvanceTo(t);
            samples.Add(new MachineSample(
                t,
                machine.State,
                machine.Channels.ToDictionary(c => c.Sensor.Id, machine.Sample),
                machine.ProcessIds.ToDictionary(p => p, machine.Health)));
        }

        return samples;
    }

    public static double Mean(this IEnumerable<double> values) => Enumerable.Average(values);

    public static double StandardDeviation(this IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
    }

    /// <summary>Kurtosis (not excess): 3 for a normal distribution, large for a series with rare spikes.</summary>
    public static double Kurtosis(this IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        var variance = list.Sum(v => (v - mean) * (v - mean)) / list.Count;
        return list.Sum(v => Math.Pow(v - mean, 4)) / list.Count / (variance * variance);
    }
}
