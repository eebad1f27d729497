using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Server;
using Factory.OpcUa.Tests.Loopback;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Interop;

/// <summary>
/// Signed and encrypted channels with node-opcua in both directions, with a user name and
/// password: certificates nobody trusted are refused until an operator trusts them, a wrong
/// password is denied, and a byte flipped on the wire closes the channel.
/// </summary>
public sealed class SecureInteropTests : IDisposable
{
    private const string ClientUri = "urn:factory:interop-secure-client";
    private const string Password = "pump-room-7";

    private readonly string _folder = Directory.CreateTempSubdirectory("factory-secure-interop-").FullName;
    private readonly PkiStore _ourPki;
    private readonly X509Certificate2 _ourCertificate;

    public SecureInteropTests()
    {
        _ourPki = new PkiStore(Path.Combine(_folder, "ours"));
        _ourCertificate = _ourPki.OwnCertificate(ClientUri, "Factory interop client", ["127.0.0.1"]);
    }

    public static TheoryData<string> Policies() => [.. SecurityPolicy.All.Select(p => p.Name)];

    public void Dispose()
    {
        _ourCertificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // ----- Our client, node-opcua's server -----

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Our_client_trusts_node_opcua_only_once_told_logs_in_and_reads_and_subscribes(string policyName)
    {
        var policy = SecurityPolicy.FindByNameOrUri(policyName)!;
        var ourDer = await OurCertificateFileAsync();
        await using var peer = await NodeOpcUaServer.StartAsync(
            new Dictionary<string, string> { ["PEER_PASSWORD"] = Password },
            "--security", $"{policy.Name}:SignAndEncrypt", "--user", "operator", "--no-anonymous", "--strict-pki", "--trust", ourDer, "--changing", "1");

        var untrusted = await Refusal(() => UaClient.ConnectAsync(OurClient(peer.EndpointUrl, policy, UserIdentity.User("operator", Password))));
        untrusted.StatusCode.CodeBits.Should().Be(StatusCodes.BadCertificateUntrusted, untrusted.Message);
        var rejected = _ourPki.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected).Subject;
        _ourPki.Trust(rejected.Thumbprint);

        var denied = await Refusal(() => UaClient.ConnectAsync(OurClient(peer.EndpointUrl, policy, UserIdentity.User("operator", "guess"))));
        denied.StatusCode.CodeBits.Should().Be(StatusCodes.BadUserAccessDenied, denied.Message);

        await using var client = await UaClient.ConnectAsync(OurClient(peer.EndpointUrl, policy, UserIdentity.User("operator", Password)));
        var manifestDouble = peer.Manifest["nodes"]!.AsArray().Single(n => n!["nodeId"]!.GetValue<string>().EndsWith("Scalars.Double", StringComparison.Ordinal))!;
        var read = await client.ReadValueAsync(NodeId.Parse(manifestDouble["nodeId"]!.GetValue<string>()));
        read.Value.AsDouble().Should().Be(manifestDouble["value"]!.GetValue<double>());

        var counter = NodeId.Parse(peer.Manifest["changing"]!["nodeIds"]![0]!.GetValue<string>());
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        await subscription.AddItemsAsync([new MonitoredItemRequest(counter, QueueSize: 10)]);
        var changes = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await foreach (var message in subscription.ReadAllAsync(timeout.Token))
        {
            changes += (message as DataChangeMessage)?.Changes.Count ?? 0;
            if (changes >= 5)
            {
                break;
            }
        }

        changes.Should().BeGreaterThanOrEqualTo(5, "the counter's changes arrive encrypted by node-opcua");
    }

    [Fact]
    public async Task Node_opcua_refuses_our_client_until_it_trusts_our_certificate()
    {
        await using var peer = await NodeOpcUaServer.StartAsync(
            new Dictionary<string, string> { ["PEER_PASSWORD"] = Password },
            "--security", "Basic256Sha256:SignAndEncrypt", "--user", "operator", "--strict-pki", "--changing", "1");
        TrustNodeOpcUa(peer);

        var refused = await Refusal(() => UaClient.ConnectAsync(OurClient(peer.EndpointUrl, SecurityPolicy.Basic256Sha256, UserIdentity.User("operator", Password))));

        refused.StatusCode.CodeBits.Should().Be(StatusCodes.BadSecurityChecksFailed, "node-opcua answers an untrusted client's OpenSecureChannel so");
        refused.Message.Should().Contain(_ourCertificate.Thumbprint, "the message says which certificate the server's operator must trust");
        Directory.GetFiles(Path.Combine(peer.Pki, "server", "rejected")).Should().ContainSingle("node-opcua keeps our certificate for its operator to decide on");
    }

