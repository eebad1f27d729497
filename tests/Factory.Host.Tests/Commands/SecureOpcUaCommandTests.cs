using Factory.Host.Tests.Support;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Server;
using Factory.OpcUa.Types;

namespace Factory.Host.Tests.Commands;

/// <summary>The tests that set or need unset FACTORY_OPCUA_PASSWORD, a variable of the whole process: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class OpcUaPasswordCollection
{
    public const string Name = "FACTORY_OPCUA_PASSWORD";
}

/// <summary>
/// <c>factory opcua</c> against a server that offers only SignAndEncrypt and user names: the
/// tool's certificate is refused until trusted, the server's too, and the password comes from the environment.
/// </summary>
[Collection(OpcUaPasswordCollection.Name)]
public sealed class SecureOpcUaCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-opcua-secure-cli-").FullName;
    private PkiStore _serverPki = null!;
    private UaServer _server = null!;

    public async Task InitializeAsync()
    {
        _serverPki = new PkiStore(Path.Combine(_folder, "server"));
        _server = new UaServer(new ServerOptions
        {
            Port = 0,
            ApplicationUri = "urn:factory:cli-secure-test",
            Security = new ServerSecurity
            {
                Endpoints = [new EndpointSecurity(SecurityPolicy.Aes256Sha256RsaPss, MessageSecurityMode.SignAndEncrypt)],
                Certificate = _serverPki.OwnCertificate("urn:factory:cli-secure-test", "CLI secure test", ["127.0.0.1"]),
                ClientCertificates = new CertificateValidator(_serverPki, TimeProvider.System),
                AllowAnonymous = false,
                Users = new OneUser(),
            },
        });
        var ns = _server.AddressSpace.RegisterNamespace("urn:factory:cli-secure");
        _server.AddressSpace.AddVariable(ObjectIds.ObjectsFolder, new NodeId("Speed", ns), "Speed", DataTypeIds.Double, new Variant(987.5));
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("FACTORY_OPCUA_PASSWORD", null);
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_tool_reads_a_secured_server_once_both_certificates_are_trusted()
    {
        var pki = Path.Combine(_folder, "tool");
        string[] read = ["opcua", "read", _server.EndpointUrl, "ns=2;s=Speed", "--security", "Aes256_Sha256_RsaPss:SignAndEncrypt", "--pki", pki, "--user", "planner"];

        var (exit, text) = await FactoryCli.RunAsync(read);
        exit.Should().Be(1);
        text.Should().Contain("OPC UA user planner needs the password in FACTORY_OPCUA_PASSWORD");

        Environment.SetEnvironmentVariable("FACTORY_OPCUA_PASSWORD", "shift-b");
        (exit, text) = await FactoryCli.RunAsync(read);
        exit.Should().Be(1);
        text.Should().Contain("BadCertificateUntrusted").And.Contain("factory pki trust");
        (exit, _) = await FactoryCli.RunAsync(["pki", "trust", "--pki", pki, new PkiStore(pki).Entries().Single(e => e.List == PkiStore.Rejected).Thumbprint]);
        exit.Should().Be(0);

        (exit, text) = await FactoryCli.RunAsync(read);
        exit.Should().Be(1);
        text.Should().Contain("refused to open a Aes256_Sha256_RsaPss SignAndEncrypt channel").And.Contain("thumbprint");
        _serverPki.Trust(_serverPki.Entries().Single(e => e.List == PkiStore.Rejected).Thumbprint);

        (exit, text) = await FactoryCli.RunAsync(read);
        exit.Should().Be(0, text);
        text.Should().Contain("987.5");

        Environment.SetEnvironmentVariable("FACTORY_OPCUA_PASSWORD", "shift-a");
        (exit, text) = await FactoryCli.RunAsync(read);
        exit.Should().Be(1);
        text.Should().Contain("BadUserAccessDenied");
    }

    [Fact]
    public async Task Endpoints_are_listed_over_None_even_when_the_server_offers_no_None_endpoint()
    {
        var (exit, text) = await FactoryCli.RunAsync(["opcua", "endpoints", _server.EndpointUrl]);

        exit.Should().Be(0, text);
        text.Should().Contain("SignAndEncrypt").And.Contain("Aes256_Sha256_RsaPss").And.Contain("UserName").And.NotContain("Anonymous");
    }

    private sealed class OneUser : IUserAuthenticator
    {
        public bool Authenticate(string userName, string password) => userName == "planner" && password == "shift-b";
    }
}
