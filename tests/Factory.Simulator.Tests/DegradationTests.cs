using Factory.Simulator.Degradation;
using Factory.Simulator.Faults;
using Factory.Simulator.Physics;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>
/// Each degradation process lowers health from the onset to a failure at the configured time,
/// leaves its documented signature in the sensors, and stops the machine when it fails.
/// </summary>
public sealed class DegradationTests
{
    private static readonly TimeSpan Onset = TimeSpan.FromHours(12);
    private static readonly TimeSpan ToFailure = TimeSpan.FromDays(3);

    /// <summary>A plant running around the clock with only the injected fault.</summary>
    private static (PlantSimulation Simulation, MachineSimulation Machine) Inject(string machine, string process, TimeSpan? repairAfter = null)
    {
        var simulation = new PlantSimulation(TestPlant.Create(), new SimulationOptions
        {
            Seed = 11,
            RandomFaults = false,
            RepairAfter = repairAfter,
            Faults = [new FaultInjection("line-1", machine, process, Onset, ToFailure, "test")],
        });
        return (simulation, simulation.Machine("line-1", machine));
    }

    [Theory]
    [InlineData("cnc-1", "bearing-wear")]
    [InlineData("cnc-1", "misalignment")]
    [InlineData("cnc-1", "winding-insulation")]
    [InlineData("pump-1", "cavitation")]
    [InlineData("pump-1", "bearing-wear")]
    [InlineData("conveyor-1", "belt-wear")]
    [InlineData("press-1", "seal-wear")]
    public void A_degradation_process_lowers_health_steadily_and_fails_the_machine_at_the_configured_time(string machineId, string process)
    {
        var (simulation, machine) = Inject(machineId, process);
        var failureTime = simulation.Start + Onset + ToFailure;

        var samples = Recording.Record(machine, failureTime + TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

        samples.Where(s => s.Time <= simulation.Start + Onset).Should().OnlyContain(s => s.Health[process] == 1, "nothing degrades before the onset");
        var declining = samples.Where(s => s.Time > simulation.Start + Onset && s.Time < failureTime).Select(s => s.Health[process]).ToList();
        declining.Should().BeInDescendingOrder().And.OnlyContain(h => h > 0 && h < 1);
        samples.Where(s => s.Time < failureTime).Should().OnlyContain(s => s.State != OperatingState.Failed);
        samples.Where(s => s.Time >= failureTime).Should().OnlyContain(s => s.State == OperatingState.Failed && s.Health[process] == 0);
        machine.FailedBy.Should().Be(process);

        var events = simulation.Lines[0].TakeEvents();
        events.Should().ContainSingle(e => e.Kind == SimulationEventKind.Failure)
            .Which.Time.Should().Be(failureTime, "the failure happens at the configured time exactly");
        events.Should().ContainSingle(e => e.Kind == SimulationEventKind.FaultOnset)
            .Which.Should().Match<SimulationEvent>(e => e.Time == simulation.Start + Onset && e.Cause == FaultCause.Injected && e.ScheduledFailure == failureTime);
    }

    /// <summary>The running samples of the first and last 12 hours before failure.</summary>
    private static (List<MachineSample> Healthy, List<MachineSample> Late) HealthyAndLate(string machineId, string process)
    {
        var (simulation, machine) = Inject(machineId, process);
        var failure = simulation.Start + Onset + ToFailure;
        var samples = Recording.Record(machine, failure - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var running = samples.Where(s => s.State == OperatingState.Running).ToList();
        return (
            [.. running.Where(s => s.Time <= simulation.Start + Onset)],
            [.. running.Where(s => s.Time >= failure - TimeSpan.FromHours(12))]);
    }

    [Fact]
    public void Bearing_wear_raises_vibration_rms_peak_and_kurtosis_well_above_the_healthy_baseline_and_heats_the_bearing_late()
    {
        var (healthy, late) = HealthyAndLate("cnc-1", "bearing-wear");
        var turning = (List<MachineSample> s) => s.Where(x => x["spindle-speed"] > 100).ToList();

        var rms = (Healthy: turning(healthy).Select(s => s["spindle-vibration-rms"]).ToList(), Late: turning(late).Select(s => s["spindle-vibration-rms"]).ToList());
        rms.Late.Mean().Should().BeGreaterThan(2 * rms.Healthy.Mean());
        rms.Late.Kurtosis().Should().BeGreaterThan(2 * rms.Healthy.Kurtosis(), "impacts of rollers on spalls make the series spiky");
        turning(late).Select(s => s["spindle-vibration-peak"]).Mean().Should().BeGreaterThan(3 * turning(healthy).Select(s => s["spindle-vibration-peak"]).Mean());
        late.Select(s => s["spindle-bearing-temperature"]).Mean().Should().BeGreaterThan(healthy.Select(s => s["spindle-bearing-temperature"]).Mean() + 3);
    }

    [Fact]
    public void Misalignment_raises_vibration_without_the_spikes_of_a_bearing_fault()
    {
        var (healthy, late) = HealthyAndLate("cnc-1", "misalignment");
        var turning = (List<MachineSample> s) => s.Where(x => x["spindle-speed"] > 100).Select(x => x["spindle-vibration-rms"]).ToList();

        turning(late).Mean().Should().BeGreaterThan(1.8 * turning(healthy).Mean());
        turning(late).Kurtosis().Should().BeLessThan(6);
        late.Select(s => s["spindle-bearing-temperature"]).Mean().Should().BeGreaterThan(healthy.Select(s => s["spindle-bearing-temperature"]).Mean() + 2);
    }

    [Fact]
    public void Winding_insulation_ageing_heats_the_winding_and_unbalances_the_phase_currents()
    {
        var (healthy, late) = HealthyAndLate("press-1", "winding-insulation");

        late.Select(s => s["winding-temperature"]).Mean().Should().BeGreaterThan(healthy.Select(s => s["winding-temperature"]).Mean() + 10);
        late.Select(s => s["current-imbalance"]).Mean().Should().BeGreaterThan(healthy.Select(s => s["current-imbalance"]).Mean() + 4);
    }

    [Fact]
    public void Cavitation_lowers_suction_pressure_and_flow_and_makes_discharge_pressure_fluctuate()
    {
        var (healthy, late) = HealthyAndLate("pump-1", "cavitation");

        late.Select(s => s["suction-pressure"]).Mean().Should().BeLessThan(healthy.Select(s => s["suction-pressure"]).Mean() - 0.5);
        late.Select(s => s["flow"]).Mean().Should().BeLessThan(0.85 * healthy.Select(s => s["flow"]).Mean());
        late.Select(s => s["discharge-pressure"]).StandardDeviation().Should().BeGreaterThan(2 * healthy.Select(s => s["discharge-pressure"]).StandardDeviation());
        late.Select(s => s["motor-current"]).StandardDeviation().Should().BeGreaterThan(healthy.Select(s => s["motor-current"]).StandardDeviation());
        late.Select(s => s["vibration-rms"]).Mean().Should().BeGreaterThan(1.5 * healthy.Select(s => s["vibration-rms"]).Mean());
    }

    [Fact]
    public void Seal_wear_in_a_press_lowers_the_pressure_reached_and_heats_the_oil()
    {
        var (healthy, late) = HealthyAndLate("press-1", "seal-wear");
        var peak = (List<MachineSample> s) => s.Select(x => x["hydraulic-pressure"]).Order().Skip(s.Count * 9 / 10).Mean();

        peak(late).Should().BeLessThan(0.9 * peak(healthy));
        late.Select(s => s["oil-temperature"]).Mean().Should().BeGreaterThan(healthy.Select(s => s["oil-temperature"]).Mean() + 8);
    }

    [Fact]
    public void Belt_wear_loses_belt_tension_and_the_belt_slips()
    {
        var (healthy, late) = HealthyAndLate("conveyor-1", "belt-wear");

        late.Select(s => s["belt-tension"]).Mean().Should().BeLessThan(0.7 * healthy.Select(s => s["belt-tension"]).Mean());
        late.Select(s => s["belt-speed"]).Mean().Should().BeLessThan(0.98 * healthy.Select(s => s["belt-speed"]).Mean());
    }

    [Fact]
    public void A_failed_machine_shows_a_stopped_machine_until_it_is_repaired()
    {
        var (simulation, machine) = Inject("cnc-1", "bearing-wear");
        var failure = simulation.Start + Onset + ToFailure;
        Recording.Record(machine, failure - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var beforeFailure = machine.Channels.ToDictionary(c => c.Sensor.Id, machine.Sample);

        var after = Recording.Record(machine, failure + TimeSpan.FromHours(6), TimeSpan.FromMinutes(1));

        after.Should().OnlyContain(s => s.State == OperatingState.Failed, "a failed machine waits for maintenance");
        var settled = after.Where(s => s.Time > failure + TimeSpan.FromMinutes(1)).ToList();
        settled.Should().OnlyContain(s => s["spindle-speed"] == 0);
        settled.Select(s => s["spindle-current"]).Should().OnlyContain(a => a < 1);
        settled.Select(s => s["spindle-vibration-rms"]).Should().OnlyContain(v => v < 0.1);
        after.Last()["spindle-winding-temperature"].Should().BeLessThan(beforeFailure["spindle-winding-temperature"] - 5, "the motor cools down");
    }

    [Fact]
    public void Maintenance_restores_health_and_the_machine_returns_to_its_schedule()
    {
        var (simulation, machine) = Inject("cnc-1", "bearing-wear");
        var failure = simulation.Start + Onset + ToFailure;
        machine.AdvanceTo(failure + TimeSpan.FromHours(1));
        machine.State.Should().Be(OperatingState.Failed);

        machine.BeginMaintenance("replace-bearing").Should().BeNull();
        machine.State.Should().Be(OperatingState.Maintenance);
        machine.AdvanceTo(machine.Time + TimeSpan.FromHours(3.9));
        machine.State.Should().Be(OperatingState.Maintenance, "replacing a bearing takes 4 hours");

        machine.AdvanceTo(machine.Time + TimeSpan.FromHours(0.2));

        machine.State.Should().Be(OperatingState.Running);
        machine.Health("bearing-wear").Should().Be(1);
        machine.FailedBy.Should().BeNull();
        var events = simulation.Lines[0].TakeEvents();
        events.Should().Contain(e => e.Kind == SimulationEventKind.MaintenanceStarted && e.Action == "replace-bearing" && e.Process == "bearing-wear");
        events.Should().Contain(e => e.Kind == SimulationEventKind.MaintenanceCompleted && e.Action == "replace-bearing" && e.Time == failure + TimeSpan.FromHours(5));
    }

    [Fact]
    public void A_renewed_part_gets_a_new_random_life()
    {
        var simulation = new PlantSimulation(TestPlant.Create(), new SimulationOptions { Seed = 3, RepairAfter = TimeSpan.FromHours(2) });
        var machine = simulation.Machine("line-1", "pump-1");
        var first = machine.Processes.Single(p => p.Definition.Id == "cavitation").Failure;

        machine.AdvanceTo(first!.Value + TimeSpan.FromDays(1));

        var second = machine.Processes.Single(p => p.Definition.Id == "cavitation");
        second.Failure.Should().BeAfter(first.Value + TimeSpan.FromHours(2), "the impeller was repaired and has a life of its own");
        machine.Health("cavitation").Should().BeGreaterThan(0);
    }

    [Fact]
    public void An_unknown_maintenance_action_is_refused_and_changes_nothing()
    {
        var (simulation, machine) = Inject("cnc-1", "bearing-wear");
        machine.AdvanceTo(simulation.Start + TimeSpan.FromDays(2));
        var health = machine.Health("bearing-wear");
        var state = machine.State;

        machine.BeginMaintenance("polish-the-chrome").Should().Contain("not a maintenance action").And.Contain("replace-bearing");
        machine.BeginMaintenance(DegradationCatalog.RepairImpeller).Should().Contain("does nothing on a CncSpindle");

        machine.State.Should().Be(state);
        machine.Health("bearing-wear").Should().Be(health);
        simulation.Lines[0].TakeEvents().Should().NotContain(e => e.Kind == SimulationEventKind.MaintenanceStarted);
    }

    [Fact]
    public void Overhaul_renews_every_process()
    {
        var simulation = new PlantSimulation(TestPlant.Create(), new SimulationOptions
        {
            Seed = 1,
            RandomFaults = false,
            Faults =
            [
                new FaultInjection("line-1", "pump-1", "cavitation", TimeSpan.Zero, TimeSpan.FromDays(4), "test"),
                new FaultInjection("line-1", "pump-1", "bearing-wear", TimeSpan.Zero, TimeSpan.FromDays(5), "test"),
            ],
        });
        var pump = simulation.Machine("line-1", "pump-1");
        pump.AdvanceTo(simulation.Start + TimeSpan.FromDays(2));
        pump.Health("cavitation").Should().BeLessThan(1);

        pump.BeginMaintenance("overhaul").Should().BeNull();
        pump.AdvanceTo(pump.Time + TimeSpan.FromHours(16));

        pump.ProcessIds.Should().OnlyContain(p => pump.Health(p) == 1);
        pump.State.Should().Be(OperatingState.Running);
    }

    [Fact]
    public void Corrective_maintenance_repairs_a_failed_machine_after_the_repair_delay()
    {
        var (simulation, machine) = Inject("conveyor-1", "belt-wear", repairAfter: TimeSpan.FromHours(2));
        var failure = simulation.Start + Onset + ToFailure;

        machine.AdvanceTo(failure + TimeSpan.FromHours(1));
        machine.State.Should().Be(OperatingState.Failed);
        machine.AdvanceTo(failure + TimeSpan.FromHours(2.5));
        machine.State.Should().Be(OperatingState.Maintenance);
        machine.AdvanceTo(failure + TimeSpan.FromHours(5.5));

        machine.State.Should().Be(OperatingState.Running, "replacing a belt takes 3 hours after 2 hours of waiting");
        machine.Health("belt-wear").Should().Be(1);
    }
}
