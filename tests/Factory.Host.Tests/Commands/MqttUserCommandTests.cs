using Factory.Cloud.Broker;
using Factory.Host.Tests.Support;

namespace Factory.Host.Tests.Commands;

/// <summary><c>factory mqtt-user</c> writes the password file the embedded broker and Mosquitto read.</summary>
public sealed class MqttUserCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-mqtt-user-").FullName;

    private string File => Path.Combine(_folder, "passwords");

    [Fact]
    public async Task Users_are_added_changed_and_removed_and_the_broker_reads_them()
    {
        var (exit, text) = await FactoryCli.RunAsync(["mqtt-user", File, "edge-line-1"], ["line-1-password", "line-1-password"]);
        exit.Should().Be(0, text);
        text.Should().Contain($"'edge-line-1' added to {File}").And.NotContain("line-1-password");
        await FactoryCli.RunAsync(["mqtt-user", File, "edge-line-2"], ["line-2-password", "line-2-password"]);
        BrokerPasswordFile.Load(File).Verify("edge-line-1", "line-1-password").Should().BeTrue();
        System.IO.File.ReadAllText(File).Should().NotContain("line-1-password", "only hashes are kept");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.GetUnixFileMode(File).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        (exit, text) = await FactoryCli.RunAsync(["mqtt-user", File, "edge-line-1"], ["a-new-password-1", "a-new-password-1"]);
        text.Should().Contain("'edge-line-1' has a new password");
        var file = BrokerPasswordFile.Load(File);
        file.Verify("edge-line-1", "a-new-password-1").Should().BeTrue();
        file.Verify("edge-line-1", "line-1-password").Should().BeFalse();
        file.Users.Should().BeEquivalentTo("edge-line-1", "edge-line-2");

        (exit, text) = await FactoryCli.RunAsync(["mqtt-user", File, "edge-line-2", "--remove"]);
        exit.Should().Be(0, text);
        BrokerPasswordFile.Load(File).Users.Should().Equal("edge-line-1");
    }

    [Fact]
    public async Task Mismatched_or_short_passwords_and_bad_names_change_nothing()
    {
        (await FactoryCli.RunAsync(["mqtt-user", File, "edge-line-1"], ["line-1-password", "line-1-passwort"])).Output.Should().Contain("The two passwords differ");
        (await FactoryCli.RunAsync(["mqtt-user", File, "edge-line-1"], ["short", "short"])).Output.Should().Contain("at least 12 are needed");
        (await FactoryCli.RunAsync(["mqtt-user", File, "a:b"])).Output.Should().Contain("'a:b' cannot be a broker user");
        (await FactoryCli.RunAsync(["mqtt-user", File, "nobody", "--remove"])).Output.Should().Contain($"{File} has no user 'nobody'.");
        System.IO.File.Exists(File).Should().BeFalse();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
