using Factory.Cloud.Access;

namespace Factory.Cloud.Tests.Access;

public sealed class UserAccountsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("factory-portal-users-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_first_start_makes_an_admin_with_a_generated_password_stored_only_as_a_hash()
    {
        var users = new UserAccounts(_data, TimeProvider.System);

        var password = users.EnsureFirstAdmin();

        password.Should().NotBeNull().And.HaveLength(20);
        users.EnsureFirstAdmin().Should().BeNull("there is a user now");
        new UserAccounts(_data, TimeProvider.System).EnsureFirstAdmin().Should().BeNull("the users are kept across restarts");
        var admin = await users.VerifyAsync(UserAccounts.FirstAdmin, password!, default);
        admin!.RoleList.Should().BeEquivalentTo(UserRoles.All);
        admin.PasswordHash.Should().NotContain(password!);
        System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(_data, UserAccounts.DatabaseFileName))).Should().NotContain(password, "only the hash is stored");
        (await users.VerifyAsync(UserAccounts.FirstAdmin, password + "x", default)).Should().BeNull();
        (await users.VerifyAsync("nobody", password!, default)).Should().BeNull();
    }

    [Fact]
    public async Task Users_get_their_roles_and_bad_ones_are_refused_with_the_reason()
    {
        var users = new UserAccounts(_data, TimeProvider.System);
        await users.AddAsync("pat", "planner-password-1", [UserRoles.Planner], default);

        (await users.VerifyAsync("pat", "planner-password-1", default))!.RoleList.Should().Equal(UserRoles.Planner);
        await FluentActions.Awaiting(() => users.AddAsync("pat", "another-password", [UserRoles.Planner], default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("There is a user 'pat' already.");
        await FluentActions.Awaiting(() => users.AddAsync("sam", "short", [UserRoles.Supervisor], default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("The password of 'sam' has 5 characters; at least 12 are needed.");
        await FluentActions.Awaiting(() => users.AddAsync("sam", "long-enough-password", ["Janitor"], default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("There is no role 'Janitor'*");
    }

    [Fact]
    public async Task Roles_passwords_and_removal_change_and_the_last_admin_is_kept()
    {
        var users = new UserAccounts(_data, TimeProvider.System);
        users.EnsureFirstAdmin();
        await users.AddAsync("pat", "planner-password-1", [UserRoles.Planner], default);

        await users.SetRolesAsync("pat", [UserRoles.Supervisor, UserRoles.Planner], default);
        (await users.FindAsync("pat", default))!.RoleList.Should().Equal(UserRoles.Supervisor, UserRoles.Planner);
        await users.SetPasswordAsync("pat", "a-new-password-2", default);
        (await users.VerifyAsync("pat", "planner-password-1", default)).Should().BeNull();
        (await users.VerifyAsync("pat", "a-new-password-2", default)).Should().NotBeNull();

        await FluentActions.Awaiting(() => users.SetRolesAsync(UserAccounts.FirstAdmin, [UserRoles.Planner], default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("'admin' is the last admin: give another user Admin first.");
        await FluentActions.Awaiting(() => users.RemoveAsync(UserAccounts.FirstAdmin, default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("'admin' is the last admin and cannot be removed.");
        await FluentActions.Awaiting(() => users.SetPasswordAsync("pat", "short", default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("The password of 'pat' has 5 characters; at least 12 are needed.");
        await FluentActions.Awaiting(() => users.RemoveAsync("nobody", default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("There is no user 'nobody'.");

        // With a second admin, the first may go.
        await users.SetRolesAsync("pat", [UserRoles.Admin], default);
        await users.RemoveAsync(UserAccounts.FirstAdmin, default);
        (await users.ListAsync(default)).Select(u => u.UserName).Should().Equal("pat");
    }

    [Fact]
    public async Task An_api_token_is_shown_once_kept_only_as_its_hash_and_acts_with_its_users_roles_until_revoked()
    {
        var users = new UserAccounts(_data, TimeProvider.System);
        var tokens = new ApiTokens(users, TimeProvider.System);
        await users.AddAsync("erin", "engineer-password-1", [UserRoles.ReliabilityEngineer], default);

        var made = await tokens.CreateAsync("erin", " laptop ", default);

        made.Name.Should().Be("laptop");
        made.Secret.Should().StartWith(ApiTokens.Prefix).And.HaveLength(ApiTokens.Prefix.Length + 43);
        System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(_data, UserAccounts.DatabaseFileName))).Should().NotContain(made.Secret[ApiTokens.Prefix.Length..], "only the hash is stored");
        (await tokens.AuthenticateAsync(made.Secret, default))!.UserName.Should().Be("erin");
        (await tokens.AuthenticateAsync(made.Secret + "x", default)).Should().BeNull();
        (await tokens.AuthenticateAsync(made.Secret[ApiTokens.Prefix.Length..], default)).Should().BeNull("a token without its prefix is not one");
        (await tokens.ListAsync("erin", default)).Should().ContainSingle().Which.LastUsed.Should().NotBeNull();

        await users.SetRolesAsync("erin", [UserRoles.Planner], default);
        (await tokens.AuthenticateAsync(made.Secret, default))!.RoleList.Should().Equal(UserRoles.Planner);

        await FluentActions.Awaiting(() => tokens.CreateAsync("erin", "laptop", default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("'erin' has a token named 'laptop' already.");
        await FluentActions.Awaiting(() => tokens.CreateAsync("erin", "  ", default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("A token needs a name*");
        await FluentActions.Awaiting(() => tokens.CreateAsync("nobody", "ci", default))
            .Should().ThrowAsync<UserAccountException>().WithMessage("There is no user 'nobody'.");
        await FluentActions.Awaiting(() => tokens.RevokeAsync("someone-else", made.Key, default))
            .Should().ThrowAsync<UserAccountException>().WithMessage($"'someone-else' has no token {made.Key}.");

        await tokens.RevokeAsync("erin", made.Key, default);
        (await tokens.AuthenticateAsync(made.Secret, default)).Should().BeNull();
        (await tokens.ListAsync("erin", default)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_data_folder_that_does_not_exist_yet_is_made()
    {
        var folder = Path.Combine(_data, "cloud", "not-yet");

        var made = await new ApiTokens(new UserAccounts(folder, TimeProvider.System), TimeProvider.System).CreateAsync(UserAccounts.FirstAdmin, "ci", default)
            .ContinueWith(t => t.Exception?.InnerException?.Message);

        File.Exists(Path.Combine(folder, UserAccounts.DatabaseFileName)).Should().BeTrue();
        made.Should().Be($"There is no user '{UserAccounts.FirstAdmin}'.", "the folder and database are made, empty");
    }

    [Fact]
    public async Task A_users_database_of_a_version_without_tokens_gains_them_and_keeps_its_users()
    {
        var users = new UserAccounts(_data, TimeProvider.System);
        var password = users.EnsureFirstAdmin()!;
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, UserAccounts.DatabaseFileName)};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE \"ApiTokens\"";
            drop.ExecuteNonQuery();
        }

        var reopened = new UserAccounts(_data, TimeProvider.System);
        var made = await new ApiTokens(reopened, TimeProvider.System).CreateAsync(UserAccounts.FirstAdmin, "ci", default);

        (await reopened.VerifyAsync(UserAccounts.FirstAdmin, password, default)).Should().NotBeNull();
        (await new ApiTokens(reopened, TimeProvider.System).AuthenticateAsync(made.Secret, default))!.UserName.Should().Be(UserAccounts.FirstAdmin);
    }
}
