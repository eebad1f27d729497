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

    [Fact]
    public async Task Roles_passwords_and_removal_change_and_the_last_admin_is_kept()
    {
        var users = new PortalUsers(_data, TimeProvider.System);
        users.EnsureFirstAdmin();
        await users.AddAsync("pat", "planner-password-1", [PortalRoles.Planner], default);

        await users.SetRolesAsync("pat", [PortalRoles.Supervisor, PortalRoles.Planner], default);
        (await users.FindAsync("pat", default))!.RoleList.Should().Equal(PortalRoles.Supervisor, PortalRoles.Planner);
        await users.SetPasswordAsync("pat", "a-new-password-2", default);
        (await users.VerifyAsync("pat", "planner-password-1", default)).Should().BeNull();
        (await users.VerifyAsync("pat", "a-new-password-2", default)).Should().NotBeNull();

        await FluentActions.Awaiting(() => users.SetRolesAsync(PortalUsers.FirstAdmin, [PortalRoles.Planner], default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("'admin' is the last admin: give another user Admin first.");
        await FluentActions.Awaiting(() => users.RemoveAsync(PortalUsers.FirstAdmin, default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("'admin' is the last admin and cannot be removed.");
        await FluentActions.Awaiting(() => users.SetPasswordAsync("pat", "short", default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("The password of 'pat' has 5 characters; at least 12 are needed.");
        await FluentActions.Awaiting(() => users.RemoveAsync("nobody", default))
            .Should().ThrowAsync<PortalUserException>().WithMessage("There is no user 'nobody'.");

        // With a second admin, the first may go.
        await users.SetRolesAsync("pat", [PortalRoles.Admin], default);
        await users.RemoveAsync(PortalUsers.FirstAdmin, default);
        (await users.ListAsync(default)).Select(u => u.UserName).Should().Equal("pat");
    }
}
