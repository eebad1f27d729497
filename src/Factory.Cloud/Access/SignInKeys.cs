using Factory.Cloud.Database;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Cloud.Access;

/// <summary>
/// The keys that protect the portal's sign-in and antiforgery cookies, kept with the users in the
/// cloud's database: every node sharing it reads a cookie any of them issued, and a restart signs
/// nobody out.
/// </summary>
public static class SignInKeys
{
    /// <summary>What the keys are for: the same on every node, wherever it is installed.</summary>
    public const string ApplicationName = "factory-cloud";

    public static void Add(IServiceCollection services, CloudDatabase database)
    {
        services.AddDbContext<UsersDbContext>(o => database.Configure(o, UserAccounts.DatabaseFileName));
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<UsersDbContext>();
    }
}