    [Fact]
    public async Task A_byte_flipped_in_our_encrypted_chunk_makes_node_opcua_close_the_channel()
    {
        var ourDer = await OurCertificateFileAsync();
        await using var peer = await NodeOpcUaServer.StartAsync(
            new Dictionary<string, string> { ["PEER_PASSWORD"] = Password },
            "--security", "Basic256Sha256:SignAndEncrypt", "--user", "operator", "--strict-pki", "--trust", ourDer, "--changing", "1");
        TrustNodeOpcUa(peer);
        await using var proxy = new TcpProxy(peer.Port);
        var options = OurClient(proxy.EndpointUrl, SecurityPolicy.Basic256Sha256, UserIdentity.User("operator", Password)) with
        {
            ReconnectDelay = TimeSpan.FromSeconds(30),
            MaxReconnectDelay = TimeSpan.FromSeconds(30),
        };
        await using var client = await UaClient.ConnectAsync(options);
        var nodeId = NodeId.Parse(peer.Manifest["changing"]!["tickNodeId"]!.GetValue<string>());
        (await client.ReadValueAsync(nodeId)).StatusCode.Should().Be(StatusCode.Good);
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) =>
        {
            if (e.State == SessionState.Reconnecting)
            {
                lost.TrySetResult(e.Reason);
            }
        };

        var flipped = proxy.FlipByteInNextClientMessage();
        var read = FluentActions.Awaiting(() => client.ReadValueAsync(nodeId, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token));

