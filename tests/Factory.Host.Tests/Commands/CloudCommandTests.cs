using Factory.Cloud.Tests.Support;
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
    [InlineData("--broker-ca", "ca.pem", "--broker-ca is for a TLS broker: give --broker mqtts://host:port")]
    [InlineData("--mqtt-tls-cert", "broker.pem", "--mqtt-tls-cert and --mqtt-tls-key go together")]
    [InlineData("--ingest-group", "factory-cloud", "--ingest-group needs --broker: the embedded broker (MQTTnet) has no shared subscriptions")]
    [InlineData("--database", "Host=db1;Username=factory", "--database: The database connection string for db1 names no Database")]
    [InlineData("--database", "postgres://db1/factory", "--database: The database connection string cannot be read")]
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
        text.Should().Contain($"database          SQLite files in {_directory} (users, model registry, planning)");
    }

    [Fact]
    public async Task Nodes_given_one_postgres_database_share_its_users_and_a_wrong_password_is_named()
    {
        await using var postgres = new PostgresProcess();
        await postgres.StartAsync();
        var database = $"{postgres.ConnectionString("factory")};Password={postgres.Password}";

        foreach (var node in new[] { "cloud-1", "cloud-2" })
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var (exit, text) = await FactoryCli.RunAsync(
                ["cloud", "--data", Path.Combine(_directory, node), "--node", node, "--port", "0", "--mqtt-port", "0", "--database", database],
                cancellationToken: stop.Token);

            exit.Should().Be(0, text);
            text.Should().Contain($"database          PostgreSQL database factory on 127.0.0.1:{postgres.Port} as factory (users, model registry, planning)").And.NotContain(postgres.Password);
            if (node == "cloud-1")
            {
                text.Should().Contain("first start: portal user 'admin', password ", "the first node to start makes the first admin");
            }
            else
            {
                text.Should().NotContain("first start", "the second node finds the first one's admin in the database");
            }
        }

        var (refused, message) = await FactoryCli.RunAsync(
            ["cloud", "--data", Path.Combine(_directory, "cloud-3"), "--port", "0", "--mqtt-port", "0", "--database", $"{postgres.ConnectionString("factory")};Password=wrong-password"]);

        refused.Should().Be(1);
        message.Should().Contain($"The users cannot use the PostgreSQL database factory on 127.0.0.1:{postgres.Port} as factory: password authentication failed for user \"factory\"");
    }

    [Fact]
    public async Task The_embedded_broker_runs_on_tls_with_its_users_and_a_broken_password_file_is_named()
    {
        using var pki = new TestPki();
        var passwords = Path.Combine(pki.Directory, "passwords");
        await File.WriteAllTextAsync(passwords, Factory.Cloud.Broker.BrokerPasswordFile.Line("edge-line-1", "its-password-1") + "\n");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var (exit, text) = await FactoryCli.RunAsync(
            ["cloud", "--data", _directory, "--port", "0", "--mqtt-port", "0", "--mqtt-tls-cert", pki.BrokerPem, "--mqtt-tls-key", pki.BrokerKeyPem, "--mqtt-password-file", passwords],
            cancellationToken: stop.Token);

        exit.Should().Be(0, text);
        text.Should().MatchRegex(@"MQTT broker\s+mqtts://127\.0\.0\.1:\d+ \(embedded\)");

        await File.WriteAllTextAsync(passwords, "edge-line-1\n");
        (exit, text) = await FactoryCli.RunAsync(["cloud", "--data", _directory, "--port", "0", "--mqtt-port", "0", "--mqtt-password-file", passwords]);
        exit.Should().Be(1);
        text.Should().Contain($"{passwords}:1: expected user:hash");

        (exit, text) = await FactoryCli.RunAsync(["cloud", "--data", _directory, "--port", "0", "--mqtt-port", "0", "--mqtt-tls-cert", pki.CaPem, "--mqtt-tls-key", passwords]);
        exit.Should().Be(1);
        text.Should().Contain($"--mqtt-tls-cert {pki.CaPem} with --mqtt-tls-key {passwords}: cannot load the broker's certificate and key");
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
