using System.Diagnostics;
using System.Net;
using Factory.Cloud.Broker;
using Factory.Cloud.Hosting;
using Factory.Cloud.Ingest;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using Factory.EndToEnd.Tests.Support;
using Factory.Link;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Cloud.Tests.Broker;

/// <summary>
/// MQTT over TLS with users, between a client as the edges connect and the embedded broker, and
/// Mosquitto configured the same way (the same certificate, key and password file): the right CA
/// and password get in; a wrong password, a broker certificate from another authority, and plain
/// MQTT on the TLS port do not, each with its reason.
/// </summary>
public sealed class BrokerSecurityTests : IDisposable
{
    private const string User = "edge-line-1";
    private const string Password = "correct horse battery staple";

    private readonly TestPki _pki = new();
    private readonly string _passwords;

    public BrokerSecurityTests()
    {
        _passwords = Path.Combine(_pki.Directory, "passwords");
        MosquittoPasswd(_passwords, User, Password);
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task The_embedded_broker_lets_in_its_users_over_tls_only_and_the_cloud_node_ingests_through_it()
    {
        var data = Directory.CreateTempSubdirectory("factory-broker-tls-").FullName;
        var options = new CloudOptions
        {
            DataDirectory = data,
            Store = logs => new EmbeddedTelemetryStore(data, logs.CreateLogger<EmbeddedTelemetryStore>()),
            StoreDescription = "embedded",
            EmbeddedBrokerPort = 0,
            HttpPort = 0,
            EmbeddedBrokerTls = _pki.Broker,
            EmbeddedBrokerUsers = BrokerPasswordFile.Load(_passwords),
        };
        await using var cloud = CloudNode.Build(options, NullLoggerFactory.Instance);
        await cloud.StartAsync();
        try
        {
            var broker = CloudNode.BrokerOf(cloud, options);
            broker.Tls.Should().BeTrue();

            // The node's own connections (ingest, commands, models) got in with its own user, trusting its certificate.
            var ingest = cloud.Services.GetRequiredService<IngestService>();
            await Poll.UntilAsync(() => ingest.Connected, "the ingest connects to its own TLS broker");

            await CheckAsync(broker);
        }
        finally
        {
            await cloud.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Mosquitto_with_the_same_certificate_and_password_file_treats_clients_the_same()
    {
        await using var mosquitto = new MosquittoProcess(new MosquittoSecurity(_pki.BrokerPem, _pki.BrokerKeyPem, _passwords));
        await mosquitto.StartAsync();

        await CheckAsync(BrokerAddress.Parse(mosquitto.Address));
    }

    [Fact]
    public async Task A_client_trusting_the_plants_ca_refuses_a_broker_presenting_a_certificate_of_another_authority()
    {
        await using var impostor = new EmbeddedBroker(
            new EmbeddedBrokerOptions(IPAddress.Loopback, 0) { TlsCertificate = _pki.Impostor, Users = BrokerPasswordFile.Load(_passwords) },
            NullLogger<EmbeddedBroker>.Instance);
        await impostor.StartAsync(default);

        var status = await ConnectAsync(impostor.Address, BrokerTrust.FromCaFile(_pki.CaPem), User, Password);

        status.Should().Contain("the broker's TLS certificate is refused: CN=impostor, issued by CN=Somebody Else CA, is not trusted by the CA in");
    }

    [Fact]
    public void The_password_file_reads_what_mosquitto_passwd_writes_and_names_bad_lines()
    {
        var file = BrokerPasswordFile.Load(_passwords);
        file.Verify(User, Password).Should().BeTrue();
        file.Verify(User, Password + " ").Should().BeFalse();
        file.Verify("nobody", Password).Should().BeFalse();
        file.Verify(null, null).Should().BeFalse();

        // Our own line is read by Mosquitto's rules too: $7$, PBKDF2-SHA512.
        var ours = Path.Combine(_pki.Directory, "ours");
        File.WriteAllLines(ours, ["# users of the plant's broker", BrokerPasswordFile.Line("cloud-1", "another-secret-99"), ""]);
        BrokerPasswordFile.Load(ours).Verify("cloud-1", "another-secret-99").Should().BeTrue();

        // The older $6$ form: SHA-512 of the password and the salt.
        var salt = "c2FsdHNhbHQ="u8.ToArray();
        var six = Path.Combine(_pki.Directory, "six");
        File.WriteAllText(six, $"old:$6${Convert.ToBase64String(salt)}${Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData([.. "pw"u8.ToArray(), .. salt]))}\n");
        BrokerPasswordFile.Load(six).Verify("old", "pw").Should().BeTrue();

        var bad = Path.Combine(_pki.Directory, "bad");
        File.WriteAllText(bad, "alice:$7$101$c2FsdA==$aGFzaA==\nbob\n");
        FluentActions.Invoking(() => BrokerPasswordFile.Load(bad)).Should().Throw<BrokerPasswordFileException>().WithMessage($"{bad}:2: expected user:hash*");
        File.WriteAllText(bad, "alice:$7$many$c2FsdA==$aGFzaA==\n");
        FluentActions.Invoking(() => BrokerPasswordFile.Load(bad)).Should().Throw<BrokerPasswordFileException>().WithMessage($"{bad}:1: the hash of 'alice' is not one Mosquitto writes*");
        File.WriteAllText(bad, "alice:$7$101$c2FsdA==$aGFzaA==\nalice:$7$101$c2FsdA==$aGFzaA==\n");
        FluentActions.Invoking(() => BrokerPasswordFile.Load(bad)).Should().Throw<BrokerPasswordFileException>().WithMessage($"{bad}:2: user 'alice' is in the file twice");
        File.WriteAllText(bad, "# nobody\n");
        FluentActions.Invoking(() => BrokerPasswordFile.Load(bad)).Should().Throw<BrokerPasswordFileException>().WithMessage($"{bad}: no user in the file*");
        FluentActions.Invoking(() => BrokerTrust.FromCaFile(_passwords)).Should().Throw<BrokerTrustException>().WithMessage($"{_passwords}: no certificate in the file*");
    }

    [Fact]
    public void Broker_addresses_say_whether_they_are_tls()
    {
        BrokerAddress.Parse("mqtts://broker.plant").Should().Be(new BrokerAddress("broker.plant", 8883, Tls: true));
        BrokerAddress.Parse("mqtts://broker.plant:9883").ToString().Should().Be("mqtts://broker.plant:9883");
        BrokerAddress.Parse("mqtt://broker.plant").Should().Be(new BrokerAddress("broker.plant", 1883));
        FluentActions.Invoking(() => BrokerAddress.Parse("https://broker.plant")).Should().Throw<FormatException>().WithMessage("*mqtts://host:port (TLS)*");
    }

    /// <summary>The same four checks against any broker set up with the test PKI's certificate and the password file.</summary>
    private async Task CheckAsync(BrokerAddress broker)
    {
        var trusted = BrokerTrust.FromCaFile(_pki.CaPem);
        (await ConnectAsync(broker, trusted, User, Password)).Should().Be("connected", "the right CA and password get in");

        (await ConnectAsync(broker, trusted, User, "wrong password")).Should().EndWith("the broker refused the connection: NotAuthorized").And.NotContain("wrong password");
        (await ConnectAsync(broker, trusted, null, null)).Should().EndWith("the broker refused the connection: NotAuthorized");

        var otherAuthority = Path.Combine(_pki.Directory, "other-ca.pem");
        File.Copy(_pki.ImpostorPem, otherAuthority, overwrite: true);
        (await ConnectAsync(broker, BrokerTrust.FromCaFile(otherAuthority), User, Password))
            .Should().Contain("the broker's TLS certificate is refused: CN=broker.plant, issued by CN=Factory Test Plant CA, is not trusted by the CA in");

        (await ConnectAsync(broker with { Tls = false }, null, User, Password)).Should().StartWith("cannot connect", "plain MQTT on the TLS port gets nowhere");
    }

    /// <summary>Connects as an edge's link does and returns "connected", or the link's status once it gave up the first attempt.</summary>
    private static async Task<string> ConnectAsync(BrokerAddress broker, BrokerTrust? trust, string? user, string? password)
    {
        await using var link = new MqttLink(
            new MqttLinkOptions { Broker = broker, ClientId = "test-" + Guid.NewGuid().ToString("N"), UserName = user, Password = password, Trust = trust, ConnectTimeout = TimeSpan.FromSeconds(3) },
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = link.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!link.IsConnected && !link.Status.StartsWith("cannot connect", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var status = link.IsConnected ? "connected" : link.Status;
        await stop.CancelAsync();
        await run;
        return status;
    }

    private static void MosquittoPasswd(string file, string user, string password)
    {
        const string Tool = "/usr/bin/mosquitto_passwd";
        if (!File.Exists(Tool))
        {
            throw new InvalidOperationException("mosquitto_passwd is not installed: apt-get install -y mosquitto");
        }

        using var process = Process.Start(Tool, ["-c", "-b", file, user, password])!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0);
    }
}
