using System.Globalization;
using Factory.Cloud.Ingest;
using Factory.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Cloud.Hosting;

/// <summary>
/// The cloud's JSON API: the state of the ingest, and the telemetry queries the portal needs (a
/// sensor over a range in buckets, the latest values per machine, the alarm history).
/// </summary>
public static class CloudApi
{
    public static IEndpointRouteBuilder MapCloudApi(this IEndpointRouteBuilder app, CloudOptions options)
    {
        app.MapGet("/api/ingest", (IngestService ingest, SetAsideLog setAside) =>
        {
            var m = ingest.Pipeline.Metrics;
            return Results.Ok(new
            {
                link = ingest.LinkStatus,
                connected = ingest.Connected,
                store = options.StoreDescription,
                storeProblem = m.StoreProblem,
                messages = m.Messages,
                records = m.Records,
                writes = m.Writes,
                storeFailures = m.StoreFailures,
                setAsideMessages = m.SetAsideMessages,
                setAsideRecords = m.SetAsideRecords,
                acknowledgementsSent = m.AcknowledgementsSent,
                setAsideLog = setAside.Path,
                recentSetAside = setAside.Recent(),
            });
        });

        app.MapGet("/api/telemetry/sensor", async (ITelemetryStore store, string? line, string? machine, string? sensor, string? from, string? to, double? bucketSeconds, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(line) || string.IsNullOrEmpty(machine) || string.IsNullOrEmpty(sensor))
            {
                return Results.Problem("line, machine and sensor are required", statusCode: 400);
            }

            if (!TryRange(from, to, out var start, out var end, out var problem))
            {
                return Results.Problem(problem, statusCode: 400);
            }

            var bucket = TimeSpan.FromSeconds(bucketSeconds ?? Math.Max(10, (end - start).TotalSeconds / 500));
            if (bucket <= TimeSpan.Zero)
            {
                return Results.Problem("bucketSeconds must be above 0", statusCode: 400);
            }

            return await QueryAsync(() => store.QuerySensorAsync(new SensorQuery(line, machine, sensor, start, end, bucket), ct));
        });

        app.MapGet("/api/forecasts/rul", async (Forecasts.RulForecaster forecasts, string? line, string? machine, CancellationToken ct) =>
            string.IsNullOrEmpty(line) != string.IsNullOrEmpty(machine)
                ? Results.Problem("give both line and machine, or neither for every machine of the plant", statusCode: 400)
                : line is null
                    ? await QueryAsync(() => forecasts.ForecastAllAsync(ct))
                    : await QueryAsync(() => forecasts.ForecastAsync(line, machine!, null, ct)));

        app.MapGet("/api/machines/state", async (Fleet.MachineStates machines, string? line, string? machine, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(line) || string.IsNullOrEmpty(machine))
            {
                return Results.Problem("give line and machine, e.g. ?line=line-1&machine=pump-01", statusCode: 400);
            }

            try
            {
                return Results.Ok(await machines.GetAsync(line, machine, ct));
            }
            catch (Akka.Actor.AskTimeoutException e)
            {
                return Results.Problem($"the entity of {line}/{machine} did not answer in time; the cluster may be moving it: {e.Message}", statusCode: 503);
            }
        });

        app.MapGet("/api/cluster", (Akka.Actor.ActorSystem system) =>
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var state = cluster.State;
            return Results.Ok(new
            {
                self = cluster.SelfAddress.ToString(),
                leader = state.Leader?.ToString(),
                members = state.Members.Select(m => new { address = m.Address.ToString(), status = m.Status.ToString() }).ToList(),
                unreachable = state.Unreachable.Select(m => m.Address.ToString()).ToList(),
            });
        });

        app.MapGet("/api/telemetry/latest", async (ITelemetryStore store, string? line, CancellationToken ct) =>
            await QueryAsync(() => store.LatestAsync(string.IsNullOrEmpty(line) ? null : line, ct)));

        app.MapGet("/api/telemetry/summaries/count", async (ITelemetryStore store, string? line, CancellationToken ct) =>
            await QueryAsync(async () => new { line, summaries = await store.CountSummariesAsync(string.IsNullOrEmpty(line) ? null : line, ct) }));

        app.MapGet("/api/alarms/history", async (ITelemetryStore store, string? line, string? machine, string? from, string? to, int? limit, CancellationToken ct) =>
        {
            if (!TryRange(from, to, out var start, out var end, out var problem))
            {
                return Results.Problem(problem, statusCode: 400);
            }

            return await QueryAsync(() => store.AlarmHistoryAsync(new AlarmHistoryQuery(start, end, line, machine, Math.Clamp(limit ?? 1000, 1, 100_000)), ct));
        });

        return app;
    }

    private static async Task<IResult> QueryAsync<T>(Func<Task<T>> query)
    {
        try
        {
            return Results.Ok(await query());
        }
        catch (TelemetryStoreException e)
        {
            return Results.Problem(e.Message, statusCode: e.Transient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>ISO 8601 times; from defaults to a day before to, to defaults to now.</summary>
    private static bool TryRange(string? from, string? to, out DateTimeOffset start, out DateTimeOffset end, out string problem)
    {
        problem = "";
        start = default;
        end = DateTimeOffset.UtcNow;
        if (to is not null && !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end))
        {
            problem = $"to '{to}' is not an ISO 8601 time";
            return false;
        }

        start = end.AddDays(-1);
        if (from is not null && !DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            problem = $"from '{from}' is not an ISO 8601 time";
            return false;
        }

        if (start >= end)
        {
            problem = $"from {start:O} is not before to {end:O}";
            return false;
        }

        return true;
    }
}
