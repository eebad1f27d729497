using System.Security.Cryptography;
using Factory.Cloud.Database;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Factory.Cloud.Access;

/// <summary>A user of the portal, as stored: the password only as its hash.</summary>
public sealed class UserAccount
{
    public int Key { get; set; }

    public required string UserName { get; set; }

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2 with HMAC-SHA512, 100,000 iterations, salted).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>The roles, comma-separated (<see cref="UserRoles"/>).</summary>
    public required string Roles { get; set; }

    public DateTimeOffset Created { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// The users, their API tokens, and the keys that protect the portal's sign-in cookies (kept
/// with the users, so that every node sharing the database reads a cookie any of them issued).
/// </summary>
internal sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : CloudDbContext(options, "access"), IDataProtectionKeyContext
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<UserAccount>(e =>
        {
            e.HasKey(u => u.Key);
            e.HasIndex(u => u.UserName).IsUnique();
            e.Ignore(u => u.RoleList);
        });
        modelBuilder.Entity<ApiToken>(e =>
        {
            e.HasKey(t => t.Key);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserName);
        });
    }
}

/// <summary>A user name or password the portal refuses, or a user that cannot be created; the message says why.</summary>
public sealed class UserAccountException(string message) : Exception(message);

/// <summary>
/// The portal's users in the cloud's database (<see cref="CloudDatabase"/>: <c>&lt;cloud data&gt;/portal.db</c>
/// by default). No password is in the code:
/// the first start creates the user <c>admin</c> with a generated password, which the command
/// that started the node prints once (<see cref="EnsureFirstAdmin"/>).
/// </summary>
public sealed class UserAccounts
{
    /// <summary>The database file in the cloud's data folder.</summary>
    public const string DatabaseFileName = "portal.db";

    /// <summary>The first user's name.</summary>
    public const string FirstAdmin = "admin";

    /// <summary>What changes of users are serialized on (the last admin stays one across nodes).</summary>
    internal const string Scope = "access.users";

    private readonly DbContextOptions<UsersDbContext> _options;
    private readonly PasswordHasher<UserAccount> _hasher = new();
    private readonly TimeProvider _time;

    /// <summary>The users in <c>portal.db</c> of a data folder.</summary>
    public UserAccounts(string dataDirectory, TimeProvider time)
        : this(CloudDatabase.Sqlite(dataDirectory), time)
    {
    }

    /// <summary>The users in <paramref name="database"/>; its tables are made when missing.</summary>
    /// <exception cref="CloudDatabaseException">The database cannot be used.</exception>
    public UserAccounts(CloudDatabase database, TimeProvider time)
    {
        _time = time;
        _options = database.Options<UsersDbContext>(DatabaseFileName);
        using var db = new UsersDbContext(_options);
        DatabaseSchema.CreateMissing(database, db, "users");
    }

    internal DbContextOptions<UsersDbContext> DatabaseOptions => _options;

    /// <summary>Creates <see cref="FirstAdmin"/> with every role and a generated password when there is no user yet.</summary>
    /// <returns>The generated password, to be shown once; null when users exist.</returns>
    public string? EnsureFirstAdmin()
    {
        using var db = new UsersDbContext(_options);
        using var transaction = db.Database.BeginSerialized(Scope);
        if (db.Users.Any())
        {
            return null;
        }

        var password = GeneratePassword();
        db.Users.Add(NewUser(FirstAdmin, password, UserRoles.All));
        db.SaveChanges();
        transaction.Commit();
        return password;
    }

    /// <summary>Adds a user with <paramref name="roles"/>.</summary>
    /// <exception cref="UserAccountException">The name is taken or empty, the password shorter than 12 characters, or a role unknown.</exception>
    public async Task AddAsync(string userName, string password, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new UserAccountException("A user needs a name.");
        }

        if (password.Length < 12)
        {
            throw new UserAccountException($"The password of '{userName}' has {password.Length} characters; at least 12 are needed.");
        }

