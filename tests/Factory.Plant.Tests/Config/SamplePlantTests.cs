using Factory.Plant.Config;
using Factory.Plant.Model;

namespace Factory.Plant.Tests.Config;

/// <summary>The sample plant in plant-config/: it loads, and it is the plant the issue describes.</summary>
public sealed class SamplePlantTests
{
    private static readonly Lazy<PlantConfig> LazyPlant = new(() => PlantConfigLoader.Load(Repository.SamplePlant));

    private static PlantConfig Plant => LazyPlant.Value;

    [Fact]
    public void The_sample_plant_has_one_site_three_areas_three_lines_and_24_machines()
    {
        Plant.SchemaVersion.Should().Be(1);
        Plant.SourcePath.Should().Be(Repository.SamplePlant);
        Plant.Site.Id.Should().Be("werk-nord");
        Plant.Site.TimeZone.Should().Be("Europe/Berlin");
        Plant.Site.Areas.Select(a => a.Id).Should().Equal("machining", "forming", "utilities");
        Plant.Lines.Select(l => l.Id).Should().Equal("line-1", "line-2", "line-3");
        Plant.Machines.Should().HaveCount(24);
        Plant.Machines.Sum(m => m.Sensors.Count).Should().Be(150);
    }

    [Fact]
    public void Every_line_has_its_own_edge_node_and_opc_ua_port()
    {
        Plant.Lines.Select(l => (l.EdgeNode, l.OpcUaEndpoint, l.OpcUaPort)).Should().Equal(
            ("edge-line-1", "opc.tcp://127.0.0.1:4841", 4841),
            ("edge-line-2", "opc.tcp://127.0.0.1:4842", 4842),
            ("edge-line-3", "opc.tcp://127.0.0.1:4843", 4843));
    }

    [Fact]
    public void Every_machine_kind_is_there_with_its_model()
    {
        Plant.MachineTypes.Select(t => (t.Id, t.Kind, t.Model)).Should().Equal(
            ("cnc-spindle", MachineKind.CncSpindle, "cnc-spindle-anomaly"),
            ("centrifugal-pump", MachineKind.CentrifugalPump, "centrifugal-pump-anomaly"),
            ("conveyor-drive", MachineKind.ConveyorDrive, "conveyor-drive-anomaly"),
            ("hydraulic-press", MachineKind.HydraulicPress, "hydraulic-press-anomaly"));
        Plant.Machines.GroupBy(m => Plant.TypeOf(m).Kind).ToDictionary(g => g.Key, g => g.Count()).Should().Equal(new Dictionary<MachineKind, int>
        {
            [MachineKind.CncSpindle] = 6,
            [MachineKind.CentrifugalPump] = 7,
            [MachineKind.ConveyorDrive] = 7,
            [MachineKind.HydraulicPress] = 4,
        });
    }

    [Fact]
    public void A_cnc_spindle_carries_vibration_temperatures_current_speed_and_torque_with_iso_limits()
    {
        var cnc = Plant.Line("line-1").Machines.Single(m => m.Id == "cnc-01");

        cnc.Criticality.Should().Be(Criticality.High);
        cnc.StatusNodeId.Should().Be("ns=2;s=line-1.cnc-01.status", "the default derived from line and machine id");
        cnc.MaintenanceNodeId.Should().Be("ns=2;s=line-1.cnc-01.maintenance");
        cnc.Sensors.Select(s => (s.Signal, s.Unit)).Should().Equal(
            (SignalKind.VibrationRms, "mm/s"),
            (SignalKind.VibrationPeak, "mm/s"),
            (SignalKind.BearingTemperature, "°C"),
            (SignalKind.WindingTemperature, "°C"),
            (SignalKind.MotorCurrent, "A"),
            (SignalKind.Speed, "rpm"),
            (SignalKind.Torque, "N·m"));

        var vibration = cnc.Sensors[0];
        vibration.NodeId.Should().Be("ns=2;s=line-1.cnc-01.spindle-vibration-rms");
        vibration.Range.Should().Be(new ValueRange(0, 50));
        vibration.SamplingIntervalMs.Should().Be(100);
        vibration.Limits.Should().Be(new LimitAlarms(new LimitLevel(4.5, AlarmPriority.High), new LimitLevel(2.8, null), null, null, 0.2, 2000, 5000));
        vibration.Features!.WindowSeconds.Should().Be(10);
        vibration.Features.Statistics.Should().Equal(FeatureStatistic.Rms, FeatureStatistic.Max, FeatureStatistic.Kurtosis, FeatureStatistic.CrestFactor);
    }

    [Fact]
    public void A_centrifugal_pump_has_low_limits_for_dry_running_and_cavitation()
    {
        var pump = Plant.Line("line-3").Machines.Single(m => m.Id == "coolant-pump-01");

        pump.Sensors.Select(s => s.Signal).Should().Equal(
            SignalKind.VibrationRms, SignalKind.BearingTemperature, SignalKind.MotorCurrent, SignalKind.CurrentImbalance,
            SignalKind.DischargePressure, SignalKind.SuctionPressure, SignalKind.Flow);
        var suction = pump.Sensors.Single(s => s.Signal == SignalKind.SuctionPressure);
        suction.Unit.Should().Be("bar");
        suction.Limits!.LowLow.Should().Be(new LimitLevel(0.5, AlarmPriority.High));
        suction.Limits.Low.Should().Be(new LimitLevel(1.0, null));
        suction.Limits.High.Should().BeNull();
        pump.Sensors.Single(s => s.Signal == SignalKind.Flow).Unit.Should().Be("m³/h");
    }

    [Fact]
    public void Shifts_are_three_on_the_machining_line_and_two_on_the_others()
    {
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };

        Plant.Lines.Select(l => l.Shifts.Count).Should().Equal(3, 2, 2);
        var night = Plant.Line("line-1").Shifts[2];
        night.Should().BeEquivalentTo(new Shift("night", new TimeOnly(22, 0), new TimeOnly(6, 0), weekdays));
    }

    [Fact]
    public void Sampling_intervals_are_between_100_ms_and_1_s_and_every_node_id_is_unique()
    {
        var sensors = Plant.Machines.SelectMany(m => m.Sensors).ToList();

        sensors.Should().OnlyContain(s => s.SamplingIntervalMs >= 100 && s.SamplingIntervalMs <= 1000);
        sensors.Select(s => s.NodeId)
            .Concat(Plant.Machines.SelectMany(m => new[] { m.StatusNodeId, m.MaintenanceNodeId }))
            .Should().OnlyHaveUniqueItems();
        Plant.Lines.SelectMany(l => l.Machines.SelectMany(m => m.Sensors.Select(s => (Line: l.Id, Machine: m.Id, Sensor: s))))
            .Should().OnlyContain(x => x.Sensor.NodeId == $"ns=2;s={x.Line}.{x.Machine}.{x.Sensor.Id}");
    }
}
