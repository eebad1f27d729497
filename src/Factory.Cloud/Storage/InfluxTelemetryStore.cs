using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Storage;

/// <summary>
/// The telemetry store in InfluxDB, through its v1 HTTP API only (<c>/ping</c>, <c>/query</c> with
/// InfluxQL, <c>/write</c> with line protocol): what InfluxDB 1.x serves natively and 2.x/3.x through
/// their v1 compatibility endpoints. docs/telemetry-store.md describes the schema.
/// </summary>
/// <remarks>
/// The database is created at first use. Writes are split into gzip-compressed requests of
/// <see cref="InfluxTelemetryStoreOptions.BatchSize"/> points, sent one after another. Nothing is
/// retried here (the ingest pipeline retries with backoff): every failure becomes a
/// <see cref="TelemetryStoreException"/> naming the server and what it said, transient for
/// connection failures, timeouts and 5xx answers, not transient for 4xx answers.
/// </remarks>
public sealed partial class InfluxTelemetryStore : ITelemetryStore, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly InfluxTelemetryStoreOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly string _writePath;
    private readonly string _queryPath;
    private readonly SemaphoreSlim _databaseLock = new(1, 1);
    private volatile bool _databaseReady;

    /// <summary>Checks the options (an <see cref="ArgumentException"/> names every bad key) and prepares one HTTP client; nothing is sent until first use.</summary>
    public InfluxTelemetryStore(InfluxTelemetryStoreOptions options, ILogger<InfluxTelemetryStore> logger)
    {
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The InfluxDB options are not usable: {string.Join("; ", problems)}.", nameof(options));
        }

        _options = options;
        _logger = logger;
        var baseUri = options.BaseUri.AbsoluteUri.EndsWith('/') ? options.BaseUri : new Uri(options.BaseUri.AbsoluteUri + "/");
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeout,
            AutomaticDecompression = DecompressionMethods.All,
        })
        {
            BaseAddress = baseUri,

            // Each request has its own timeout (below), so that a timeout is told from a cancellation.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (options.User is not null)
        {
            var credentials = Convert.ToBase64String(Utf8.GetBytes($"{options.User}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        var database = Uri.EscapeDataString(options.Database);
        _writePath = $"write?db={database}&precision=ns";
        _queryPath = $"query?db={database}&epoch=ns";
    }

    /// <summary>The server's address, as error messages name it.</summary>
    public Uri BaseUri => _options.BaseUri;

    /// <summary>The database written to and queried.</summary>
    public string Database => _options.Database;

    /// <summary>Whether the server answers <c>/ping</c> with 204 (ready); false for any other answer.</summary>
    /// <exception cref="TelemetryStoreException">The server cannot be reached or did not answer in time (transient).</exception>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        var (status, _) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "ping"), "a ping", cancellationToken);
        return status == HttpStatusCode.NoContent;
    }

    public async Task WriteAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        TelemetryRules.Validate(batch);
        if (batch.Count == 0)
        {
            return;
        }

        await EnsureDatabaseAsync(cancellationToken);
        var requests = new List<(StringBuilder Text, int Points)>();
        var text = new StringBuilder();
        var points = 0;
        foreach (var line in InfluxSchema.Points(batch))
        {
            text.Append(line).Append('\n');
            if (++points == _options.BatchSize)
            {
                requests.Add((text, points));
                text = new StringBuilder();
                points = 0;
            }
        }

        if (points > 0)
        {
            requests.Add((text, points));
        }

        // influxd takes several requests at once faster than one after another (docs/benchmarks.md, link-replay).
        await Parallel.ForEachAsync(
            requests,
            new ParallelOptions { MaxDegreeOfParallelism = _options.WriteConcurrency, CancellationToken = cancellationToken },
            async (request, ct) => await WriteLinesAsync(request.Text, request.Points, ct));
    }

    public void Dispose()
    {
        _http.Dispose();
        _databaseLock.Dispose();
    }

    /// <summary>POSTs line protocol to /write, gzip-compressed; once more after creating the database if it was dropped.</summary>
    internal async Task WriteLinesAsync(StringBuilder lines, int points, CancellationToken cancellationToken)
    {
        var body = Compress(lines);
        var what = $"a write of {points} points to database {_options.Database}";
        for (var attempt = 1; ; attempt++)
        {
            var (status, answer) = await SendAsync(() => WriteRequest(body), what, cancellationToken);
            if (status == HttpStatusCode.NotFound && attempt == 1 && ErrorText(answer).Contains("database not found", StringComparison.OrdinalIgnoreCase))
            {
                _logger.LogWarning("InfluxDB at {Uri} has no database {Database} (dropped?); creating it again", BaseUri, _options.Database);
                _databaseReady = false;
                await EnsureDatabaseAsync(cancellationToken);
                continue;
            }

            ThrowUnlessSuccess(status, answer, what);
            return;
        }
    }

    private HttpRequestMessage WriteRequest(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return new HttpRequestMessage(HttpMethod.Post, _writePath) { Content = content };
    }

    internal static byte[] Compress(StringBuilder text)
    {
        using var buffer = new MemoryStream(Math.Max(1024, text.Length / 4));
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, Utf8, 65536))
        {
            foreach (var chunk in text.GetChunks())
            {
                writer.Write(chunk.Span);
            }
        }

        return buffer.ToArray();
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_databaseReady)
        {
            return;
        }

        await _databaseLock.WaitAsync(cancellationToken);
        try
        {
            if (!_databaseReady)
            {
                // CREATE DATABASE does nothing when the database exists.
                await QueryAsync($"CREATE DATABASE {InfluxQl.Identifier(_options.Database)}", $"the creation of database {_options.Database}", cancellationToken, createDatabase: false);
                _databaseReady = true;
            }
        }
        finally
        {
            _databaseLock.Release();
        }
    }

    /// <summary>Runs InfluxQL statements (separated by ';') in one request; one result per statement.</summary>
    internal async Task<IReadOnlyList<InfluxResult>> QueryAsync(string influxQl, string what, CancellationToken cancellationToken, bool createDatabase = true)
    {
        if (createDatabase)
        {
            await EnsureDatabaseAsync(cancellationToken);
        }

        var (status, answer) = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, _queryPath) { Content = new FormUrlEncodedContent([new("q", influxQl)]) },
            what,
            cancellationToken);
        ThrowUnlessSuccess(status, answer, what);
        try
        {
            return InfluxResult.Parse(answer);
        }
        catch (InfluxStatementException e)
        {
            throw new TelemetryStoreException($"InfluxDB at {BaseUri} refused {what}: {e.Message} (query: {influxQl})", transient: false, e);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new TelemetryStoreException($"InfluxDB at {BaseUri} answered {what} with something that is not an InfluxQL result ({e.Message}): {Shorten(answer)}", transient: false, e);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(Func<HttpRequestMessage> request, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var message = request();
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return (response.StatusCode, body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TelemetryStoreException($"InfluxDB at {BaseUri} did not answer {what} within {_options.Timeout.TotalSeconds:0.###} s", transient: true, e);
        }
        catch (HttpRequestException e)
        {
            throw new TelemetryStoreException($"InfluxDB at {BaseUri} cannot be reached for {what}: {e.Message}", transient: true, e);
        }
    }

    private void ThrowUnlessSuccess(HttpStatusCode status, string answer, string what)
    {
        var code = (int)status;
        if (code is >= 200 and < 300)
        {
            return;
        }

        var transient = code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        throw new TelemetryStoreException($"InfluxDB at {BaseUri} refused {what}: HTTP {code} ({status}): {ErrorText(answer)}", transient);
    }

    /// <summary>The "error" of InfluxDB's JSON answer, or the answer itself, shortened.</summary>
    private static string ErrorText(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return Shorten(error.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, say): the text itself is the best explanation.
        }

        return answer.Length == 0 ? "(no text)" : Shorten(answer);
    }

    private static string Shorten(string text) => text.Length <= 1000 ? text.Trim() : string.Concat(text.AsSpan(0, 1000), "…");
}
