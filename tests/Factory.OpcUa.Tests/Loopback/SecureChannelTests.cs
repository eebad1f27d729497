using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Server;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Loopback;

/// <summary>
/// Our client against our server with signed and encrypted channels (OPC 10000-6, 6.7), both
/// sides' certificates in their own PKI folders, and users with passwords.
/// </summary>
public sealed class SecureChannelTests : IDisposable
{
    private const string ServerUri = "urn:factory:test-server";
    private const string ClientUri = "urn:factory:test-client";

    private readonly string _folder = Directory.CreateTempSubdirectory("factory-secure-").FullName;
    private readonly PkiStore _serverPki;
    private readonly PkiStore _clientPki;
    private readonly X509Certificate2 _serverCertificate;
    private readonly X509Certificate2 _clientCertificate;

    public SecureChannelTests()
    {
        _serverPki = new PkiStore(Path.Combine(_folder, "server"));
        _clientPki = new PkiStore(Path.Combine(_folder, "client"));
        _serverCertificate = _serverPki.OwnCertificate(ServerUri, "Test server", ["127.0.0.1"]);
        _clientCertificate = _clientPki.OwnCertificate(ClientUri, "Test client", ["127.0.0.1"]);
    }

    public static TheoryData<string, MessageSecurityMode> PoliciesAndModes()
    {
        var data = new TheoryData<string, MessageSecurityMode>();
        foreach (var policy in SecurityPolicy.All)
        {
            data.Add(policy.Name, MessageSecurityMode.SignAndEncrypt);
            data.Add(policy.Name, MessageSecurityMode.Sign);
        }

        return data;
    }

    public void Dispose()
    {
        _serverCertificate.Dispose();
        _clientCertificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [MemberData(nameof(PoliciesAndModes))]
    public async Task A_user_reads_writes_and_subscribes_over_every_policy_and_mode(string policyName, MessageSecurityMode mode)
    {
        TrustEachOther();
        await using var plant = await StartAsync();
        var big = new NodeId("Line1.Pump1.Waveform", plant.Namespace);
        var waveform = Enumerable.Range(0, 40_000).Select(i => Math.Sin(i / 10.0)).ToArray();
        plant.Server.AddressSpace.AddVariable(new NodeId("Line1.Pump1", plant.Namespace), big, "Waveform", DataTypeIds.Double, new Variant(waveform), ValueRanks.OneDimension);

        await using var client = await UaClient.ConnectAsync(ClientOptions(plant, SecurityPolicy.FindByNameOrUri(policyName)!, mode, UserIdentity.User("operator", "s3cret")));

        (await client.ReadValueAsync(plant.Speed)).Value.AsDouble().Should().Be(1450.0);
        (await client.WriteValueAsync(plant.Setpoint, new Variant(1200.0))).Should().Be(StatusCode.Good);
        plant.Server.AddressSpace.GetVariable(plant.Setpoint).Value.Value.AsDouble().Should().Be(1200.0);

        // 320 kB: many chunks, each signed (and encrypted) on its own.
        (await client.ReadValueAsync(big)).Value.Value.Should().BeEquivalentTo(waveform, o => o.WithStrictOrdering());

        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        await subscription.AddItemsAsync([new MonitoredItemRequest(plant.Temperature, QueueSize: 10)]);
        plant.Server.AddressSpace.GetVariable(plant.Temperature).SetValue(new Variant(77.5));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var message in subscription.ReadAllAsync(timeout.Token))
        {
            if (message is DataChangeMessage changes && changes.Changes.Any(c => c.Value.Value.AsDouble() == 77.5))
            {
                break;
            }
        }

        timeout.IsCancellationRequested.Should().BeFalse("the change arrives over the secured channel");
        client.ServerEndpoints.Should().HaveCount(6).And.OnlyContain(e => e.ServerCertificate!.SequenceEqual(_serverCertificate.RawData));
    }

    [Fact]
    public async Task A_wrong_password_is_denied_and_anonymous_users_are_refused_when_the_server_says_so()
    {
        TrustEachOther();
        await using var plant = await StartAsync();

        var wrong = await Refusal(() => UaClient.ConnectAsync(ClientOptions(plant, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, UserIdentity.User("operator", "guess"))));
        var unknown = await Refusal(() => UaClient.ConnectAsync(ClientOptions(plant, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, UserIdentity.User("nobody", "s3cret"))));
        var anonymous = await Refusal(() => UaClient.ConnectAsync(ClientOptions(plant, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, UserIdentity.Anonymous)));

        wrong.StatusCode.CodeBits.Should().Be(StatusCodes.BadUserAccessDenied);
        unknown.StatusCode.CodeBits.Should().Be(StatusCodes.BadUserAccessDenied);
        anonymous.StatusCode.CodeBits.Should().Be(StatusCodes.BadIdentityTokenRejected);
        plant.Server.SessionCount.Should().Be(3, "the refused sessions were created but never activated");
    }

