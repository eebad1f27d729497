namespace Factory.Host.Commands.Models;

/// <summary>
/// Where a command that calls the cloud's API finds the user's token: the file given with
/// <c>--token-file</c>, else the environment variable <see cref="EnvironmentVariable"/>. Never a
/// command-line argument, which other users of the machine can read in the process list.
/// </summary>
public static class ApiTokenSource
{
    public const string EnvironmentVariable = "FACTORY_API_TOKEN";

    /// <summary>The token.</summary>
    /// <exception cref="RegistryCommandException">The file cannot be read or is empty, or there is neither a file nor the variable.</exception>
    public static string Read(string? tokenFile, Uri cloud)
    {
        if (tokenFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RegistryCommandException($"--token-file {tokenFile}: cannot read the API token: {e.Message}");
            }

            return text.Length > 0 ? text : throw new RegistryCommandException($"--token-file {tokenFile}: the file is empty; it should hold an API token made on the portal's Account page.");
        }

        return Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } token
            ? token.Trim()
            : throw new RegistryCommandException(
                $"The cloud API needs a user's token: make one on the portal's Account page ({new Uri(cloud, "account")}) and put it in the environment variable {EnvironmentVariable}, or in a file given with --token-file.");
    }

    /// <summary>An HTTP client of the cloud's API at <paramref name="cloud"/> that sends <paramref name="token"/> with every request.</summary>
    public static HttpClient Client(Uri cloud, string token, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = cloud, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
