using System.Globalization;
using System.Text.Json.Nodes;
using Factory.Simulator.Faults;
using Factory.Simulator.History;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>
/// <c>factory simulate history</c>'s engine: run-to-failure histories in the documented files,
/// with labels that match the faults, the same for the same seed.
/// </summary>
public sealed class HistoryTests : IDisposable
{
    private static readonly TimeSpan Days = TimeSpan.FromDays(6);
    private readonly TemporaryDirectory _directory = new("history");

    public void Dispose() => _directory.Dispose();

    private static PlantSimulation Simulation(ulong seed = 4) => new(TestPlant.Create(2, TestPlant.TwoShifts), new SimulationOptions
    {
        Seed = seed,
        RepairAfter = HistoryExport.DefaultRepairDelay,
        Faults =
        [
            new FaultInjection("line-1", "cnc-1", "bearing-wear", TimeSpan.FromDays(1), TimeSpan.FromDays(2), "test"),
            new FaultInjection("line-2", "press-1", "seal-wear", TimeSpan.FromHours(6), TimeSpan.FromDays(10), "test"),
        ],
    });

    [Fact]
    public void A_history_has_a_csv_per_machine_labels_events_and_a_manifest()
    {
        var summary = HistoryExport.Write(Simulation(), Days, TimeSpan.FromMinutes(1), _directory.Path);

        summary.Machines.Should().Be(8);
        summary.Rows.Should().Be(8 * 6 * 24 * 60);
        var cnc = File.ReadAllLines(_directory.File("machines/line-1/cnc-1.csv"));
        cnc[0].Should().Be("timestamp,spindle-vibration-rms,spindle-vibration-peak,spindle-bearing-temperature,spindle-winding-temperature,spindle-current,spindle-current-imbalance,spindle-speed,spindle-belt-tension,state,health.bearing-wear,health.misalignment,health.winding-insulation,rul_hours");
        cnc.Should().HaveCount(1 + (6 * 24 * 60));
        cnc[1].Should().StartWith("2026-01-05T00:00:00Z,");
        cnc[2].Should().StartWith("2026-01-05T00:01:00Z,");
        cnc.Skip(1).Select(l => l.Split(',')[9]).Distinct().Should().BeSubsetOf(["running", "idle", "stopped", "failed", "maintenance"]);

        var manifest = JsonNode.Parse(File.ReadAllText(_directory.File("manifest.json")))!;
        manifest["format"]!.GetValue<string>().Should().Be("factory-simulator-history");
        manifest["formatVersion"]!.GetValue<int>().Should().Be(1);
        manifest["seed"]!.GetValue<ulong>().Should().Be(4);
        manifest["config"]!["sha256"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{64}$");
        manifest["resolutionSeconds"]!.GetValue<double>().Should().Be(60);
        manifest["machines"]!.AsArray().Should().HaveCount(8);
        manifest["machines"]![0]!["file"]!.GetValue<string>().Should().Be("machines/line-1/cnc-1.csv");
        manifest["machines"]![0]!["sensors"]![0]!["unit"]!.GetValue<string>().Should().Be("mm/s");
        manifest["injectedFaults"]!.AsArray().Should().HaveCount(2);
        File.Exists(_directory.File("README.md")).Should().BeTrue();
        File.ReadAllLines(_directory.File("events.csv"))[0].Should().Be("time,line,machine,event,process,cause,action,scheduled_failure");
    }

    [Fact]
    public void The_labels_give_the_onset_failure_and_repair_of_each_injected_fault()
    {
        HistoryExport.Write(Simulation(), Days, TimeSpan.FromMinutes(1), _directory.Path);

        var labels = ReadCsv(_directory.File("labels.csv"));
        var bearing = labels.Single(l => l["machine"] == "cnc-1" && l["line"] == "line-1" && l["cause"] == "injected");
        bearing["process"].Should().Be("bearing-wear");
        bearing["onset"].Should().Be("2026-01-06T00:00:00Z");
        bearing["failure"].Should().Be("2026-01-08T00:00:00Z");
        bearing["scheduled_failure"].Should().Be("2026-01-08T00:00:00Z");
        bearing["maintenance_start"].Should().Be("2026-01-08T02:00:00Z", "the technician comes after the repair delay");
        bearing["maintenance_end"].Should().Be("2026-01-08T06:00:00Z", "a bearing takes 4 hours");
        bearing["action"].Should().Be("replace-bearing");
        bearing["outcome"].Should().Be("failure");

        var seals = labels.Single(l => l["machine"] == "press-1" && l["line"] == "line-2" && l["cause"] == "injected");
        seals["onset"].Should().Be("2026-01-05T06:00:00Z");
        seals["failure"].Should().BeEmpty();
        seals["scheduled_failure"].Should().Be("2026-01-15T06:00:00Z");
        seals["outcome"].Should().Be("censored", "the history ends before the seals fail");

        var rows = ReadCsv(_directory.File("machines/line-1/cnc-1.csv"));
        rows.Where(r => string.CompareOrdinal(r["timestamp"], "2026-01-06T00:00:00Z") <= 0).Should().OnlyContain(r => r["health.bearing-wear"] == "1");
        rows.Single(r => r["timestamp"] == "2026-01-08T00:00:00Z")["state"].Should().Be("failed");
        rows.Single(r => r["timestamp"] == "2026-01-08T03:00:00Z")["state"].Should().Be("maintenance");
        rows.Single(r => r["timestamp"] == "2026-01-08T06:01:00Z")["health.bearing-wear"].Should().Be("1");

        // Every failure in the labels stopped the machine at that minute in its file.
        foreach (var failure in labels.Where(l => l["failure"].Length > 0))
        {
            var file = ReadCsv(_directory.File($"machines/{failure["line"]}/{failure["machine"]}.csv"));
            var at = DateTimeOffset.Parse(failure["failure"], CultureInfo.InvariantCulture);
            var nextMinute = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero) + TimeSpan.FromMinutes(1);
            file.Single(r => r["timestamp"] == nextMinute.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))["state"].Should().Be("failed");
        }
    }

    [Fact]
    public void The_same_seed_writes_the_same_files()
    {
        using var other = new TemporaryDirectory("history");
        HistoryExport.Write(Simulation(seed: 8), TimeSpan.FromDays(2), TimeSpan.FromMinutes(5), _directory.Path);
        HistoryExport.Write(Simulation(seed: 8), TimeSpan.FromDays(2), TimeSpan.FromMinutes(5), other.Path);

        foreach (var file in Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories))
        {
            File.ReadAllBytes(file).Should().Equal(File.ReadAllBytes(Path.Combine(other.Path, Path.GetRelativePath(_directory.Path, file))), file);
        }
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }
}
