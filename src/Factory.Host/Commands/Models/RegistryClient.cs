using System.Net.Http.Json;
using System.Text.Json;
using Factory.Cloud.Models;

namespace Factory.Host.Commands.Models;

/// <summary>The cloud node's model registry API (<c>/api/models</c>) as the <c>factory models</c> commands call it.</summary>
public sealed class RegistryClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    /// <param name="cloud">The cloud node's API address.</param>
    /// <param name="token">A user's API token; changes need the role ReliabilityEngineer, and the audit log names the user.</param>
    public RegistryClient(Uri cloud, string token) => _http = ApiTokenSource.Client(cloud, token, TimeSpan.FromSeconds(60));

    /// <summary>Every model with its fleet and canary versions.</summary>
    public Task<List<ModelSummary>> ListAsync(CancellationToken cancellationToken) =>
        SendAsync<List<ModelSummary>>(HttpMethod.Get, "api/models", null, cancellationToken);

    /// <summary>A model's versions, newest first.</summary>
    public Task<List<ModelVersionInfo>> VersionsAsync(string modelId, CancellationToken cancellationToken) =>
        SendAsync<List<ModelVersionInfo>>(HttpMethod.Get, $"api/models/{Uri.EscapeDataString(modelId)}", null, cancellationToken);

    /// <summary>Two versions side by side.</summary>
    public Task<ModelComparison> CompareAsync(string modelId, int left, int right, CancellationToken cancellationToken) =>
        SendAsync<ModelComparison>(HttpMethod.Get, $"api/models/{Uri.EscapeDataString(modelId)}/compare?left={left}&right={right}", null, cancellationToken);

    /// <summary>The audit log of a model, newest first.</summary>
    public Task<List<ModelAuditEntry>> AuditAsync(string modelId, int limit, CancellationToken cancellationToken) =>
        SendAsync<List<ModelAuditEntry>>(HttpMethod.Get, $"api/models/audit?model={Uri.EscapeDataString(modelId)}&limit={limit}", null, cancellationToken);

    /// <summary>Uploads a package file as a candidate.</summary>
    public async Task<ModelVersionInfo> RegisterAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = OpenPackage(path);
        return await SendAsync<ModelVersionInfo>(
            HttpMethod.Post,
            $"api/models/register?name={Uri.EscapeDataString(Path.GetFileName(path))}",
            new StreamContent(file),
            cancellationToken);
    }

    /// <summary>Promotes a version to <c>canary</c> (on <paramref name="line"/>) or <c>fleet</c>.</summary>
    public Task<ModelAssignment> PromoteAsync(string modelId, int version, string stage, string? line, bool force, CancellationToken cancellationToken) =>
        SendAsync<ModelAssignment>(
            HttpMethod.Post,
            $"api/models/{Uri.EscapeDataString(modelId)}/{version}/promote?stage={stage}&force={(force ? "true" : "false")}"
                + (line is null ? "" : $"&line={Uri.EscapeDataString(line)}"),
            null,
            cancellationToken);

    /// <summary>Rolls the fleet (or the canary) back.</summary>
    public Task<ModelAssignment> RollbackAsync(string modelId, bool canary, CancellationToken cancellationToken) =>
        SendAsync<ModelAssignment>(HttpMethod.Post, $"api/models/{Uri.EscapeDataString(modelId)}/rollback?stage={(canary ? "canary" : "fleet")}", null, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static FileStream OpenPackage(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistryCommandException($"{path}: cannot read the package: {e.Message}");
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = content }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryCommandException($"Cannot reach the cloud node at {_http.BaseAddress}: {e.Message} (is `factory cloud` running there? give --cloud)");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryCommandException($"The cloud node at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s: {e.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                string? detail = null;
                try
                {
                    using var problem = JsonDocument.Parse(body);
                    detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                }
                catch (JsonException)
                {
                }

                throw new RegistryCommandException(detail ?? $"{_http.BaseAddress}{path}: {(int)response.StatusCode} {response.ReasonPhrase} {body}".TrimEnd());
            }

            try
            {
                return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
            }
            catch (JsonException e)
            {
                throw new RegistryCommandException($"{_http.BaseAddress}{path} answered with what is not the registry's JSON: {e.Message} (is it a cloud node?)");
            }
        }
    }
}

/// <summary>A registry command that cannot be done: the message is what the engineer reads.</summary>
public sealed class RegistryCommandException(string message) : Exception(message);
