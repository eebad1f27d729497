using System.Text.Json;

namespace Factory.EndToEnd.Tests.Support;

/// <summary>Reads the JSON APIs of the edge panel and the cloud the way a script would.</summary>
public static class Api
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The document at <paramref name="url"/>, or null while the process does not answer; <paramref name="token"/> is a user's token for the cloud's API.</summary>
    public static async Task<JsonElement?> GetAsync(string url, string? token = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await Http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the document, or fails with what was last seen.</summary>
    public static async Task<JsonElement> WaitForAsync(string url, Func<JsonElement, bool> condition, TimeSpan timeout, string because, string? token = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(url, token);
            if (last is { } document && condition(document))
            {
                return document;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{because}: not within {timeout.TotalSeconds:0} s; {url} last said {last?.GetRawText() ?? "nothing (no answer)"}");
    }

    public static long Long(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return 0;
            }
        }

        return element.ValueKind == JsonValueKind.Number ? element.GetInt64() : 0;
    }
}
