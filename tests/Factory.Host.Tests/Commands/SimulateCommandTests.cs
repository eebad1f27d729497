using Factory.Host.Tests.Support;

namespace Factory.Host.Tests.Commands;

/// <summary>
/// <c>factory simulate</c>, <c>simulate history</c>, <c>simulate replay</c> and <c>factory demo</c>
/// as a user runs them: what is written and printed, the errors and the exit codes.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"factory-simulate-cli-{Guid.NewGuid():N}");

    public SimulateCommandTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp folder.
        }
    }

    private static string SamplePlant => FactoryCli.SamplePlant;

    [Theory]
    [InlineData("simulate", "--help")]
    [InlineData("simulate", "history", "--help")]
    [InlineData("simulate", "replay", "--help")]
    [InlineData("demo", "--help")]
    public async Task Every_simulate_verb_explains_itself_with_help(params string[] args)
    {
        var (exit, output) = await Run(args);

        exit.Should().Be(0);
        output.Should().Contain("USAGE:");
    }

    [Fact]
    public async Task History_writes_the_machine_files_labels_and_manifest()
    {
        var output = Path.Combine(_directory, "history");

        var (exit, text) = await Run("simulate", "history", "--config", SamplePlant, "--days", "1", "--out", output, "--seed", "7", "--fault", "line-1/cnc-01:bearing-wear:start=1h:fail=10h");

        exit.Should().Be(0, text);
        text.Should().Contain("24 machines, 34,560 rows");
        File.Exists(Path.Combine(output, "manifest.json")).Should().BeTrue();
        File.Exists(Path.Combine(output, "machines", "line-1", "cnc-01.csv")).Should().BeTrue();
        File.ReadAllLines(Path.Combine(output, "labels.csv")).Should().Contain(l =>
            l.StartsWith("line-1,cnc-01,bearing-wear,injected,2026-01-05T01:00:00Z,2026-01-05T11:00:00Z,2026-01-05T11:00:00Z,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("line-1/cnc-99:bearing-wear:start=2m:fail=20m", "line line-1 has no machine 'cnc-99'")]
    [InlineData("line-1/cnc-01:cavitation:fail=20m", "a CncSpindle has no degradation process 'cavitation'")]
    [InlineData("line-1/cnc-01:bearing-wear:start=2m:fail=20", "fail: '20' has no unit")]
    public async Task A_bad_fault_gives_a_clear_error_and_exit_code_1(string fault, string message)
    {
        var (exit, text) = await Run("simulate", "history", "--config", SamplePlant, "--days", "1", "--out", Path.Combine(_directory, "x"), "--fault", fault);

        exit.Should().Be(1);
        text.Should().Contain($"--fault '{fault}'").And.Contain(message);
        Directory.Exists(Path.Combine(_directory, "x")).Should().BeFalse("nothing is written when the command line is wrong");
    }

    [Fact]
    public async Task A_bad_scenario_names_the_file_and_line()
    {
        var scenario = Path.Combine(_directory, "broken.yaml");
        await File.WriteAllTextAsync(scenario, "faults:\n  - machine: line-1/cnc-01\n    process: bearing-wear\n    start: 2 minutes\n    fail: 20m\n");

        var (exit, text) = await Run("simulate", "--config", SamplePlant, "--scenario", scenario, "--duration", "1");

        exit.Should().Be(1);
        text.Should().Contain($"{scenario}:4:12: start: '2 minutes' has an unknown unit");
    }

    [Fact]
    public async Task A_missing_config_file_gives_exit_code_1()
    {
        var (exit, text) = await Run("simulate", "history", "--config", Path.Combine(_directory, "nope.yaml"), "--days", "1", "--out", _directory);

        exit.Should().Be(1);
        text.Should().Contain("nope.yaml");
    }

    [Theory]
    [InlineData("--days", "0")]
    [InlineData("--resolution", "fast")]
    public async Task Bad_history_options_are_refused(string option, string value)
    {
        var args = new List<string> { "simulate", "history", "--config", SamplePlant, "--days", "1", "--out", _directory };
        var index = args.IndexOf(option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exit, _) = await Run([.. args]);

        exit.Should().NotBe(0);
    }

    [Fact]
    public async Task Simulate_serves_each_line_prints_its_endpoint_and_status_and_stops()
    {
        var config = await PlantOnFreePorts();

        var (exit, text) = await Run("simulate", "--config", config.Path, "--acceleration", "60", "--duration", "3", "--status-interval", "1");

        exit.Should().Be(0, text);
        foreach (var port in config.Ports)
        {
            text.Should().Contain($"opc.tcp://127.0.0.1:{port}");
        }

        text.Should().MatchRegex(@"line-1\s+sim \d{4}-\d\d-\d\d \d\d:\d\d\s+running \d+\s+idle \d+\s+stopped \d+\s+failed \d+\s+maintenance \d+");
        text.Should().Contain("Simulator stopped.");
    }

    [Theory]
    [InlineData("Basic256:Encrypt", "'Basic256:Encrypt' is not a security")]
    [InlineData("Basic256Sha256:None", "'Basic256Sha256:None' is not a security")]
    public async Task A_security_that_is_not_one_is_refused_with_what_is(string security, string said)
    {
        var (exit, text) = await Run("simulate", "--config", SamplePlant, "--duration", "1", "--opcua-security", security);

        exit.Should().NotBe(0);
        text.Should().Contain(said).And.Contain("Aes256_Sha256_RsaPss");
    }

    [Fact]
    public async Task Refusing_anonymous_users_without_a_users_file_is_refused()
    {
        var (exit, text) = await Run("simulate", "--config", SamplePlant, "--duration", "1", "--opcua-no-anonymous");

        exit.Should().NotBe(0);
        text.Should().Contain("--opcua-no-anonymous needs --opcua-users");
    }

    [Fact]
    public async Task A_secured_simulator_makes_a_certificate_per_line_and_says_what_it_offers()
    {
        var config = await PlantOnFreePorts();
        var pki = Path.Combine(_directory, "pki");
        var users = Path.Combine(_directory, "users");
        await File.WriteAllTextAsync(users, Factory.Cloud.Broker.BrokerPasswordFile.Line("edge-1", "line-secret") + "\n");

        var (exit, text) = await Run("simulate", "--config", config.Path, "--duration", "2", "--opcua-security", "Basic256Sha256:SignAndEncrypt,Aes256_Sha256_RsaPss:Sign", "--opcua-pki", pki, "--opcua-users", users, "--opcua-no-anonymous");

        exit.Should().Be(0, text);
        text.Should().Contain("offers Basic256Sha256 SignAndEncrypt, Aes256_Sha256_RsaPss Sign; users: password file");
        foreach (var line in new[] { "line-1", "line-2", "line-3" })
        {
            Directory.GetFiles(Path.Combine(pki, line, "own", "certs"), "*.der").Should().ContainSingle($"{line}'s server has its own certificate");
        }
    }

    [Fact]
    public async Task A_broken_users_file_is_refused_with_its_line()
    {
        var users = Path.Combine(_directory, "users");
        await File.WriteAllTextAsync(users, "edge-1 no-colon-here\n");

        var (exit, text) = await Run("simulate", "--config", SamplePlant, "--duration", "1", "--opcua-users", users, "--opcua-pki", Path.Combine(_directory, "pki"));

        exit.Should().Be(1);
        text.Should().Contain($"{users}:1: expected user:hash");
    }

    [Fact]
    public async Task Demo_runs_the_sample_plant_with_an_edge_node_per_line_and_the_cloud_and_says_how_to_look_at_it()
    {
        var config = await PlantOnFreePorts();
        var data = Path.Combine(_directory, "data");

        var (exit, text) = await Run("demo", "--config", config.Path, "--duration", "4", "--data", data, "--panel-port", "0", "--cloud-port", "0", "--mqtt-port", "0");

        exit.Should().Be(0, text);
        text.Should().Contain($"factory opcua browse opc.tcp://127.0.0.1:{config.Ports[0]}");
        text.Should().Contain("at 60x real time");
        text.Should().MatchRegex(@"cloud\s+API http://127\.0\.0\.1:\d+/api/ingest\s+broker mqtt://127\.0\.0\.1:\d+");
        foreach (var line in new[] { "line-1", "line-2", "line-3" })
        {
            text.Should().MatchRegex($@"edge {line}\s+alarm panel http://127\.0\.0\.1:\d+/");
            File.Exists(Path.Combine(data, "edge", $"{line}.alarms.journal")).Should().BeTrue($"the edge node of {line} keeps its journal in --data/edge");
            Directory.Exists(Path.Combine(data, "edge", $"outbox-{line}")).Should().BeTrue($"the edge node of {line} keeps its outbox in --data/edge");
        }

        new FileInfo(Path.Combine(data, "cloud", "telemetry.log")).Length.Should().BeGreaterThan(0, "the edges' summaries reach the cloud's embedded store within the demo's 4 s (240 s of the plant's clock)");
    }

    [Fact]
    public async Task Replay_streams_a_csv_and_reports_a_malformed_row_by_its_line()
    {
        var csv = Path.Combine(_directory, "recording.csv");
        await File.WriteAllLinesAsync(csv, ["time,temperature", "2024-03-01T10:00:00Z,20.5", "2024-03-01T10:00:01Z,warm", "2024-03-01T10:00:02Z,20.7"]);

        var (exit, text) = await Run("simulate", "replay", "--csv", csv, "--timestamp-column", "time", "--endpoint", $"opc.tcp://127.0.0.1:{FreePort()}", "--speed", "100");

        exit.Should().Be(0, text);
        text.Should().Contain("ns=2;s=replay.temperature");
        text.Should().Contain($"{csv}:3: 'warm' in 'temperature' is not a number; row skipped");
        text.Should().Contain("Replayed 2 rows (1 skipped).");
    }

    private async Task<(string Path, int[] Ports)> PlantOnFreePorts()
    {
        var ports = new[] { FreePort(), FreePort(), FreePort() };
        var text = await File.ReadAllTextAsync(SamplePlant);
        for (var i = 0; i < 3; i++)
        {
            text = text.Replace($"opc.tcp://127.0.0.1:{4841 + i}", $"opc.tcp://127.0.0.1:{ports[i]}", StringComparison.Ordinal);
        }

        var path = Path.Combine(_directory, "plant.yaml");
        await File.WriteAllTextAsync(path, text);
        return (path, ports);
    }

    private static int FreePort() => FactoryCli.FreePort();

    private static Task<(int Exit, string Output)> Run(params string[] args) => FactoryCli.RunAsync(args);
}
