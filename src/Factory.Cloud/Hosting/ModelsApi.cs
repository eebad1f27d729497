using Factory.Cloud.Access;
using Factory.Cloud.Models;
using Factory.Ml.Packages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Cloud.Hosting;

/// <summary>
/// The model registry's JSON API under <c>/api/models</c>: list, show, compare, package download,
/// registration (the package bytes as the request body), promotion, rollback, assignments, audit.
/// Every endpoint needs a user's API token; registering, promoting and rolling back need the role
/// ReliabilityEngineer, and the audit log names the token's user.
/// Refusals are problem details (RFC 9457) whose <c>detail</c> says what and why: 404 unknown model
/// or version, 409 conflicting registration or a canary alarming worse than the fleet, 400 otherwise.
/// </summary>
public static class ModelsApi
{
    /// <summary>Maps the registry's endpoints.</summary>
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", (ModelRegistry registry, CancellationToken ct) =>
            RunAsync(() => registry.ListAsync(ct)));

        app.MapGet("/api/models/assignments", (ModelRegistry registry, CancellationToken ct) =>
            RunAsync(() => registry.AssignmentsAsync(ct)));

        app.MapGet("/api/models/audit", (ModelRegistry registry, string? model, int? limit, CancellationToken ct) =>
            RunAsync(() => registry.AuditAsync(string.IsNullOrEmpty(model) ? null : model, limit ?? 100, ct)));

        app.MapPost("/api/models/register", async (ModelRegistry registry, HttpRequest request, string? name, CancellationToken ct) =>
            await RunAsync(() => registry.RegisterAsync(request.Body, string.IsNullOrEmpty(name) ? "the uploaded package" : name, Actor(request), ct), StatusCodes.Status201Created))
            .RequireAuthorization(ChangesModels);

        app.MapGet("/api/models/{id}", (ModelRegistry registry, string id, CancellationToken ct) =>
            RunAsync(() => registry.VersionsAsync(id, ct)));

        app.MapGet("/api/models/{id}/compare", (ModelRegistry registry, string id, int left, int right, CancellationToken ct) =>
            RunAsync(() => registry.CompareAsync(id, left, right, ct)));

        app.MapGet("/api/models/{id}/{version:int}", (ModelRegistry registry, string id, int version, CancellationToken ct) =>
            RunAsync(() => registry.GetAsync(id, version, ct)));

        app.MapGet("/api/models/{id}/{version:int}/package", async (ModelRegistry registry, string id, int version, CancellationToken ct) =>
        {
            try
            {
                return Results.File(await registry.PackageFileAsync(id, version, ct), "application/zip", $"{id}-{version}{ModelPackage.FileExtension}");
            }
            catch (ModelRegistryException e)
            {
                return Refusal(e);
            }
        });

        app.MapPost("/api/models/{id}/{version:int}/promote", (ModelRegistry registry, HttpRequest request, string id, int version, string? stage, string? line, bool? force, CancellationToken ct) =>
            stage switch
            {
                "canary" => RunAsync(() => registry.PromoteToCanaryAsync(id, version, line ?? "", Actor(request), ct)),
                "fleet" => RunAsync(() => registry.PromoteToFleetAsync(id, version, Actor(request), force ?? false, ct)),
                _ => Task.FromResult(Results.Problem($"stage '{stage}' is not one of canary, fleet", statusCode: StatusCodes.Status400BadRequest)),
            })
            .RequireAuthorization(ChangesModels);

        app.MapPost("/api/models/{id}/rollback", (ModelRegistry registry, HttpRequest request, string id, string? stage, CancellationToken ct) =>
            stage is null or "fleet" or "canary"
                ? RunAsync(() => registry.RollbackAsync(id, stage == "canary", Actor(request), ct))
                : Task.FromResult(Results.Problem($"stage '{stage}' is not one of canary, fleet", statusCode: StatusCodes.Status400BadRequest)))
            .RequireAuthorization(ChangesModels);

        return app;
    }

    /// <summary>Registering, promoting and rolling back are for reliability engineers; reading is for every user.</summary>
    private static readonly AuthorizeAttribute ChangesModels = new() { Roles = UserRoles.ReliabilityEngineer };

    /// <summary>The user the request's token acts as: the audit log's actor.</summary>
    private static string Actor(HttpRequest request) => request.HttpContext.User.Identity?.Name
        ?? throw new InvalidOperationException("A model change reached the registry without an authenticated user.");

    private static async Task<IResult> RunAsync<T>(Func<Task<T>> action, int status = StatusCodes.Status200OK)
    {
        try
        {
            var result = await action();
            return status == StatusCodes.Status201Created ? Results.Json(result, statusCode: status) : Results.Ok(result);
        }
        catch (ModelRegistryException e)
        {
            return Refusal(e);
        }
    }

    private static IResult Refusal(ModelRegistryException e) => Results.Problem(
        e.Message,
        statusCode: e.Error switch
        {
            ModelRegistryError.NotFound => StatusCodes.Status404NotFound,
            ModelRegistryError.Conflict or ModelRegistryError.CanaryWorse => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        title: e.Error.ToString());
}
