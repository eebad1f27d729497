using Factory.Cloud.Storage;
using Factory.Contracts.Telemetry;
using Factory.Plant.Model;
using Factory.Simulator;

namespace Factory.Portal.Tests;

/// <summary>
/// Days of a simulated plant's machines of one type, as their edge would have sent them: a summary
/// per sensor and a health record with the machine's state every half hour (failures repaired
/// after two hours), straight into a store.
/// </summary>
internal static class SimulatedPlantHistory
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(30);

    public static async Task WriteAsync(ITelemetryStore store, PlantConfig plant, string type, DateTimeOffset start, TimeSpan duration)
    {
        var simulation = new PlantSimulation(plant, new SimulationOptions { Seed = 11, Start = start, RandomFaults = true, RepairAfter = TimeSpan.FromHours(2) });
        foreach (var machine in simulation.Machines.Where(m => m.Machine.Type == type))
        {
            var sensors = machine.Machine.Sensors;
            var values = new double[sensors.Count];
            var summaries = new List<SensorSummary>();
            var health = new List<MachineHealth>();
            for (var t = start; t < start + duration; t += Resolution)
            {
                machine.Read(t, values);
                for (var s = 0; s < sensors.Count; s++)
                {
                    summaries.Add(new SensorSummary(machine.LineId, machine.MachineId, sensors[s].Id, t, Resolution.TotalSeconds, 1, values[s], values[s], values[s], 0, values[s], sensors[s].Unit));
                }

                health.Add(new MachineHealth(machine.LineId, machine.MachineId, t, Resolution.TotalSeconds, 0, null, null, null, null, null, machine.State.ToString().ToLowerInvariant(), false));
            }

            await store.WriteAsync(new TelemetryBatch(summaries, health, [], []), default);
        }
    }
}
