using Factory.Portal.Access;

namespace Factory.Portal.Tests;

public sealed class PortalUsersTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("factory-portal-users-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_first_start_makes_an_admin_with_a_generated_password_stored_only_as_a_hash()
    {
        var users = new PortalUsers(_data, TimeProvider.System);

        var password = users.EnsureFirstAdmin();

        password.Should().NotBeNull().And.HaveLength(20);
        users.EnsureFirstAdmin().Should().BeNull("there is a user now");
        new PortalUsers(_data, TimeProvider.System).EnsureFirstAdmin().Should().BeNull("the users are kept across restarts");
        var admin = await users.VerifyAsync(PortalUsers.FirstAdmin, password!, default);
        admin!.RoleList.Should().BeEquivalentTo(PortalRoles.All);
        admin.PasswordHash.Should().NotContain(password!);
        System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(_data, PortalUsers.DatabaseFileName))).Should().NotContain(password, "only the hash is stored");
        (await users.VerifyAsync(PortalUsers.FirstAdmin, password + "x", default)).Should().BeNull();
        (await users.VerifyAsync("nobody", password!, default)).Should().BeNull();
    }

    [Fact]
    public async Task Users_get_their_roles_and_bad_ones_are_refused_with_the_reason()
    {
        var users = new PortalUsers(_data, TimeProvider.System);
        await users.AddAsync("pat", "planner-password-1", [PortalRoles.Planner], default);

        (await users.VerifyAsync("pat", "planner-password-1", default))!.RoleList.Should().Equal(PortalRoles.Planner);
        await FluentActions.Awaiting(() => users.AddAsync("pat", "another-password", [PortalRoles.Planner], default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("There is a user 'pat' already.");
        await FluentActions.Awaiting(() => users.AddAsync("sam", "short", [PortalRoles.Supervisor], default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("The password of 'sam' has 5 characters; at least 12 are needed.");
        await FluentActions.Awaiting(() => users.AddAsync("sam", "long-enough-password", ["Janitor"], default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("There is no role 'Janitor'*");
    }
}
