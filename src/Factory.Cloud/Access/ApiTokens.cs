using System.Security.Cryptography;
using System.Text;
using Factory.Cloud.Database;
using Microsoft.EntityFrameworkCore;

namespace Factory.Cloud.Access;

/// <summary>An API token as stored: its owner, its name, and only the SHA-256 of the secret.</summary>
public sealed class ApiToken
{
    public int Key { get; set; }

    public required string UserName { get; set; }

    /// <summary>What the owner called it ("ci", "laptop"): to know which to revoke.</summary>
    public required string Name { get; set; }

    /// <summary>The SHA-256 of the token, hex; the token itself is shown once and never stored.</summary>
    public required string Hash { get; set; }

    public DateTimeOffset Created { get; set; }

    /// <summary>When a request last used it (to the minute); null when never.</summary>
    public DateTimeOffset? LastUsed { get; set; }
}

/// <summary>A token just made: <see cref="Secret"/> is shown to its owner this once.</summary>
public sealed record NewApiToken(int Key, string Name, string Secret);

/// <summary>
/// The cloud API's credentials: each user may make tokens, sent as <c>Authorization: Bearer &lt;token&gt;</c>
/// by the <c>factory</c> CLI and by scripts. A token acts as its owner with the owner's roles of
/// the moment: a user given fewer roles, or removed, loses them on the API too. A token is 32
/// random bytes; only its SHA-256 is kept (a fast hash is enough for a secret with 256 bits of
/// entropy, unlike a password), in the users' database.
/// </summary>
public sealed class ApiTokens(UserAccounts accounts, TimeProvider time)
{
    /// <summary>What every token starts with, so that a token pasted where it should not be is recognised.</summary>
    public const string Prefix = "fct_";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Makes a token for <paramref name="userName"/>.</summary>
    /// <exception cref="UserAccountException">No such user, no name given, or the user has a token of that name.</exception>
    public async Task<NewApiToken> CreateAsync(string userName, string name, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length == 0)
        {
            throw new UserAccountException("A token needs a name, to know later which one to revoke.");
        }

        await using var db = new UsersDbContext(accounts.DatabaseOptions);
        await using var transaction = await db.Database.BeginSerializedAsync(UserAccounts.Scope, cancellationToken);
        if (!await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            throw new UserAccountException($"There is no user '{userName}'.");
        }

        if (await db.ApiTokens.AnyAsync(t => t.UserName == userName && t.Name == name, cancellationToken))
        {
            throw new UserAccountException($"'{userName}' has a token named '{name}' already.");
        }

        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken { UserName = userName, Name = name, Hash = HashOf(secret), Created = time.GetUtcNow() };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new NewApiToken(token.Key, name, secret);
    }

    /// <summary>The tokens of <paramref name="userName"/>, by name.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = new UsersDbContext(accounts.DatabaseOptions);
        return [.. (await db.ApiTokens.AsNoTracking().Where(t => t.UserName == userName).ToListAsync(cancellationToken)).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>Revokes a token of <paramref name="userName"/>: the next request with it is refused.</summary>
    /// <exception cref="UserAccountException">The user has no such token.</exception>
    public async Task RevokeAsync(string userName, int key, CancellationToken cancellationToken)
    {
        await using var db = new UsersDbContext(accounts.DatabaseOptions);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Key == key && t.UserName == userName, cancellationToken)
            ?? throw new UserAccountException($"'{userName}' has no token {key}.");
        db.ApiTokens.Remove(token);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The user a token acts as, with their current roles; null for a token unknown or revoked, or whose owner is gone.</summary>
    public async Task<UserAccount?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = HashOf(secret);
        await using var db = new UsersDbContext(accounts.DatabaseOptions);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (token is null)
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == token.UserName, cancellationToken);
        var now = time.GetUtcNow();
        if (user is not null && (token.LastUsed is not { } last || now - last >= LastUsedResolution))
        {
            token.LastUsed = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return user;
    }

    private static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
