using Factory.Edge.Hosting;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Edge.Tests.Node.Support;
using Factory.OpcUa.Client;
using Factory.OpcUa.Security;
using Factory.OpcUa.Server;
using Factory.OpcUa.Types;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Node;

/// <summary>
/// The edge reading a line whose OPC UA server offers only Basic256Sha256 SignAndEncrypt and
/// no anonymous users: the certificates are refused on both sides until an operator trusts them,
/// a wrong password is denied, and once both are trusted the machines are read.
/// </summary>
public sealed class SecureOpcUaTests : IAsyncLifetime
{
    private const string EdgeUri = $"urn:factory:edge:{EdgeTestPlant.LineId}";
    private const string ServerUri = $"urn:factory:simulator:{EdgeTestPlant.LineId}";

    private readonly EdgeHarness _edge;
    private readonly TemporaryDirectory _pki = new();
    private readonly PkiStore _serverPki;
    private readonly PkiStore _edgePki;

    public SecureOpcUaTests(ITestOutputHelper output)
    {
        _edge = new EdgeHarness(output);
        _serverPki = new PkiStore(Path.Combine(_pki.Path, "simulator", EdgeTestPlant.LineId));
        _edgePki = new PkiStore(Path.Combine(_pki.Path, "edge"));
        _edge.SimulatorSecurity = (_, applicationUri, applicationName) => new ServerSecurity
        {
            Endpoints = [new EndpointSecurity(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt)],
            Certificate = _serverPki.OwnCertificate(applicationUri, applicationName, ["127.0.0.1"]),
            ClientCertificates = new CertificateValidator(_serverPki, TimeProvider.System),
            AllowAnonymous = false,
            Users = new OneUser("edge-1", "line-one-secret"),
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task The_edge_reads_the_line_once_an_operator_has_trusted_both_certificates()
    {
        _edge.OpcUa = Access("line-one-secret");
        await _edge.StartAsync();

        // The edge refuses the server first: nobody has trusted the simulator's certificate.
        var refusedServer = await _edge.WaitForLineAsync(l => l.Endpoints.Any(e => e.Reason.Contains("BadCertificateUntrusted", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the edge refuses an untrusted server");
        refusedServer.Endpoints.Single().Connected.Should().BeFalse();
        var server = _edgePki.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected).Subject;
        server.ApplicationUri.Should().Be(ServerUri);
        _edgePki.Trust(server.Thumbprint);

        // Then the server refuses the edge, until its operator trusts the edge's certificate.
        await _edge.WaitForLineAsync(l => l.Endpoints.Any(e => e.Reason.Contains("refused to open a Basic256Sha256", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the server refuses an untrusted edge");
        var edge = _serverPki.Entries().Should().ContainSingle(e => e.List == PkiStore.Rejected).Subject;
        edge.ApplicationUri.Should().Be(EdgeUri);
        _serverPki.Trust(edge.Thumbprint);

        var reading = await _edge.WaitForLineAsync(l => l.Endpoints.All(e => e.Connected) && l.Machines.All(m => !m.Stale), TimeSpan.FromSeconds(20), "connected over SignAndEncrypt and reading");
        reading.Machines.Should().NotBeEmpty();
        _edge.Line.Server.SessionCount.Should().Be(1);
    }

    [Fact]
    public async Task A_wrong_password_is_denied_and_said_on_the_panel()
    {
        _edge.OpcUa = Access("not-the-secret");
        using (var ours = _edgePki.OwnCertificate(EdgeUri, "edge", ["127.0.0.1"]))
        using (var theirs = _serverPki.OwnCertificate(ServerUri, "simulator", ["127.0.0.1"]))
        {
            _serverPki.AddTrusted(ours);
            _edgePki.AddTrusted(theirs);
        }

        await _edge.StartAsync();

        var denied = await _edge.WaitForLineAsync(l => l.Endpoints.Any(e => e.Reason.Contains("BadUserAccessDenied", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the server denies the wrong password");
        denied.Endpoints.Single().Connected.Should().BeFalse();
        denied.Machines.Should().OnlyContain(m => m.LastSample == null, "nothing was read from the server");
    }

    private OpcUaAccess Access(string password) => new()
    {
        ApplicationUri = EdgeUri,
        Security = new ClientSecurity(
            SecurityPolicy.Basic256Sha256,
            MessageSecurityMode.SignAndEncrypt,
            _edgePki.OwnCertificate(EdgeUri, "Factory edge", ["127.0.0.1"]),
            new CertificateValidator(_edgePki, TimeProvider.System)),
        Identity = UserIdentity.User("edge-1", password),
    };

    private sealed class OneUser(string name, string secret) : IUserAuthenticator
    {
        public bool Authenticate(string userName, string password) => userName == name && password == secret;
    }
}
