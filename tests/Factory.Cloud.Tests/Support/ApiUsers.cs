using System.Net.Http.Headers;
using System.Security.Cryptography;
using Factory.Cloud.Access;

namespace Factory.Cloud.Tests.Support;

/// <summary>
/// Users of a cloud node's API, made the way an admin and the user would (a user with roles, a
/// token of theirs), in the node's users database: works for a node in the test's process and for
/// one started as a separate process on the same data folder.
/// </summary>
public static class ApiUsers
{
    /// <summary>A token of <paramref name="userName"/>, added with <paramref name="roles"/> when not there yet.</summary>
    public static Task<string> TokenAsync(string dataDirectory, string userName, params string[] roles) =>
        TokenAsync(new UserAccounts(dataDirectory, TimeProvider.System), userName, roles);

    /// <summary>A token of <paramref name="userName"/> in a database the nodes share, added with <paramref name="roles"/> when not there yet.</summary>
    public static Task<string> TokenAsync(Factory.Cloud.Database.CloudDatabase database, string userName, params string[] roles) =>
        TokenAsync(new UserAccounts(database, TimeProvider.System), userName, roles);

    private static async Task<string> TokenAsync(UserAccounts accounts, string userName, string[] roles)
    {
        if (await accounts.FindAsync(userName, default) is null)
        {
            await accounts.AddAsync(userName, RandomNumberGenerator.GetHexString(24), roles, default);
        }

        return (await new ApiTokens(accounts, TimeProvider.System).CreateAsync(userName, $"test-{Guid.NewGuid():N}", default)).Secret;
    }

    /// <summary>An HTTP client of the API at <paramref name="address"/> that sends <paramref name="token"/>.</summary>
    public static HttpClient Client(Uri address, string token)
    {
        var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A client acting as <paramref name="userName"/> with <paramref name="roles"/>.</summary>
    public static async Task<HttpClient> ClientAsync(Uri address, string dataDirectory, string userName, params string[] roles) =>
        Client(address, await TokenAsync(dataDirectory, userName, roles));
}
