using Factory.Plant.Model;
using Factory.Simulator.Physics;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>What the simulator cannot simulate is refused at start, every problem named; sensors are sized from their limits.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void A_sensor_the_machine_cannot_have_or_a_unit_it_cannot_produce_is_refused_with_every_problem()
    {
        var plant = TestPlant.Create();
        var line = plant.Site.Areas[0].Lines[0];
        var cnc = line.Machines[0] with
        {
            Sensors =
            [
                .. line.Machines[0].Sensors,
                new Sensor("suction", "Suction", SignalKind.SuctionPressure, "ns=2;s=line-1.cnc-1.suction", "bar", new ValueRange(-1, 3), 1000, null, null),
                new Sensor("hot", "Hot", SignalKind.BearingTemperature, "ns=2;s=line-1.cnc-1.hot", "Rankine", new ValueRange(0, 900), 1000, null, null),
            ],
        };
        var broken = plant with { Site = plant.Site with { Areas = [plant.Site.Areas[0] with { Lines = [line with { Machines = [cnc, .. line.Machines.Skip(1)] }] }] } };

        var act = () => new PlantSimulation(broken, new SimulationOptions());

        act.Should().Throw<SimulatorConfigurationException>().Which.Errors.Should().Equal(
            "line-1/cnc-1: sensor 'suction' measures SuctionPressure, which a CncSpindle does not have (it has VibrationRms, VibrationPeak, BearingTemperature, WindingTemperature, MotorCurrent, CurrentImbalance, Speed, Torque, DischargePressure, Flow, HydraulicPressure, OilTemperature, BeltTension, Power)",
            "line-1/cnc-1: sensor 'hot' (BearingTemperature) is in 'Rankine', which the simulator cannot produce; use °C, °F or K");
    }

    [Theory]
    [InlineData(40.0, null, 0.8 * 40)]
    [InlineData(40.0, 10.0, 25.0)]
    [InlineData(null, 10.0, 0.65 * 100)]
    [InlineData(null, null, 0.65 * 100)]
    public void The_rated_reading_of_a_sensor_lies_in_its_normal_operating_band(double? high, double? low, double expected)
    {
        var limits = new LimitAlarms(null, high is { } h ? new LimitLevel(h, null) : null, low is { } l ? new LimitLevel(l, null) : null, null, 0, 0, 0);
        var sensor = new Sensor("current", "Current", SignalKind.MotorCurrent, "ns=2;s=x", "A", new ValueRange(0, 100), 1000, limits, null);

        SensorChannel.RatedReading(sensor).Should().BeApproximately(expected, 1e-9);
    }
}
