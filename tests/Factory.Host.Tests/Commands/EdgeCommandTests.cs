using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Host.Tests.Support;

namespace Factory.Host.Tests.Commands;

/// <summary><c>factory edge</c> as an operator starts it: the node comes up with its panel, and every mistake is said plainly.</summary>
[Collection(OpcUaPasswordCollection.Name)]
public sealed class EdgeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("factory-edge-cli-").FullName;

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

    [Fact]
    public async Task Edge_explains_itself_with_help()
    {
        var (exit, text) = await Run(CancellationToken.None, "edge", "--help");

        exit.Should().Be(0);
        text.Should().Contain("USAGE:").And.Contain("--line").And.Contain("--panel-port").And.Contain("--models");
    }

    [Fact]
    public async Task Without_a_line_it_says_which_option_is_missing()
    {
        var (exit, text) = await Run(CancellationToken.None, "edge", "--config", FactoryCli.SamplePlant);

        exit.Should().NotBe(0);
        text.Should().Contain("--line is required");
    }

    [Fact]
    public async Task A_line_the_plant_does_not_have_is_refused_with_the_lines_it_has()
    {
        var (exit, text) = await Run(CancellationToken.None, "edge", "--config", FactoryCli.SamplePlant, "--line", "line-9", "--data", _directory);

        exit.Should().Be(1);
        text.Should().Contain("Line 'line-9' is not in").And.Contain("line-1, line-2, line-3");
    }

    [Fact]
    public async Task A_broken_configuration_is_refused_with_the_file_and_line_of_each_error()
    {
        var broken = Path.Combine(_directory, "broken.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(FactoryCli.SamplePlant)).Replace("criticality: high", "criticality: extreme", StringComparison.Ordinal));

        var (exit, text) = await Run(CancellationToken.None, "edge", "--config", broken, "--line", "line-1", "--data", _directory);

        exit.Should().Be(1);
        text.Should().MatchRegex($@"{System.Text.RegularExpressions.Regex.Escape(broken)}:\d+");
        text.Should().Contain("extreme");
    }

    [Fact]
    public async Task An_OPC_UA_user_without_a_password_in_the_environment_is_refused_naming_the_variable()
    {
        var (exit, text) = await Run(CancellationToken.None, "edge", "--config", FactoryCli.SamplePlant, "--line", "line-1", "--data", _directory, "--opcua-user", "edge-1", "--opcua-pki", Path.Combine(_directory, "pki"));

        exit.Should().Be(1);
        text.Should().Contain("OPC UA user edge-1 needs the password in FACTORY_OPCUA_PASSWORD");
    }

    [Fact]
    public async Task An_edge_connects_with_one_policy_and_mode()
    {
        var (exit, text) = await Run(CancellationToken.None, "edge", "--config", FactoryCli.SamplePlant, "--line", "line-1", "--opcua-security", "secure");

        exit.Should().NotBe(0);
        text.Should().Contain("an edge node connects with one policy and mode");
    }

    [Fact]
    public async Task The_node_serves_its_panel_until_stopped_and_reports_a_line_server_that_cannot_be_reached()
    {
        var port = FactoryCli.FreePort();
        using var stop = new CancellationTokenSource();
        var run = Run(stop.Token, "edge", "--config", FactoryCli.SamplePlant, "--line", "line-2", "--panel-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", _directory);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        JsonElement? line = null;
        for (var attempt = 0; attempt < 100 && line is null; attempt++)
        {
            await Task.Delay(200);
            try
            {
                var response = await http.GetAsync("/api/line");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var status = await response.Content.ReadFromJsonAsync<JsonElement>();
                    if (status.GetProperty("endpoints") is { ValueKind: JsonValueKind.Array } endpoints && endpoints.GetArrayLength() > 0
                        && endpoints[0].GetProperty("reason").GetString()!.StartsWith("cannot connect", StringComparison.Ordinal))
                    {
                        line = status;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }

        line.Should().NotBeNull("the panel answers with the line's status, and says why its server is not connected");
        line!.Value.GetProperty("lineId").GetString().Should().Be("line-2");
        line.Value.GetProperty("endpoints")[0].GetProperty("connected").GetBoolean().Should().BeFalse("no simulator serves line-2 in this test");
        File.Exists(Path.Combine(_directory, "line-2.alarms.journal")).Should().BeTrue();

        await stop.CancelAsync();
        var (exit, text) = await run;
        exit.Should().Be(0, text);
        text.Should().Contain($"alarm panel and API  http://127.0.0.1:{port}/");
    }

    private static Task<(int Exit, string Output)> Run(CancellationToken cancellationToken, params string[] args) =>
        FactoryCli.RunAsync(args, cancellationToken: cancellationToken);
}
