using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Factory.Cloud.Access;

/// <summary>
/// Authentication of the cloud API's requests by <c>Authorization: Bearer &lt;token&gt;</c>
/// (<see cref="ApiTokens"/>). A request without a token, or with one unknown or revoked, is answered
/// 401; a user without the role an endpoint needs, 403. Both answers are problem details (RFC 9457)
/// that say what to do.
/// </summary>
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer <token>'.");
        }

        var user = await tokens.AuthenticateAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        if (user is null)
        {
            Logger.LogWarning("API request {Method} {Path} from {Address} refused: unknown or revoked token", Request.Method, Request.Path, Context.Connection.RemoteIpAddress);
            return AuthenticateResult.Fail("The API token is unknown or was revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.UserName), .. user.RoleList.Select(r => new Claim(ClaimTypes.Role, r))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            "Unauthorized",
            (result.Failure?.Message ?? "The request has no API token.")
                + " Send 'Authorization: Bearer <token>'; a user makes tokens on the portal's Account page (the factory CLI reads one from FACTORY_API_TOKEN or --token-file).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var roles = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Roles).Where(r => !string.IsNullOrEmpty(r)).ToList() ?? [];
        return WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            "Forbidden",
            $"User '{Context.User.Identity?.Name}' may not do this: it needs the role {(roles.Count == 0 ? "it lacks" : string.Join(" and ", roles))}.");
    }

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Response.WriteAsJsonAsync(new { status, title, detail }, options: null, contentType: "application/problem+json");
    }
}
