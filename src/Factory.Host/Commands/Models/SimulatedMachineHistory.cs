using Factory.Ml.Features;
using Factory.Ml.Training;
using Factory.Plant.Model;
using Factory.Simulator;

namespace Factory.Host.Commands.Models;

/// <summary>What training and evaluation read for one machine type, with its labels.</summary>
/// <param name="Training">Healthy vectors of every machine of the type (the first 3/4 of the healthy span).</param>
/// <param name="HeldOut">The last 1/4 of each machine's healthy span: the threshold's quantile and the false alarms.</param>
/// <param name="Faulty">Each machine run into an injected fault from onset to failure, labeled.</param>
internal sealed record LabeledTypeHistory(
    MachineType Type,
    FeatureSchema Schema,
    IReadOnlyList<string> Machines,
    IReadOnlyList<float[]> Training,
    IReadOnlyList<MachineRecording> HeldOut,
    IReadOnlyList<MachineRecording> Faulty,
    DateTimeOffset From,
    DateTimeOffset To);

/// <summary>How the labeled history is simulated.</summary>
internal sealed record HistorySpan(ulong Seed, TimeSpan Healthy, TimeSpan FaultLead, TimeSpan FaultDuration);

/// <summary>
/// The simulated plant's labeled history of one machine type, read at each sensor's own sampling
/// interval (the windows need the edge's sample density; a history file at whole seconds would not give
/// it) and turned into the edge's feature vectors at its 1 s evaluation interval:
/// <list type="bullet">
/// <item>healthy operation of every machine of the type from the first production time of the plant's
/// week, with random wear off (seed <see cref="HistorySpan.Seed"/>);</item>
/// <item>each machine again (seed + 1, other noise and operating profile) with one fault injected
/// <see cref="HistorySpan.FaultLead"/> after the start, of its processes in turn, failing
/// <see cref="HistorySpan.FaultDuration"/> later: the ground truth for recall and lead time.</item>
/// </list>
/// </summary>
internal static class SimulatedMachineHistory
{
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromSeconds(1);

    public static LabeledTypeHistory For(PlantConfig plant, MachineType type, HistorySpan span, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var start = PlantSimulation.NextProductionTime(plant, SimulationOptions.DefaultHistoryStart);
        var healthy = new PlantSimulation(plant, new SimulationOptions { Seed = span.Seed, Start = start, RandomFaults = false });
        var faulty = new PlantSimulation(plant, new SimulationOptions { Seed = span.Seed + 1, Start = start, RandomFaults = false });
        var healthyMachines = healthy.Machines.Where(m => m.Machine.Type == type.Id).ToList();
        var faultyMachines = faulty.Machines.Where(m => m.Machine.Type == type.Id).ToList();
        if (healthyMachines.Count == 0)
        {
            throw new ArgumentException($"{plant.SourcePath}: no machine is of type '{type.Id}'.");
        }

        var schema = FeatureSchema.For(healthyMachines[0].Machine);
        var training = new List<float[]>[healthyMachines.Count];
        var heldOut = new MachineRecording[healthyMachines.Count];
        var faults = new MachineRecording[healthyMachines.Count];
        var done = 0;
        Parallel.For(0, healthyMachines.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var machine = healthyMachines[i];
            var vectors = Vectors(machine, schema, start, start + span.Healthy, cancellationToken);
            var split = start + (span.Healthy * 0.75);
            training[i] = vectors.Where(v => v.Time < split).Select(v => v.Values).ToList();
            heldOut[i] = new MachineRecording(machine.Key, vectors.Where(v => v.Time >= split).Select(v => new LabeledVector(v.Time, v.Values, false)).ToList(), []);

            var broken = faultyMachines[i];
            var process = broken.ProcessIds[i % broken.ProcessIds.Count];
            var onset = start + span.FaultLead;
            var failure = onset + span.FaultDuration;
            broken.InjectFault(process, onset, failure);
            var run = Vectors(broken, schema, start, failure, cancellationToken);
            faults[i] = new MachineRecording($"{broken.Key} ({process})", run.Select(v => new LabeledVector(v.Time, v.Values, v.Time >= onset)).ToList(), [new FaultEpisode(onset, failure)]);
            progress?.Report(Interlocked.Increment(ref done) / (double)healthyMachines.Count);
        });

        return new LabeledTypeHistory(
            type,
            schema,
            healthyMachines.Select(m => m.Key).ToList(),
            training.SelectMany(t => t).ToList(),
            heldOut,
            faults,
            start,
            start + span.Healthy);
    }

    /// <summary>The machine's vectors over [from, to): every sensor read at its own sampling interval, as the edge receives them.</summary>
    private static List<FeatureVector> Vectors(MachineSimulation machine, FeatureSchema schema, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var sensors = machine.Machine.Sensors;
        var read = schema.Sensors.Select(s => (s.SensorIndex, Interval: sensors[s.SensorIndex].SamplingIntervalMs)).ToArray();
        var step = read.Select(r => r.Interval).Aggregate(Gcd);
        var values = new double[sensors.Count];
        IEnumerable<MachineSample> Samples()
        {
            for (long elapsed = 0; from + TimeSpan.FromMilliseconds(elapsed) < to; elapsed += step)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var time = from + TimeSpan.FromMilliseconds(elapsed);
                machine.Read(time, values);
                foreach (var (index, interval) in read)
                {
                    if (elapsed % interval == 0)
                    {
                        yield return new MachineSample(index, values[index], time);
                    }
                }
            }
        }

        return new FeatureExtractor(schema, EvaluationInterval).Extract(Samples()).ToList();
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