        if (roles.FirstOrDefault(r => !UserRoles.All.Contains(r)) is { } unknown)
        {
            throw new UserAccountException($"There is no role '{unknown}' (roles: {string.Join(", ", UserRoles.All)}).");
        }

        await using var db = new UsersDbContext(_options);
        await using var transaction = await db.Database.BeginSerializedAsync(Scope, cancellationToken);
        if (await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            throw new UserAccountException($"There is a user '{userName}' already.");
        }

        db.Users.Add(NewUser(userName, password, roles));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = new UsersDbContext(_options);
        return [.. (await db.Users.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(u => u.UserName, StringComparer.Ordinal)];
    }

    /// <summary>The user of that name, or null.</summary>
    public async Task<UserAccount?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = new UsersDbContext(_options);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
    }

    /// <summary>Gives a user other roles; the last admin keeps Admin.</summary>
    /// <exception cref="UserAccountException">No such user, a role unknown, or the last admin would lose Admin.</exception>
    public Task SetRolesAsync(string userName, IReadOnlyList<string> roles, CancellationToken cancellationToken) =>
        ChangeAsync(userName, async (db, user) =>
        {
            if (roles.FirstOrDefault(r => !UserRoles.All.Contains(r)) is { } unknown)
            {
                throw new UserAccountException($"There is no role '{unknown}' (roles: {string.Join(", ", UserRoles.All)}).");
            }

            if (user.RoleList.Contains(UserRoles.Admin) && !roles.Contains(UserRoles.Admin) && await AdminsAsync(db, cancellationToken) == 1)
            {
                throw new UserAccountException($"'{userName}' is the last admin: give another user Admin first.");
            }

            user.Roles = string.Join(',', UserRoles.All.Where(roles.Contains));
        }, cancellationToken);

    /// <summary>Sets a new password (at least 12 characters).</summary>
    public Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        ChangeAsync(userName, (_, user) =>
        {
            if (password.Length < 12)
            {
                throw new UserAccountException($"The password of '{userName}' has {password.Length} characters; at least 12 are needed.");
            }

            user.PasswordHash = _hasher.HashPassword(user, password);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Removes a user; the last admin stays.</summary>
    public Task RemoveAsync(string userName, CancellationToken cancellationToken) =>
        ChangeAsync(userName, async (db, user) =>
        {
            if (user.RoleList.Contains(UserRoles.Admin) && await AdminsAsync(db, cancellationToken) == 1)
            {
                throw new UserAccountException($"'{userName}' is the last admin and cannot be removed.");
            }

            db.Users.Remove(user);
            db.ApiTokens.RemoveRange(db.ApiTokens.Where(t => t.UserName == userName));
        }, cancellationToken);

    private async Task ChangeAsync(string userName, Func<UsersDbContext, UserAccount, Task> change, CancellationToken cancellationToken)
    {
        await using var db = new UsersDbContext(_options);
        await using var transaction = await db.Database.BeginSerializedAsync(Scope, cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken)
            ?? throw new UserAccountException($"There is no user '{userName}'.");
        await change(db, user);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> AdminsAsync(UsersDbContext db, CancellationToken cancellationToken) =>
        (await db.Users.AsNoTracking().ToListAsync(cancellationToken)).Count(u => u.RoleList.Contains(UserRoles.Admin));

    /// <summary>The user whose name and password these are, or null (an unknown name and a wrong password look the same).</summary>
    public async Task<UserAccount?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        await using var db = new UsersDbContext(_options);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            // Hash anyway, so that an unknown name takes as long as a wrong password.
            _hasher.HashPassword(new UserAccount { UserName = userName, PasswordHash = "", Roles = "" }, password);
            return null;
        }

        return _hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    private UserAccount NewUser(string userName, string password, IReadOnlyList<string> roles)
    {
        var user = new UserAccount { UserName = userName, PasswordHash = "", Roles = string.Join(',', roles), Created = _time.GetUtcNow() };
        user.PasswordHash = _hasher.HashPassword(user, password);
        return user;
    }

    private static string GeneratePassword() => RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}
