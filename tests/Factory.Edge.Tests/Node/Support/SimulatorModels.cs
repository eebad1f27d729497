using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Plant.Model;
using Factory.Simulator;

namespace Factory.Edge.Tests.Node.Support;

/// <summary>
/// Model packages trained the way the product trains them: on the simulated plant's healthy
/// history (read in process at the sampling interval), through the same feature extraction the edge
/// runs, with the threshold set for a false-alarm rate on held-out healthy windows.
/// </summary>
internal static class SimulatorModels
{
    /// <summary>
    /// Trains a package for the machines of <paramref name="machineType"/> on the two hours of
    /// healthy history before <paramref name="until"/> of the plant simulated from
    /// <paramref name="seed"/> (the machines the edge then reads), and writes it to <paramref name="path"/>.
    /// </summary>
    /// <param name="schemaOf">The machine whose features the package declares (another machine's to make a mismatched one).</param>
    public static ModelManifest Train(PlantConfig plant, string machineType, string id, int version, string path, ulong seed, DateTimeOffset until, Machine? schemaOf = null)
    {
        var start = until - TimeSpan.FromHours(2);
        var simulation = new PlantSimulation(plant, new SimulationOptions { Seed = seed, Start = start, RandomFaults = false });
        var machines = simulation.Machines.Where(m => m.Machine.Type == machineType).ToList();
        var schema = FeatureSchema.For(schemaOf ?? machines[0].Machine);
        var vectors = machines
            .SelectMany(m => new FeatureExtractor(schema, TimeSpan.FromSeconds(1)).Extract(Samples(m, schema, start, until - start)))
            .Select(v => v.Values)
            .ToList();
        var training = vectors.Where((_, i) => i % 5 != 0).ToList();
        var heldOut = vectors.Where((_, i) => i % 5 == 0).ToList();
        var detector = DetectorKinds.RandomizedPca.Train(training, seed: version);
        var threshold = AlarmThreshold.ForFalseAlarmRate(detector.ScoreAll(heldOut), 0.001);
        return ModelPackageWriter.Write(
            path,
            new ModelPackageInfo
            {
                Id = id,
                Version = version,
                MachineType = machineType,
                Threshold = threshold,
                TargetFalseAlarmRate = 0.001,
                TrainingFrom = start,
                TrainingTo = until,
                TrainingDataHash = ModelPackageWriter.HashOf(training),
                Creator = "Factory.Edge.Tests",
                Created = DateTimeOffset.UtcNow,
                ParentVersion = version > 1 ? version - 1 : null,
            },
            schema,
            detector);
    }

    /// <summary>The machine's readings at its sampling interval, of the sensors the schema declares.</summary>
    private static IEnumerable<MachineSample> Samples(MachineSimulation machine, FeatureSchema schema, DateTimeOffset start, TimeSpan duration)
    {
        var sensors = machine.Machine.Sensors;
        var columns = schema.Sensors.Select(s => sensors.ToList().FindIndex(x => x.Id == s.SensorId)).ToArray();
        var values = new double[sensors.Count];
        var step = TimeSpan.FromMilliseconds(EdgeTestPlant.SamplingIntervalMs);
        for (var t = start; t < start + duration; t += step)
        {
            machine.Read(t, values);
            for (var s = 0; s < columns.Length; s++)
            {
                yield return new MachineSample(schema.Sensors[s].SensorIndex, values[columns[s]], t);
            }
        }
    }
}
