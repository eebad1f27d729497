using System.Text;
using System.Text.Json;
using Akka.Actor;
using Factory.Contracts.Alarms;
using Factory.Edge.Actors;
using Factory.Edge.Alarms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Edge.Panel;

/// <summary>A supervisor's action on an alarm, as the panel and HMIs post it.</summary>
/// <param name="AlarmId">The alarm (not needed to acknowledge the flood group).</param>
/// <param name="User">Who acts; every action is recorded with it.</param>
/// <param name="Comment">Why; required to take an alarm out of service and to comment.</param>
/// <param name="Minutes">How long to shelve.</param>
public sealed record AlarmActionRequest(string? AlarmId, string? User, string? Comment, int? Minutes);

/// <summary>
/// The line-side alarm panel and its JSON API, served by the edge node itself so that it works
/// with the cloud out of reach: the page, the alarm list, one alarm with its history, the
/// actions (acknowledge, shelve, unshelve, comment, out of service), and two live streams
/// (server-sent events): changes of alarm state for screens, and alarm events by sequence number
/// for HMIs and the cloud tier.
/// </summary>
public static class PanelEndpoints
{
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAlarmPanel(this IEndpointRouteBuilder app, Func<IActorRef> line)
    {
        app.MapGet("/", () => Results.Content(PanelPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/health", (AlarmFeed feed) => Results.Ok(new { status = "ok", line = feed.Current().Line?.LineId }));
        app.MapGet("/api/line", (AlarmFeed feed) => feed.Current().Line is { } status ? Results.Ok(status) : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));

        app.MapGet("/api/alarms", (AlarmFeed feed, string? view) =>
        {
            var (alarms, floodSince, _) = feed.Current();
            Func<AlarmSnapshot, bool> filter = (view ?? "active") switch
            {
                "active" => a => a.State != AlarmStates.Normal && !a.Shelved && !a.Suppressed && !a.OutOfService,
                "shelved" => a => a.Shelved,
                "suppressed" => a => a.Suppressed,
                "out-of-service" => a => a.OutOfService,
                "all" => _ => true,
                _ => _ => false,
            };
            if (view is not (null or "active" or "shelved" or "suppressed" or "out-of-service" or "all"))
            {
                return Results.Problem($"view '{view}' is not one of active, shelved, suppressed, out-of-service, all", statusCode: 400);
            }

            return Results.Ok(new { floodSince, alarms = InPanelOrder(alarms.Where(filter)) });
        });

        app.MapGet("/api/alarms/details/{**alarmId}", async (string alarmId) =>
        {
            var details = await line().Ask<AlarmDetails>(new GetAlarmDetails(alarmId), ActionTimeout);
            return details.Alarm is null
                ? Results.Problem($"there is no alarm '{alarmId}' on this line", statusCode: 404)
                : Results.Ok(new { alarm = details.Alarm, history = details.History });
        });

        foreach (var action in OperatorActions.All)
        {
            app.MapPost($"/api/alarms/{action}", (AlarmActionRequest r, TimeProvider time) => ActAsync(line, action, r, time));
        }

        app.MapGet("/api/models", async () => Results.Ok(await line().Ask<ModelReport>(new GetModels(), ActionTimeout)));
        app.MapGet("/api/alarms/stream", StreamStateAsync);
        app.MapGet("/api/alarms/events", StreamEventsAsync);
        return app;
    }

    private static async Task<IResult> ActAsync(Func<IActorRef> line, string action, AlarmActionRequest request, TimeProvider time)
    {
        if (OperatorActions.Build(action, request.AlarmId, request.User, request.Comment, request.Minutes, time.GetUtcNow(), out var problem) is not { } command)
        {
            return Problem(problem!);
        }

        OperatorCommandResult result;
        try
        {
            result = await line().Ask<OperatorCommandResult>(new OperatorCommand(command), ActionTimeout);
        }
        catch (AskTimeoutException)
        {
            return Results.Problem("the alarm service did not confirm the action in time; it may or may not be recorded", statusCode: StatusCodes.Status504GatewayTimeout);
        }

        return result.Accepted ? Results.Ok(new { accepted = true }) : Results.Problem(result.Refusal, statusCode: StatusCodes.Status409Conflict, title: "refused");
    }

    private static async Task StreamStateAsync(HttpContext context, AlarmFeed feed)
    {
        var cancellation = context.RequestAborted;
        var changes = feed.Subscribe(cancellation);
        StartEventStream(context);
        var (alarms, floodSince, line) = feed.Current();
        await WriteEventAsync(context, "snapshot", JsonSerializer.Serialize(new { alarms = InPanelOrder(alarms), flood = floodSince is null ? null : new { since = floodSince }, line }, Json), cancellation);
        try
        {
            await foreach (var change in changes.ReadAllAsync(cancellation))
            {
                var (name, data) = change switch
                {
                    AlarmChangedMessage alarm => ("alarm", JsonSerializer.Serialize(alarm.Alarm, AlarmJsonContext.Default.AlarmSnapshot)),
                    FloodChangedMessage flood => ("flood", JsonSerializer.Serialize(new { flood = flood.Since is null ? null : new { since = flood.Since } }, Json)),
                    LineChangedMessage changed => ("line", JsonSerializer.Serialize(changed.Line, Json)),
                    _ => (null, null),
                };
                if (name is not null)
                {
                    await WriteEventAsync(context, name, data!, cancellation);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static async Task StreamEventsAsync(HttpContext context, AlarmFeed feed, long? after)
    {
        var cancellation = context.RequestAborted;
        var changes = feed.Subscribe(cancellation);
        StartEventStream(context);
        var last = after ?? 0;
        foreach (var past in feed.EventsAfter(last))
        {
            await WriteEventAsync(context, "alarm-event", JsonSerializer.Serialize(past, AlarmJsonContext.Default.AlarmEvent), cancellation, past.Sequence);
            last = past.Sequence;
        }

        try
        {
            await foreach (var change in changes.ReadAllAsync(cancellation))
            {
                if (change is AlarmChangedMessage { Event: var e } && e.Sequence > last)
                {
                    await WriteEventAsync(context, "alarm-event", JsonSerializer.Serialize(e, AlarmJsonContext.Default.AlarmEvent), cancellation, e.Sequence);
                    last = e.Sequence;
                }
                else if (change is FloodChangedMessage flood)
                {
                    await WriteEventAsync(context, "flood-event", JsonSerializer.Serialize(flood.Event, AlarmJsonContext.Default.AlarmFloodEvent), cancellation, flood.Event.Sequence);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static void StartEventStream(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    private static async Task WriteEventAsync(HttpContext context, string name, string data, CancellationToken cancellationToken, long? id = null)
    {
        var text = new StringBuilder();
        if (id is { } sequence)
        {
            text.Append("id: ").Append(sequence).Append('\n');
        }

        text.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data).Append("\n\n");
        await context.Response.WriteAsync(text.ToString(), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static IEnumerable<AlarmSnapshot> InPanelOrder(IEnumerable<AlarmSnapshot> alarms) =>
        alarms.OrderBy(a => AlarmPriorities.Rank(a.Priority)).ThenByDescending(a => a.ActivatedAt ?? a.LastChange);

    private static IResult Problem(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "invalid request");
}

/// <summary>The panel page, embedded in the assembly so the edge node needs no files beside it.</summary>
internal static class PanelPage
{
    public static string Html { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(PanelPage).Assembly.GetManifestResourceStream("Factory.Edge.Panel.panel.html")
            ?? throw new InvalidOperationException("The panel page is not embedded in Factory.Edge.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