    [Fact]
    public async Task A_server_without_a_None_endpoint_answers_discovery_on_None_and_nothing_else()
    {
        TrustEachOther();
        await using var plant = await StartAsync();

        var endpoints = await UaClient.GetEndpointsAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl });
        var plain = await Refusal(() => UaClient.ConnectAsync(new ClientOptions { EndpointUrl = plant.EndpointUrl, ApplicationUri = ClientUri }));

        endpoints.Select(e => (e.SecurityPolicyUri, e.SecurityMode)).Should().BeEquivalentTo(
            EndpointSecurity.AllSecured.Select(e => (e.PolicyUri, e.Mode)));
        endpoints.Should().OnlyContain(e => e.UserIdentityTokens!.Single().TokenType == UserTokenType.UserName);
        plain.StatusCode.CodeBits.Should().Be(StatusCodes.BadSecurityPolicyRejected);
    }

    [Fact]
    public async Task A_client_whose_certificate_nobody_trusted_is_refused_until_an_operator_trusts_it()
    {
        _clientPki.AddTrusted(_serverCertificate);
        await using var plant = await StartAsync();
        var options = ClientOptions(plant, SecurityPolicy.Aes256Sha256RsaPss, MessageSecurityMode.SignAndEncrypt, UserIdentity.User("operator", "s3cret"));

        var refused = await Refusal(() => UaClient.ConnectAsync(options));

        refused.StatusCode.CodeBits.Should().Be(StatusCodes.BadCertificateUntrusted);
        refused.Message.Should().Contain("factory pki trust");
        var rejected = _serverPki.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected).Subject;
        rejected.ApplicationUri.Should().Be(ClientUri);

        _serverPki.Trust(rejected.Thumbprint);
        await using var client = await UaClient.ConnectAsync(options);
        (await client.ReadValueAsync(plant.Speed)).StatusCode.Should().Be(StatusCode.Good);
    }

    [Fact]
    public async Task A_client_refuses_a_server_whose_certificate_it_does_not_trust()
    {
        _serverPki.AddTrusted(_clientCertificate);
        await using var plant = await StartAsync();

        var refused = await Refusal(() => UaClient.ConnectAsync(ClientOptions(plant, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, UserIdentity.User("operator", "s3cret"))));

        refused.StatusCode.CodeBits.Should().Be(StatusCodes.BadCertificateUntrusted);
        _clientPki.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected).Which.ApplicationUri.Should().Be(ServerUri);
        plant.Server.SessionCount.Should().Be(0, "the client stopped before it sent anything secret");
    }

    [Fact]
    public async Task A_renewed_token_brings_new_keys_and_the_session_carries_on()
    {
        TrustEachOther();
        await using var plant = await StartAsync();
        var options = ClientOptions(plant, SecurityPolicy.Aes128Sha256RsaOaep, MessageSecurityMode.SignAndEncrypt, UserIdentity.User("operator", "s3cret")) with
        {
            SecureChannelLifetime = TimeSpan.FromSeconds(2.4),
        };
        await using var client = await UaClient.ConnectAsync(options);
        var (channel, firstToken) = client.SecureChannel;

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (client.SecureChannel.TokenId == firstToken && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        client.SecureChannel.TokenId.Should().NotBe(firstToken, "the token is renewed at 75% of its 2.4 s");

        (await client.ReadValueAsync(plant.Speed)).Value.AsDouble().Should().Be(1450.0);
        client.SecureChannel.ChannelId.Should().Be(channel, "the same channel was renewed, not a new one opened");
    }

    [Fact]
    public async Task A_byte_flipped_in_an_encrypted_chunk_is_detected_and_the_channel_closed()
    {
        TrustEachOther();
        await using var plant = await StartAsync();
        await using var proxy = new TcpProxy(plant.Server.Port);
        var options = ClientOptions(plant, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, UserIdentity.User("operator", "s3cret")) with
        {
            EndpointUrl = proxy.EndpointUrl,
            ReconnectDelay = TimeSpan.FromSeconds(30),
            MaxReconnectDelay = TimeSpan.FromSeconds(30),
        };
        await using var client = await UaClient.ConnectAsync(options);
        var states = new List<SessionStateChangedEventArgs>();
        client.StateChanged += (_, e) => states.Add(e);

        var flipped = proxy.FlipByteInNextClientMessage();
        var read = FluentActions.Awaiting(() => client.ReadValueAsync(plant.Speed));

        (await read.Should().ThrowAsync<ServiceResultException>()).Which.StatusCode.CodeBits.Should().Be(StatusCodes.BadSecurityChecksFailed);
        flipped.IsCompletedSuccessfully.Should().BeTrue();
        states.Should().Contain(s => s.State == SessionState.Reconnecting && s.Reason.Contains("BadSecurityChecksFailed", StringComparison.Ordinal));
    }

    private void TrustEachOther()
    {
        _serverPki.AddTrusted(_clientCertificate);
        _clientPki.AddTrusted(_serverCertificate);
    }

    private Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync(new ServerOptions
    {
        Port = 0,
        ApplicationUri = ServerUri,
        Security = new ServerSecurity
        {
            Endpoints = EndpointSecurity.AllSecured,
            Certificate = _serverCertificate,
            ClientCertificates = new CertificateValidator(_serverPki, TimeProvider.System),
            AllowAnonymous = false,
            Users = new Users(("operator", "s3cret")),
        },
    });

    private ClientOptions ClientOptions(LoopbackServer plant, SecurityPolicy policy, MessageSecurityMode mode, UserIdentity identity) => new()
    {
        EndpointUrl = plant.EndpointUrl,
        ApplicationUri = ClientUri,
        Security = new ClientSecurity(policy, mode, _clientCertificate, new CertificateValidator(_clientPki, TimeProvider.System)),
        Identity = identity,
    };

    private static async Task<ServiceResultException> Refusal(Func<Task<UaClient>> connect)
    {
        var attempt = await FluentActions.Awaiting(connect).Should().ThrowAsync<ServiceResultException>();
        return attempt.Which;
    }

    /// <summary>Users and their passwords, as a plant's user list would give them.</summary>
    private sealed class Users(params (string Name, string Password)[] users) : IUserAuthenticator
    {
        public bool Authenticate(string userName, string password) => users.Contains((userName, password));
    }
}
