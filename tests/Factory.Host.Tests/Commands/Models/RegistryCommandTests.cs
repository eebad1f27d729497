using Factory.Cloud.Tests.Models;
using Factory.Cloud.Access;
using Factory.Cloud.Hosting;
using Factory.Cloud.Tests.Support;
using Factory.Host.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace Factory.Host.Tests.Commands.Models;

/// <summary><c>factory models …</c> against a real cloud node in process.</summary>
[Collection(RegistryPackagesCollection.Name)]
public sealed class RegistryCommandTests(RegistryPackages packages) : IAsyncLifetime
{
    private const string Id = RegistryPackages.ModelId;

    private readonly string _data = Directory.CreateTempSubdirectory("factory-models-cli-").FullName;
    private WebApplication _cloud = null!;
    private string _url = "";
    private string _engineerToken = "";

    public async Task InitializeAsync()
    {
        _cloud = await EmbeddedCloud.StartAsync(_data);
        _url = CloudNode.ApiUri(_cloud).ToString();
        _engineerToken = await TokenFileAsync("reliability-eng", UserRoles.ReliabilityEngineer);
    }

    [Fact]
    public async Task An_engineer_registers_promotes_lists_shows_compares_and_rolls_back()
    {
        (await RunAsync("register", packages.Write(1, 9f, name: "-cli-9"))).Should().Contain($"{Id} version 1 (cnc-spindle, robust-mahalanobis) registered: candidate");
        await RunAsync("register", packages.Write(2, 8f, name: "-cli-8"));
        (await RunAsync("promote", Id, "1", "--fleet")).Should().Contain($"{Id}: fleet runs version 1, no canary");
        (await RunAsync("promote", Id, "2", "--canary", "line-2")).Should().Contain($"{Id}: fleet runs version 1, line line-2 runs canary version 2");

        var list = await RunAsync("list");
        list.Should().MatchRegex($@"{Id}\s*│\s*cnc-spindle\s*│\s*2\s*│\s*2\s*│\s*1\s*│\s*2 on line-2");

        var compare = await RunAsync("compare", Id, "1", "2");
        compare.Should().MatchRegex(@"threshold\s*│\s*9\s*│\s*8\s*│\s*-1");

        (await RunAsync("promote", Id, "2", "--fleet", "--force")).Should().Contain("fleet runs version 2, no canary");
        (await RunAsync("rollback", Id)).Should().Contain("fleet runs version 1, no canary");

        var show = await RunAsync("show", Id);
        show.Should().MatchRegex(@"│\s*1\s*│\s*fleet\s*│").And.MatchRegex(@"│\s*2\s*│\s*retired\s*│");
        show.Should().MatchRegex(@"reliability-eng\s*│\s*rollback-fleet\s*│\s*1\s*│\s*fleet from version 2 back to version 1");
    }

    [Fact]
    public async Task Unknown_models_and_versions_and_bad_packages_are_named()
    {
        await RunAsync("register", packages.Write(1, 9f, name: "-cli-err"));
        var tampered = packages.Write(4, name: "-cli-tampered");
        RegistryPackages.Tamper(tampered);

        var (unknownExit, unknown) = await FactoryCli.RunAsync(["models", "show", "no-such-model", "--cloud", _url, "--token-file", _engineerToken]);
        var (versionExit, version) = await FactoryCli.RunAsync(["models", "promote", Id, "9", "--fleet", "--cloud", _url, "--token-file", _engineerToken]);
        var (badExit, bad) = await FactoryCli.RunAsync(["models", "register", tampered, "--cloud", _url, "--token-file", _engineerToken]);

        unknownExit.Should().Be(1);
        unknown.Should().Contain($"No model 'no-such-model' in the registry (registered: {Id}).");
        versionExit.Should().Be(1);
        version.Should().Contain($"{Id} has no version 9 (registered: 1).");
        badExit.Should().Be(1);
        bad.Should().Contain($"Refused {Path.GetFileName(tampered)}").And.Contain("hash");
    }

    [Fact]
    public async Task An_unreachable_cloud_is_named_by_its_url()
    {
        var url = $"http://127.0.0.1:{FactoryCli.FreePort()}";

        var (exit, text) = await FactoryCli.RunAsync(["models", "list", "--cloud", url, "--token-file", _engineerToken]);

        exit.Should().Be(1);
        text.Should().Contain($"Cannot reach the cloud node at {url}/");
    }

    [Fact]
    public async Task Without_a_token_or_the_role_the_cli_says_what_is_missing_and_nothing_changes()
    {
        await RunAsync("register", packages.Write(1, 9f, name: "-cli-auth"));
        var plannerToken = await TokenFileAsync("pat", UserRoles.Planner);
        var empty = Path.Combine(_data, "empty-token");
        await File.WriteAllTextAsync(empty, "\n");

        var (noTokenExit, noToken) = await FactoryCli.RunAsync(["models", "list", "--cloud", _url]);
        var (emptyExit, emptyText) = await FactoryCli.RunAsync(["models", "list", "--cloud", _url, "--token-file", empty]);
        var (missingExit, missing) = await FactoryCli.RunAsync(["models", "list", "--cloud", _url, "--token-file", Path.Combine(_data, "no-such-file")]);
        var (plannerExit, planner) = await FactoryCli.RunAsync(["models", "promote", Id, "1", "--fleet", "--cloud", _url, "--token-file", plannerToken]);
        var (plannerListExit, plannerList) = await FactoryCli.RunAsync(["models", "list", "--cloud", _url, "--token-file", plannerToken]);

        noTokenExit.Should().Be(1);
        noToken.Should().Contain("The cloud API needs a user's token").And.Contain($"{_url}account").And.Contain("FACTORY_API_TOKEN");
        emptyExit.Should().Be(1);
        emptyText.Should().Contain($"--token-file {empty}: the file is empty");
        missingExit.Should().Be(1);
        missing.Should().Contain($"--token-file {Path.Combine(_data, "no-such-file")}: cannot read the API token");
        plannerExit.Should().Be(1);
        planner.Should().Contain("User 'pat' may not do this: it needs the role ReliabilityEngineer.");
        plannerListExit.Should().Be(0, plannerList);
        (await RunAsync("show", Id)).Should().MatchRegex(@"│\s*1\s*│\s*candidate\s*│").And.NotContain("promote-fleet");
    }

    public async Task DisposeAsync()
    {
        await _cloud.StopAsync();
        await _cloud.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>A file holding a token of <paramref name="user"/>, as the CLI's --token-file reads it.</summary>
    private async Task<string> TokenFileAsync(string user, params string[] roles)
    {
        var path = Path.Combine(_data, $"{user}.token");
        await File.WriteAllTextAsync(path, await ApiUsers.TokenAsync(_data, user, roles) + "\n");
        return path;
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var (exit, text) = await FactoryCli.RunAsync(["models", .. args, "--cloud", _url, "--token-file", _engineerToken]);
        exit.Should().Be(0, text);
        return text;
    }
}
