using Factory.Host.Tests.Support;
using Factory.OpcUa.Security;

namespace Factory.Host.Tests.Commands;

/// <summary><c>factory pki</c> on a PKI folder where a peer was refused.</summary>
public sealed class PkiCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-pki-cli-").FullName;

    [Fact]
    public async Task An_operator_lists_trusts_and_rejects_a_refused_peer()
    {
        var (exit, text) = await FactoryCli.RunAsync(["pki", "list", "--pki", _folder]);
        exit.Should().Be(0, text);
        text.Should().Contain("holds no certificate yet");

        var store = new PkiStore(_folder);
        using var peer = ApplicationCertificate.Create("urn:plant:line-1:plc", "PLC line 1", []);
        store.AddRejected(peer);

        (exit, text) = await FactoryCli.RunAsync(["pki", "list", "--pki", _folder]);
        text.Should().MatchRegex($@"rejected\s*│\s*{peer.Thumbprint}").And.Contain("urn:plant:line-1:plc");

        (exit, text) = await FactoryCli.RunAsync(["pki", "trust", peer.Thumbprint[..8], "--pki", _folder]);
        exit.Should().Be(0, text);
        text.Should().Contain($"({peer.Thumbprint}, urn:plant:line-1:plc) trusted");
        store.Entries().Should().ContainSingle().Which.List.Should().Be(PkiStore.Trusted);

        (exit, text) = await FactoryCli.RunAsync(["pki", "reject", peer.Thumbprint, "--pki", _folder]);
        exit.Should().Be(0, text);
        store.Entries().Should().ContainSingle().Which.List.Should().Be(PkiStore.Rejected);

        (exit, text) = await FactoryCli.RunAsync(["pki", "reject", "ABCDEF", "--pki", _folder]);
        exit.Should().Be(1);
        text.Should().Contain("No certificate in").And.Contain("has a thumbprint starting with 'ABCDEF'");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