        await read.Should().ThrowAsync<Exception>("node-opcua drops the channel instead of answering the tampered request");
        flipped.IsCompletedSuccessfully.Should().BeTrue();
        (await lost.Task.WaitAsync(TimeSpan.FromSeconds(20))).Should().StartWith("connection lost");
    }

    // ----- node-opcua's client, our server -----

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Node_opcua_is_refused_until_trusted_then_logs_in_and_reads_with_a_wrong_password_denied(string policyName)
    {
        var policy = SecurityPolicy.FindByNameOrUri(policyName)!;
        await using var plant = await StartOurServerAsync(new RecordingLoggerProvider());
        var peerPki = Path.Combine(_folder, "peer-client");
        var security = $"{policy.Name}:SignAndEncrypt";

        var untrusted = await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, Password, "read", NodeText(plant.Speed), "--security", security, "--user", "operator");
        untrusted.ExitCode.Should().Be(1, untrusted.Stderr);
        var rejected = plant.Pki.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected, "our server keeps node-opcua's certificate for an operator").Subject;
        plant.Pki.Trust(rejected.Thumbprint);

        var denied = await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, "guess", "read", NodeText(plant.Speed), "--security", security, "--user", "operator");
        Error(denied).Should().Contain("BadUserAccessDenied");

        var read = await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, Password, "read", NodeText(plant.Speed), "--security", security, "--user", "operator");
        read.ExitCode.Should().Be(0, read.Stdout + read.Stderr);
        JsonNode.Parse(read.Stdout)!["results"]![0]!["value"]!.GetValue<double>().Should().Be(1450.0);

        var signOnly = await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, Password, "write", NodeText(plant.Setpoint), "Double", "1234.5", "--security", $"{policy.Name}:Sign", "--user", "operator");
        signOnly.ExitCode.Should().Be(0, signOnly.Stdout + signOnly.Stderr);
        plant.Server.AddressSpace.GetVariable(plant.Setpoint).Value.Value.AsDouble().Should().Be(1234.5);
    }

    [Fact]
    public async Task Node_opcua_gets_no_session_on_a_None_channel_or_as_anonymous()
    {
        await using var plant = await StartOurServerAsync(new RecordingLoggerProvider());
        var peerPki = Path.Combine(_folder, "peer-client");

        var endpoints = await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, null, "endpoints");
        var plain = await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, null, "read", NodeText(plant.Speed));

        endpoints.ExitCode.Should().Be(0, endpoints.Stderr);
        JsonNode.Parse(endpoints.Stdout)!["endpoints"]!.AsArray().Select(e => e!["securityMode"]!.GetValue<string>()).Should().NotContain("None");
        plain.ExitCode.Should().NotBe(0, "our server offers no None endpoint and no anonymous user");
    }

    [Fact]
    public async Task A_byte_flipped_in_node_opcuas_encrypted_chunk_makes_our_server_close_the_channel()
    {
        var log = new RecordingLoggerProvider();
        await using var plant = await StartOurServerAsync(log);
        var peerPki = Path.Combine(_folder, "peer-client");
        await NodeOpcUaPeer.RunSecureClientAsync(plant.EndpointUrl, peerPki, Password, "endpoints", "--security", "Basic256Sha256:SignAndEncrypt", "--user", "operator");
        foreach (var entry in plant.Pki.Entries().Where(e => e.List == PkiStore.Rejected))
        {
            plant.Pki.Trust(entry.Thumbprint);
        }

        await using var proxy = new TcpProxy(plant.Server.Port);
        var flipped = proxy.FlipByteInNextClientMessage();
        var result = await NodeOpcUaPeer.RunSecureClientAsync(proxy.EndpointUrl, peerPki, Password, "read", NodeText(plant.Speed), "--security", "Basic256Sha256:SignAndEncrypt", "--user", "operator");

        flipped.IsCompletedSuccessfully.Should().BeTrue("a secured MSG chunk went through the proxy");
        result.ExitCode.Should().NotBe(0);
        log.Lines.Should().Contain(l => l.Contains("failed the security checks", StringComparison.Ordinal), "our server found the altered chunk and ended the connection");
    }

    private async Task<SecuredPlant> StartOurServerAsync(RecordingLoggerProvider log)
    {
        var pki = new PkiStore(Path.Combine(_folder, "server"));
        var certificate = pki.OwnCertificate("urn:factory:interop-secure-server", "Factory secure interop server", ["127.0.0.1"]);
        var plant = await LoopbackServer.StartAsync(
            new ServerOptions
            {
                Port = 0,
                ApplicationUri = "urn:factory:interop-secure-server",
                Security = new ServerSecurity
                {
                    Endpoints = EndpointSecurity.AllSecured,
                    Certificate = certificate,
                    ClientCertificates = new CertificateValidator(pki, TimeProvider.System),
                    AllowAnonymous = false,
                    Users = new OneUser("operator", Password),
                },
            },
            log.Factory());
        return new SecuredPlant(plant, pki);
    }

    private ClientOptions OurClient(string endpointUrl, SecurityPolicy policy, UserIdentity identity) => new()
    {
        EndpointUrl = endpointUrl,
        ApplicationUri = ClientUri,
        Security = new ClientSecurity(policy, MessageSecurityMode.SignAndEncrypt, _ourCertificate, new CertificateValidator(_ourPki, TimeProvider.System)),
        Identity = identity,
    };

    private static string NodeText(NodeId id) => $"ns={id.NamespaceIndex};s={id.Identifier}";

    private static string Error((int ExitCode, string Stdout, string Stderr) run)
    {
        run.ExitCode.Should().Be(1, run.Stdout + run.Stderr);
        return JsonNode.Parse(run.Stdout)!["error"]!["message"]!.GetValue<string>();
    }

    /// <summary>Our certificate as a DER file, for node-opcua's --trust.</summary>
    private async Task<string> OurCertificateFileAsync()
    {
        var path = Path.Combine(_folder, "ours.der");
        await File.WriteAllBytesAsync(path, _ourCertificate.RawData);
        return path;
    }

    /// <summary>Puts node-opcua's server certificate (PEM in its PKI folder) in our trusted list, as an operator would.</summary>
    private void TrustNodeOpcUa(NodeOpcUaServer peer)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(peer.Pki, "server", "own", "certs", "certificate.pem")));
        _ourPki.AddTrusted(certificate);
    }

    private static async Task<ServiceResultException> Refusal(Func<Task<UaClient>> connect) =>
        (await FluentActions.Awaiting(connect).Should().ThrowAsync<ServiceResultException>()).Which;

    private sealed class OneUser(string name, string password) : IUserAuthenticator
    {
        public bool Authenticate(string userName, string password1) => userName == name && password1 == password;
    }

    private sealed class SecuredPlant(LoopbackServer plant, PkiStore pki) : IAsyncDisposable
    {
        public PkiStore Pki { get; } = pki;
        public UaServer Server => plant.Server;
        public string EndpointUrl => plant.EndpointUrl;
        public NodeId Speed => plant.Speed;
        public NodeId Setpoint => plant.Setpoint;

        public ValueTask DisposeAsync() => plant.DisposeAsync();
    }
}
