using Factory.Cloud.Access;
using Factory.Cloud.Commands;
using Factory.Cloud.Database;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Models;
using Factory.Cloud.Planning;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Models;
using Factory.Cloud.Tests.Support;
using Factory.Link;
using Factory.Plant.Config;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Factory.Cloud.Tests.Database;

/// <summary>
/// Two cloud nodes (two sets of the services, each with its own data folder) sharing one real
/// PostgreSQL database: what one node changes, the other answers for; changes racing on the two
/// nodes are serialized as they are on one; a database that cannot be used is named.
/// Every test has a database of its own, which the first node to start creates.
/// </summary>
[Collection(RegistryPackagesCollection.Name)]
public sealed class SharedDatabaseTests(PostgresFixture postgres, RegistryPackages packages) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string Id = RegistryPackages.ModelId;

    private readonly string _data = Directory.CreateTempSubdirectory("factory-shared-db-").FullName;
    private readonly List<IDisposable> _disposables = [];
    private readonly string _name = $"factory_{Guid.NewGuid():N}";

    /// <summary>The test's database, as each node is given it.</summary>
    private CloudDatabase Shared => postgres.Database(_name);

    [Fact]
    public async Task Nodes_starting_together_make_each_schema_once_and_one_first_admin()
    {
        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var users = new UserAccounts(Shared, TimeProvider.System);
            Track(Registry(Guid.NewGuid().ToString("N")));
            Track(Planner(Registry(Guid.NewGuid().ToString("N"))));
            return users.EnsureFirstAdmin();
        }));

        var passwords = await Task.WhenAll(starts);

        passwords.Where(p => p is not null).Should().ContainSingle("the first start of the cloud makes the first admin, once");
        var users = new UserAccounts(Shared, TimeProvider.System);
        (await users.VerifyAsync(UserAccounts.FirstAdmin, passwords.Single(p => p is not null)!, default)).Should().NotBeNull();
        (await TablesAsync()).Should().BeEquivalentTo(
            "access.ApiTokens", "access.DataProtectionKeys", "access.Users",
            "models.Audit", "models.Packages", "models.Promotions", "models.Versions",
            "planning.Audit", "planning.WorkOrders");
    }

    [Fact]
    public async Task A_user_and_a_token_made_on_one_node_work_on_the_other_and_a_removal_is_seen_by_both()
    {
        var one = new UserAccounts(Shared, TimeProvider.System);
        var two = new UserAccounts(Shared, TimeProvider.System);
        await one.AddAsync("pat", "a-long-password-1", [UserRoles.Planner], default);
        var token = await new ApiTokens(one, TimeProvider.System).CreateAsync("pat", "laptop", default);

        (await two.VerifyAsync("pat", "a-long-password-1", default))!.RoleList.Should().Equal(UserRoles.Planner);
        (await new ApiTokens(two, TimeProvider.System).AuthenticateAsync(token.Secret, default))!.UserName.Should().Be("pat");

        await two.RemoveAsync("pat", default);

        (await one.VerifyAsync("pat", "a-long-password-1", default)).Should().BeNull();
        (await new ApiTokens(one, TimeProvider.System).AuthenticateAsync(token.Secret, default)).Should().BeNull("a removed user's tokens go with them");
    }

    [Fact]
    public void A_sign_in_cookie_protected_by_one_node_is_read_by_the_other()
    {
        _ = new UserAccounts(Shared, TimeProvider.System);
        var one = Protector();
        var two = Protector();

        var cookie = one.Protect("pat signed in");

        two.Unprotect(cookie).Should().Be("pat signed in");
    }

    [Fact]
    public async Task A_package_registered_on_one_node_is_served_promoted_and_audited_on_the_other()
    {
        var one = Registry("one");
        var two = Registry("two");
        var source = packages.Write(1, name: "-shared");
        await using (var file = File.OpenRead(source))
        {
            await one.RegisterAsync(file, "v1.fmpkg", "alice", default);
        }

        (await two.ListAsync(default)).Should().ContainSingle().Which.LatestVersion.Should().Be(1);
        var served = await two.PackageFileAsync(Id, 1, default);
        served.Should().StartWith(two.PackagesDirectory, "the other node keeps its own file of the package");
        (await File.ReadAllBytesAsync(served)).Should().Equal(await File.ReadAllBytesAsync(source));

        await two.PromoteToFleetAsync(Id, 1, "bob", force: true, default);

        (await one.AssignmentsAsync(default)).Should().ContainSingle().Which.FleetVersion.Should().Be(1);
        (await one.AuditAsync(Id, 10, default)).Select(a => (a.Actor, a.Action)).Should().Contain([("alice", "register"), ("bob", "promote-fleet-forced")]);
    }

    [Fact]
    public async Task One_version_registered_with_other_content_on_two_nodes_at_once_is_kept_once()
    {
        var one = Registry("one");
        var two = Registry("two");
        var a = await File.ReadAllBytesAsync(packages.Write(3, 9f, name: "-a"));
        var b = await File.ReadAllBytesAsync(packages.Write(3, 7f, name: "-b"));

        var results = await Task.WhenAll(
            Attempt(() => one.RegisterAsync(new MemoryStream(a), "a.fmpkg", "alice", default)),
            Attempt(() => two.RegisterAsync(new MemoryStream(b), "b.fmpkg", "bob", default)));

        results.Count(r => r is null).Should().Be(1, "one registration wins");
        results.Single(r => r is not null).Should().BeOfType<ModelRegistryException>().Which.Error.Should().Be(ModelRegistryError.Conflict);
        (await one.VersionsAsync(Id, default)).Should().ContainSingle();
    }

    [Fact]
    public async Task Planners_on_two_nodes_racing_for_one_machine_make_one_work_order()
    {
        var one = Planner(Registry("one"));
        var two = Planner(Registry("two"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Attempt(() => (i % 2 == 0 ? one : two).CreateAsync("line-2", "press-01", "replace-seals", null, $"inspection {i}", "pat", default))));

        results.Count(r => r is null).Should().Be(1);
        results.Where(r => r is not null).Should().AllBeOfType<PlanningException>()
            .And.AllSatisfy(e => e!.Message.Should().StartWith("line-2/press-01 already has open work order #"));
        (await two.WorkOrdersAsync(default)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_work_order_made_on_one_node_is_booked_on_the_other_at_the_same_instant()
    {
        var one = Planner(Registry("one"));
        var two = Planner(Registry("two"));
        var created = await one.CreateAsync("line-2", "press-01", "replace-seals", null, "inspection", "pat", default);

        // 23:00 in Berlin on Monday 30 November 2026 is 22:00 UTC: between line-2's shifts.
        var start = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.FromHours(1));
        await two.ScheduleAsync(created.Id, "mech-b", start, "sam", default);

        var seen = (await one.WorkOrdersAsync(default)).Single();
        seen.Should().Match<WorkOrder>(w => w.State == WorkOrderStates.Scheduled && w.Crew == "mech-b" && w.Start == start && w.End == start.AddHours(6));
        (await one.AuditAsync(10, default)).Select(a => (a.Actor, a.Action)).Should().Equal(("sam", "schedule"), ("pat", "create"));
    }

    [Fact]
    public void A_wrong_password_is_named_with_the_database_the_server_and_the_user()
    {
        var wrong = CloudDatabase.PostgreSql(postgres.ConnectionString("factory_wrong"), "not-the-password");

        var act = () => new UserAccounts(wrong, TimeProvider.System);

        act.Should().Throw<CloudDatabaseException>().Which.Message.Should()
            .StartWith($"The users cannot use the PostgreSQL database factory_wrong on 127.0.0.1:{postgres.Port} as factory: ")
            .And.Contain("password authentication failed for user \"factory\"");
    }

    [Fact]
    public void A_server_that_does_not_answer_is_named()
    {
        var port = Factory.EndToEnd.Tests.Support.MosquittoProcess.FreePort();
        var nowhere = CloudDatabase.PostgreSql($"Host=127.0.0.1;Port={port};Database=factory;Username=factory;Timeout=3", "x");

        var act = () => new UserAccounts(nowhere, TimeProvider.System);

        act.Should().Throw<CloudDatabaseException>().Which.Message.Should()
            .StartWith($"The users cannot use the PostgreSQL database factory on 127.0.0.1:{port} as factory: ")
            .And.ContainAny("refused", "Failed to connect");
    }

    [Theory]
    [InlineData("Host=db1;Port=notaport;Database=factory", "The database connection string cannot be read: ")]
    [InlineData("Database=factory;Username=factory", "The database connection string names no Host")]
    [InlineData("Host=db1;Username=factory", "The database connection string for db1 names no Database")]
    public void A_connection_string_that_cannot_be_used_is_refused_with_the_form_expected(string connection, string message)
    {
        var act = () => CloudDatabase.PostgreSql(connection);

        act.Should().Throw<CloudDatabaseException>().Which.Message.Should().StartWith(message).And.EndWith("(expected the form Host=HOST;Port=5432;Database=NAME;Username=USER).");
    }

    [Fact]
    public void The_description_names_the_database_and_never_the_password()
    {
        var database = CloudDatabase.PostgreSql("Host=db1;Port=5433;Database=factory;Username=factory;Password=secret-one");

        database.Description.Should().Be("PostgreSQL database factory on db1:5433 as factory");
        database.IsShared.Should().BeTrue();
        CloudDatabase.Sqlite(_data).IsShared.Should().BeFalse();
    }

    public void Dispose()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    /// <summary>A node's registry: its own data folder and telemetry store, the shared database.</summary>
    private ModelRegistry Registry(string node)
    {
        var folder = Path.Combine(_data, node);
        var store = Track(new EmbeddedTelemetryStore(Path.Combine(folder, "telemetry"), NullLogger.Instance));
        return Track(ModelRegistry.Open(Shared, folder, new StoredAlarmRates(store)));
    }

    /// <summary>A node's planner for the sample plant; its command sender is never started (nothing here completes a work order).</summary>
    private MaintenancePlanner Planner(ModelRegistry registry)
    {
        var plant = PlantConfigLoader.Load(Planning.MaintenancePlannerTests.SamplePlant());
        var store = Track(new EmbeddedTelemetryStore(Path.Combine(_data, Guid.NewGuid().ToString("N")), NullLogger.Instance));
        var forecaster = new RulForecaster(registry, store, plant, TimeProvider.System, NullLogger<RulForecaster>.Instance);
        var commands = Track(new LineCommandSender(new MqttLinkOptions { Broker = new BrokerAddress("127.0.0.1", 9), ClientId = "test" }, TimeProvider.System, NullLoggerFactory.Instance));
        return Track(new MaintenancePlanner(Shared, plant, forecaster, commands, TimeProvider.System));
    }

    /// <summary>A node's data protection, as <see cref="SignInKeys"/> sets it up.</summary>
    private IDataProtector Protector()
    {
        var services = new ServiceCollection();
        SignInKeys.Add(services, Shared);
        var provider = services.BuildServiceProvider();
        _disposables.Add(provider);
        return provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware");
    }

    private async Task<List<string>> TablesAsync()
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres.ConnectionString(_name)) { Password = postgres.Password };
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync();
        await using var command = open.CreateCommand();
        command.CommandText = "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('access', 'models', 'planning') ORDER BY 1";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
