using Factory.Cloud.Access;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Factory.Portal.Access;

/// <summary>
/// Sign-in and sign-out: form posts from the sign-in page (static server rendering, with an
/// antiforgery token), answered with the authentication cookie and a redirect.
/// </summary>
internal static class SignInEndpoints
{
    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async ([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl, UserAccounts users, HttpContext http, ILoggerFactory logs) =>
        {
            var target = LocalOrHome(returnUrl);
            var user = string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password)
                ? null
                : await users.VerifyAsync(userName, password, http.RequestAborted);
            if (user is null)
            {
                logs.CreateLogger("Factory.Portal.SignIn").LogWarning("Sign-in refused for user name '{User}' from {Address}", userName, http.Connection.RemoteIpAddress);
                return Results.Redirect($"/login?failed=1&returnUrl={Uri.EscapeDataString(target)}");
            }

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user.UserName), .. user.RoleList.Select(r => new Claim(ClaimTypes.Role, r))],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(target);
        });

        app.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
    }

    /// <summary>Only a path of this site: an absolute URL elsewhere would make the sign-in an open redirect.</summary>
    private static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
