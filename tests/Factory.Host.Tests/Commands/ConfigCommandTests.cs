using System.Text.Json.Nodes;
using Factory.Host.Cli;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console.Testing;

namespace Factory.Host.Tests.Commands;

/// <summary>
/// <c>factory config validate</c> as a plant engineer and a CI script use it: the summary of a valid
/// plant, every error in the compiler format an editor jumps to, JSON for scripts, the exit codes.
/// </summary>
public sealed class ConfigCommandTests : IDisposable
{
    private const string BrokenPlant = """
        schemaVersion: 1
        machineTypes:
          - { id: pump, kind: centrifugal-pump }
        site:
          id: plant
          areas:
            - id: utilities
              lines:
                - id: line-1
                  edgeNode: edge-1
                  opcUa: { endpoint: opc.tcp://127.0.0.1:4841 }
                  machines:
                    - id: pump-1
                      type: cnc
                      criticality: high
                      sensors:
                        - id: temp
                          signal: bearing-temperature
                          nodeId: ns=2;s=line-1.pump-1.[temp]
                          unit: °C
                          range: { low: 0, high: 150 }
                          samplingIntervalMs: 5
                          limits: { h: 95, hh: 90 }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("factory-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("config", "--help")]
    [InlineData("config", "validate", "--help")]
    public async Task The_config_verbs_explain_themselves_with_help(params string[] args)
    {
        var (exit, output) = await Run(args);

        exit.Should().Be(0);
        output.Should().Contain("USAGE:").And.Contain("factory config validate plant-config/sample-plant.yaml");
    }

    [Fact]
    public async Task The_sample_plant_is_valid_and_its_size_is_printed()
    {
        var sample = Path.Combine(RepositoryRoot(), "plant-config", "sample-plant.yaml");

        var (exit, output) = await Run("config", "validate", sample);

        exit.Should().Be(0);
        output.Should().Be($"{sample}: valid (1 site, 3 lines, 24 machines, 150 sensors)\n");
    }

    [Fact]
    public async Task Every_error_is_printed_in_compiler_format_and_the_exit_code_is_1()
    {
        var file = Write("broken.yaml", BrokenPlant);

        var (exit, output) = await Run("config", "validate", file);

        exit.Should().Be(1);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            $"{file}:14:21: /site/areas/0/lines/0/machines/0/type: machine type 'cnc' is not declared in machineTypes (declared: pump)",
            $"{file}:22:39: /site/areas/0/lines/0/machines/0/sensors/0/samplingIntervalMs: 'samplingIntervalMs' must be between 10 and 60000, is 5",
            $"{file}:23:32: /site/areas/0/lines/0/machines/0/sensors/0/limits/h: limit h (95) must be below hh (90)",
            $"{file}: 3 errors");
    }

    [Fact]
    public async Task Json_gives_each_error_with_file_line_column_path_and_message()
    {
        var file = Write("broken.yaml", BrokenPlant);

        var (exit, output) = await Run("config", "validate", file, "--json");

        exit.Should().Be(1);
        var result = JsonNode.Parse(output)!;
        result["valid"]!.GetValue<bool>().Should().BeFalse();
        var errors = result["errors"]!.AsArray();
        errors.Should().HaveCount(3);
        var first = errors[0]!;
        first["file"]!.GetValue<string>().Should().Be(file);
        first["line"]!.GetValue<int>().Should().Be(14);
        first["column"]!.GetValue<int>().Should().Be(21);
        first["path"]!.GetValue<string>().Should().Be("/site/areas/0/lines/0/machines/0/type");
        first["message"]!.GetValue<string>().Should().Be("machine type 'cnc' is not declared in machineTypes (declared: pump)");
    }

    [Fact]
    public async Task Json_of_a_valid_plant_gives_its_size_and_no_errors()
    {
        var sample = Path.Combine(RepositoryRoot(), "plant-config", "sample-plant.yaml");

        var (exit, output) = await Run("config", "validate", sample, "--json");

        exit.Should().Be(0);
        var result = JsonNode.Parse(output)!;
        result["valid"]!.GetValue<bool>().Should().BeTrue();
        (result["areas"]!.GetValue<int>(), result["lines"]!.GetValue<int>(), result["machines"]!.GetValue<int>(), result["sensors"]!.GetValue<int>())
            .Should().Be((3, 3, 24, 150));
        result["errors"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task File_contents_are_printed_as_written_and_never_wrapped()
    {
        var file = Write("markup.yaml", BrokenPlant.Replace("type: cnc", "type: pump", StringComparison.Ordinal).Replace("nodeId: ns=2;s=line-1.pump-1.[temp]", "nodeId: \"[red]x\"", StringComparison.Ordinal));

        var (exit, output) = await Run("config", "validate", file);

        exit.Should().Be(1);
        output.Should().Contain($"{file}:19:27: /site/areas/0/lines/0/machines/0/sensors/0/nodeId: 'nodeId' must be an OPC UA node id such as ns=2;s=line-1.cnc-01.spindle-vibration-rms or ns=2;i=1001, is '[red]x'\n");
    }

    [Fact]
    public async Task A_missing_file_is_one_error_and_exit_code_1()
    {
        var file = Path.Combine(_folder, "missing.yaml");

        var (exit, output) = await Run("config", "validate", file);

        exit.Should().Be(1);
        output.Should().StartWith($"{file}: file not found (looked for {file})");
    }

    [Fact]
    public async Task A_yaml_syntax_error_is_reported_with_line_and_column()
    {
        var file = Write("syntax.yaml", "schemaVersion: 1\nsite: { id: plant\n");

        var (exit, output) = await Run("config", "validate", file);

        exit.Should().Be(1);
        output.Should().StartWith($"{file}:2:7: /site: YAML syntax error: the '{{' opened here is not closed (or a ',' is missing inside it)");
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Factory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Factory.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var console = new TestConsole().Width(80);
        var exit = await FactoryApp.Create(console, NullLoggerFactory.Instance).RunAsync(args);
        return (exit, console.Output);
    }
}
