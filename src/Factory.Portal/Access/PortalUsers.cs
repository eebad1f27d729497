using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Factory.Portal.Access;

/// <summary>A user of the portal, as stored: the password only as its hash.</summary>
public sealed class PortalUser
{
    public int Key { get; set; }

    public required string UserName { get; set; }

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2 with HMAC-SHA512, 100,000 iterations, salted).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>The roles, comma-separated (<see cref="PortalRoles"/>).</summary>
    public required string Roles { get; set; }

    public DateTimeOffset Created { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<PortalUser> Users => Set<PortalUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<PortalUser>(e =>
        {
            e.HasKey(u => u.Key);
            e.HasIndex(u => u.UserName).IsUnique();
            e.Ignore(u => u.RoleList);
        });
}

/// <summary>A user name or password the portal refuses, or a user that cannot be created; the message says why.</summary>
public sealed class PortalUserException(string message) : Exception(message);

/// <summary>
/// The portal's users in SQLite (<c>&lt;cloud data&gt;/portal.db</c>). No password is in the code:
/// the first start creates the user <c>admin</c> with a generated password, which the command
/// that started the node prints once (<see cref="EnsureFirstAdmin"/>).
/// </summary>
public sealed class PortalUsers
{
    /// <summary>The database file in the cloud's data folder.</summary>
    public const string DatabaseFileName = "portal.db";

    /// <summary>The first user's name.</summary>
    public const string FirstAdmin = "admin";

    private readonly DbContextOptions<PortalDbContext> _options;
    private readonly PasswordHasher<PortalUser> _hasher = new();
    private readonly TimeProvider _time;

    public PortalUsers(string dataDirectory, TimeProvider time)
    {
        _time = time;
        _options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), DatabaseFileName)};Pooling=False")
            .Options;
        using var db = new PortalDbContext(_options);
        db.Database.EnsureCreated();
    }

    /// <summary>Creates <see cref="FirstAdmin"/> with every role and a generated password when there is no user yet.</summary>
    /// <returns>The generated password, to be shown once; null when users exist.</returns>
    public string? EnsureFirstAdmin()
    {
        using var db = new PortalDbContext(_options);
        if (db.Users.Any())
        {
            return null;
        }

        var password = GeneratePassword();
        db.Users.Add(NewUser(FirstAdmin, password, PortalRoles.All));
        db.SaveChanges();
        return password;
    }

    /// <summary>Adds a user with <paramref name="roles"/>.</summary>
    /// <exception cref="PortalUserException">The name is taken or empty, the password shorter than 12 characters, or a role unknown.</exception>
    public async Task AddAsync(string userName, string password, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new PortalUserException("A user needs a name.");
        }

        if (password.Length < 12)
        {
            throw new PortalUserException($"The password of '{userName}' has {password.Length} characters; at least 12 are needed.");
        }

        if (roles.FirstOrDefault(r => !PortalRoles.All.Contains(r)) is { } unknown)
        {
            throw new PortalUserException($"There is no role '{unknown}' (roles: {string.Join(", ", PortalRoles.All)}).");
        }

        await using var db = new PortalDbContext(_options);
        if (await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            throw new PortalUserException($"There is a user '{userName}' already.");
        }

        db.Users.Add(NewUser(userName, password, roles));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = new PortalDbContext(_options);
        return [.. (await db.Users.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(u => u.UserName, StringComparer.Ordinal)];
    }

    /// <summary>The user of that name, or null.</summary>
    public async Task<PortalUser?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = new PortalDbContext(_options);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
    }

    /// <summary>Gives a user other roles; the last admin keeps Admin.</summary>
    /// <exception cref="PortalUserException">No such user, a role unknown, or the last admin would lose Admin.</exception>
    public Task SetRolesAsync(string userName, IReadOnlyList<string> roles, CancellationToken cancellationToken) =>
        ChangeAsync(userName, async (db, user) =>
        {
            if (roles.FirstOrDefault(r => !PortalRoles.All.Contains(r)) is { } unknown)
            {
                throw new PortalUserException($"There is no role '{unknown}' (roles: {string.Join(", ", PortalRoles.All)}).");
            }

            if (user.RoleList.Contains(PortalRoles.Admin) && !roles.Contains(PortalRoles.Admin) && await AdminsAsync(db, cancellationToken) == 1)
            {
                throw new PortalUserException($"'{userName}' is the last admin: give another user Admin first.");
            }

            user.Roles = string.Join(',', PortalRoles.All.Where(roles.Contains));
        }, cancellationToken);

    /// <summary>Sets a new password (at least 12 characters).</summary>
    public Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        ChangeAsync(userName, (_, user) =>
        {
            if (password.Length < 12)
            {
                throw new PortalUserException($"The password of '{userName}' has {password.Length} characters; at least 12 are needed.");
            }

            user.PasswordHash = _hasher.HashPassword(user, password);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Removes a user; the last admin stays.</summary>
    public Task RemoveAsync(string userName, CancellationToken cancellationToken) =>
        ChangeAsync(userName, async (db, user) =>
        {
            if (user.RoleList.Contains(PortalRoles.Admin) && await AdminsAsync(db, cancellationToken) == 1)
            {
                throw new PortalUserException($"'{userName}' is the last admin and cannot be removed.");
            }

            db.Users.Remove(user);
        }, cancellationToken);

    private async Task ChangeAsync(string userName, Func<PortalDbContext, PortalUser, Task> change, CancellationToken cancellationToken)
    {
        await using var db = new PortalDbContext(_options);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken)
            ?? throw new PortalUserException($"There is no user '{userName}'.");
        await change(db, user);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<int> AdminsAsync(PortalDbContext db, CancellationToken cancellationToken) =>
        (await db.Users.AsNoTracking().ToListAsync(cancellationToken)).Count(u => u.RoleList.Contains(PortalRoles.Admin));

    /// <summary>The user whose name and password these are, or null (an unknown name and a wrong password look the same).</summary>
    public async Task<PortalUser?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        await using var db = new PortalDbContext(_options);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            // Hash anyway, so that an unknown name takes as long as a wrong password.
            _hasher.HashPassword(new PortalUser { UserName = userName, PasswordHash = "", Roles = "" }, password);
            return null;
        }

        return _hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    private PortalUser NewUser(string userName, string password, IReadOnlyList<string> roles)
    {
        var user = new PortalUser { UserName = userName, PasswordHash = "", Roles = string.Join(',', roles), Created = _time.GetUtcNow() };
        user.PasswordHash = _hasher.HashPassword(user, password);
        return user;
    }

    private static string GeneratePassword() => RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}
