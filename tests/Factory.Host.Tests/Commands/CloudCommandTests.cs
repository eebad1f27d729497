using Factory.Host.Tests.Support;

namespace Factory.Host.Tests.Commands;

public sealed class CloudCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("factory-cloud-cli-").FullName;

    [Theory]
    [InlineData("--broker", "http://127.0.0.1:1883", "--broker: 'http://127.0.0.1:1883' is not a broker address; expected mqtt://host:port")]
    [InlineData("--broker", "mqtt://user:secret@127.0.0.1", "credentials are given apart, never in the address")]
    [InlineData("--influx", "127.0.0.1:8086", "--influx '127.0.0.1:8086' is not an http:// or https:// address")]
    [InlineData("--port", "70000", "--port 70000 or --mqtt-port 1883 is not a port")]
    public async Task A_bad_option_is_refused_with_what_to_give_instead(string option, string value, string expected)
    {
        var (exit, text) = await FactoryCli.RunAsync(["cloud", option, value, "--data", _directory]);

        exit.Should().NotBe(0);
        text.Should().Contain(expected);
    }

    [Fact]
    public async Task The_cloud_runs_its_broker_and_store_and_says_where_until_stopped()
    {
        // Long enough for the node and its portal to start in a test process on a loaded machine (3 s was not, once the portal came).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var (exit, text) = await FactoryCli.RunAsync(["cloud", "--data", _directory, "--port", "0", "--mqtt-port", "0"], cancellationToken: stop.Token);

        exit.Should().Be(0, text);
        text.Should().MatchRegex(@"HTTP API\s+http://127\.0\.0\.1:\d+/");
        text.Should().MatchRegex(@"portal\s+http://127\.0\.0\.1:\d+/").And.Contain("first start: portal user 'admin', password ");
        text.Should().MatchRegex(@"MQTT broker\s+mqtt://127\.0\.0\.1:\d+ \(embedded\)");
        text.Should().Contain($"embedded store {Path.Combine(_directory, "telemetry.log")}");
        File.Exists(Path.Combine(_directory, "telemetry.log")).Should().BeTrue();
    }

    [Fact]
    public async Task An_edge_with_a_bad_broker_address_is_refused()
    {
        var (exit, text) = await FactoryCli.RunAsync(["edge", "--line", "line-1", "--broker", "tcp://nowhere"]);

        exit.Should().NotBe(0);
        text.Should().Contain("--broker: 'tcp://nowhere' is not a broker address");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
