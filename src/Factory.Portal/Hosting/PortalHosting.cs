using System.Reflection;
using Factory.Cloud.Access;
using Factory.Portal.Access;
using Factory.Portal.Components;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Radzen;

namespace Factory.Portal.Hosting;

/// <summary>Adds the portal to a cloud node: its services, sign-in, its pages and static files.</summary>
public static class PortalHosting
{
    /// <summary>
    /// The portal's services. Static files (Blazor's script, Radzen's styles and scripts) are
    /// served from the build output's static web assets manifest of the program (factory), found
    /// beside it, so a node started from its build folder serves them as a published one does.
    /// </summary>
    public static void AddPortal(WebApplicationBuilder builder) => AddPortal(builder, ProgramName);

    /// <summary>The portal's services, with the static web assets manifests of <paramref name="programName"/> (a test assembly hosting the portal).</summary>
    public static void AddPortal(WebApplicationBuilder builder, string programName)
    {
        var runtimeManifest = Path.Combine(AppContext.BaseDirectory, $"{programName}.staticwebassets.runtime.json");
        builder.Services.AddSingleton(new PortalAssets(Path.Combine(AppContext.BaseDirectory, $"{programName}.staticwebassets.endpoints.json")));
        if (File.Exists(runtimeManifest))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, runtimeManifest);
            builder.WebHost.UseStaticWebAssets();
        }

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/login";
                cookie.AccessDeniedPath = "/denied";
                cookie.Cookie.Name = "factory.portal";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
                cookie.SlidingExpiration = true;

                // A user removed, or given other roles, since signing in is signed out at the next page.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var name = context.Principal?.Identity?.Name;
                    var user = name is null ? null : await context.HttpContext.RequestServices.GetRequiredService<UserAccounts>().FindAsync(name, context.HttpContext.RequestAborted);
                    var roles = context.Principal!.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal);
                    if (user is null || !roles.SequenceEqual(user.RoleList.Order(StringComparer.Ordinal)))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
    }

    public static void MapPortal(WebApplication app)
    {
        // Authentication and authorization are in the pipeline already (the cloud node's API needs them).
        app.UseAntiforgery();
        var assets = app.Services.GetRequiredService<PortalAssets>().EndpointsManifest;
        if (File.Exists(assets))
        {
            app.MapStaticAssets(assets);
        }
        else
        {
            // A host without the portal's files (a test of the API): the pages render, without their scripts and styles.
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Factory.Portal").LogWarning("No static web assets manifest {Manifest}: the portal is served without its scripts and styles", assets);
        }
        app.MapSignIn();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }

    private static string ProgramName => Assembly.GetEntryAssembly()?.GetName().Name ?? "factory";

    private sealed record PortalAssets(string EndpointsManifest);
}
