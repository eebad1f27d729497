using System.Globalization;
using Factory.Cloud.Commands;
using Factory.Cloud.Database;
using Factory.Cloud.Forecasts;
using Factory.Contracts.Link;
using Factory.Plant.Model;
using Microsoft.EntityFrameworkCore;

namespace Factory.Cloud.Planning;

/// <summary>The states of a work order.</summary>
public static class WorkOrderStates
{
    public const string Planned = "planned";
    public const string Scheduled = "scheduled";
    public const string InProgress = "in-progress";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Planned, Scheduled, InProgress, Done, Cancelled];

    /// <summary>Not done and not cancelled.</summary>
    public static bool IsOpen(string state) => state is Planned or Scheduled or InProgress;
}

/// <summary>A maintenance job on one machine.</summary>
/// <param name="Task">The maintenance action (<see cref="MaintenanceTask.Id"/>) written to the machine when the work is done.</param>
/// <param name="DueBy">When it must be done: for a predicted failure, the earliest failure the forecast allows.</param>
/// <param name="Evidence">Why it exists, in words: the forecast it came from, or who asked.</param>
public sealed record WorkOrder(
    int Id,
    string Line,
    string Machine,
    string Task,
    string TaskName,
    double Hours,
    string Skill,
    IReadOnlyList<string> Parts,
    DateTimeOffset? DueBy,
    string State,
    string? Crew,
    DateTimeOffset? Start,
    string Evidence,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? DoneAt,
    string? DoneBy,
    string? Note)
{
    public DateTimeOffset? End => Start?.AddHours(Hours);
}

/// <summary>A machine the planning horizon says needs maintenance, with the forecast behind it.</summary>
/// <param name="ProposedTask">The type's first maintenance task, or null when its type has none.</param>
public sealed record Recommendation(string Line, string Machine, string MachineType, RulForecast Forecast, MaintenanceTask? ProposedTask, IReadOnlyList<MaintenanceTask> Tasks, string Evidence);

/// <summary>One line of the planning audit.</summary>
public sealed record PlanningAuditEntry(DateTimeOffset Time, string Actor, string Action, int WorkOrder, string Detail);

/// <summary>A planning request refused, with the reason a planner reads.</summary>
public sealed class PlanningException(string message) : Exception(message);

/// <summary>
/// Maintenance planning: recommendations from the RUL forecasts (machines whose earliest failure
/// falls within the planning horizon), work orders with their states, booking them on crews with
/// the conflicts checked (a crew without the skill or booked twice, a slot outside the line's
/// planned downtime, an end after the predicted failure), and completing them: a done work order
/// performs its maintenance on the machine through the line's edge. Every change is audited with
/// who made it.
/// </summary>
public sealed class MaintenancePlanner : IDisposable
{
    /// <summary>The database file in the cloud's data folder.</summary>
    public const string DatabaseFileName = "planning.db";

    /// <summary>A forecast from fewer hours of the run than this is not judged yet.</summary>
    public const int MinimumSteps = 6;

    private readonly DbContextOptions<PlanningDbContext> _options;
    private readonly PlantConfig? _plant;
    private readonly RulForecaster _forecasts;
    private readonly LineCommandSender _commands;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The planning in <c>planning.db</c> of a data folder.</summary>
    public MaintenancePlanner(string dataDirectory, PlantConfig? plant, RulForecaster forecasts, LineCommandSender commands, TimeProvider time)
        : this(CloudDatabase.Sqlite(dataDirectory), plant, forecasts, commands, time)
    {
    }

    /// <summary>The planning in <paramref name="database"/>; its tables are made when missing.</summary>
    /// <exception cref="CloudDatabaseException">The database cannot be used.</exception>
    public MaintenancePlanner(CloudDatabase database, PlantConfig? plant, RulForecaster forecasts, LineCommandSender commands, TimeProvider time)
    {
        _options = database.Options<PlanningDbContext>(DatabaseFileName);
        _plant = plant;
        _forecasts = forecasts;
        _commands = commands;
        _time = time;
        using var db = Db();
        DatabaseSchema.CreateMissing(database, db, "planning");
    }

    /// <summary>The plant planned for; null when the node has none (the page says so).</summary>
    public PlantConfig? Plant => _plant;

    /// <summary>Raised after every change of a work order.</summary>
    public event Action? Changed;

    /// <summary>
    /// Machines whose earliest predicted failure falls within <paramref name="horizon"/> of the
    /// forecast's time, judged from at least <see cref="MinimumSteps"/> hours of their run, that
    /// have no open work order; soonest first.
    /// </summary>
    public async Task<IReadOnlyList<Recommendation>> RecommendationsAsync(TimeSpan horizon, CancellationToken cancellationToken)
    {
        if (_plant is null)
        {
            return [];
        }

        var open = (await WorkOrdersAsync(cancellationToken)).Where(w => WorkOrderStates.IsOpen(w.State)).Select(w => (w.Line, w.Machine)).ToHashSet();
        var recommendations = new List<Recommendation>();
        foreach (var outlook in await _forecasts.ForecastAllAsync(cancellationToken))
        {
            if (outlook.Forecast is not { } f || f.Steps < MinimumSteps || f.LowHours > horizon.TotalHours || open.Contains((f.Line, f.Machine)))
            {
                continue;
            }

            var tasks = _plant.MachineTypes.FirstOrDefault(t => t.Id == f.MachineType)?.MaintenanceTasks ?? [];
            recommendations.Add(new Recommendation(f.Line, f.Machine, f.MachineType, f, tasks.Count > 0 ? tasks[0] : null, tasks, Evidence(f)));
        }

        return [.. recommendations.OrderBy(r => r.Forecast.EarliestFailure)];
    }

    /// <summary>The forecast in words, kept with the work order made from it.</summary>
    public static string Evidence(RulForecast f) => string.Create(
        CultureInfo.InvariantCulture,
        $"RUL {f.RulHours:0} h ({f.IntervalLevel * 100:0} % interval {f.LowHours:0}–{f.HighHours:0} h) at {f.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC: earliest failure {f.EarliestFailure.UtcDateTime:yyyy-MM-dd HH:mm}, expected {f.ExpectedFailure.UtcDateTime:yyyy-MM-dd HH:mm}; from {f.Steps} h of data since {f.RunStart.UtcDateTime:yyyy-MM-dd HH:mm}; {f.Model}");

    public async Task<IReadOnlyList<WorkOrder>> WorkOrdersAsync(CancellationToken cancellationToken)
    {
        await using var db = Db();
        return [.. (await db.WorkOrders.AsNoTracking().ToListAsync(cancellationToken)).Select(ToRecord).OrderBy(w => w.Id)];
    }

    public async Task<IReadOnlyList<PlanningAuditEntry>> AuditAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = Db();
        return [.. (await db.Audit.AsNoTracking().OrderByDescending(a => a.Key).Take(limit).ToListAsync(cancellationToken)).Select(a => new PlanningAuditEntry(a.Time, a.Actor, a.Action, a.WorkOrder, a.Detail))];
    }

    /// <summary>A planned work order for <paramref name="task"/> on a machine.</summary>
    /// <exception cref="PlanningException">The machine or the task is unknown.</exception>
    public Task<WorkOrder> CreateAsync(string line, string machine, string task, DateTimeOffset? dueBy, string evidence, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(actor, "create", async db =>
        {
            var type = TypeOf(line, machine);
            var definition = type.MaintenanceTasks.FirstOrDefault(t => t.Id == task)
                ?? throw new PlanningException($"'{task}' is not a maintenance task of {type.Id}; its tasks are {string.Join(", ", type.MaintenanceTasks.Select(t => t.Id))}");
            if ((await db.WorkOrders.Where(w => w.Line == line && w.Machine == machine).ToListAsync(cancellationToken)).FirstOrDefault(w => WorkOrderStates.IsOpen(w.State)) is { } open)
            {
                throw new PlanningException($"{line}/{machine} already has open work order #{open.Id} ({open.TaskName}, {open.State})");
            }

            var row = new WorkOrderRow
            {
                Line = line,
                Machine = machine,
                Task = definition.Id,
                TaskName = definition.Name,
                Hours = definition.Hours,
                Skill = definition.Skill,
                Parts = string.Join('\n', definition.Parts),
                DueBy = dueBy,
                State = WorkOrderStates.Planned,
                Evidence = evidence,
                CreatedAt = _time.GetUtcNow(),
                CreatedBy = actor,
            };
            db.WorkOrders.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            return (row, $"{line}/{machine}: {definition.Name}, {definition.Hours:0.#} h, {definition.Skill}{(dueBy is { } d ? $", due by {d.UtcDateTime:yyyy-MM-dd HH:mm}" : "")}");
        });

    /// <summary>
    /// Books a work order on a crew from <paramref name="start"/> for its hours (a first booking or
    /// a move), refused with the reason when the crew lacks the skill or is booked then, when the
    /// time is not planned downtime of the machine's line, or when it ends after the work order's due time.
    /// </summary>
    public Task<WorkOrder> ScheduleAsync(int id, string crewId, DateTimeOffset start, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(actor, "schedule", async db =>
        {
            var row = await FindAsync(db, id, cancellationToken);
            if (row.State is not (WorkOrderStates.Planned or WorkOrderStates.Scheduled))
            {
                throw new PlanningException($"work order #{id} is {row.State}: only planned and scheduled work orders are booked");
            }

            var slot = new TimeRange(start, start.AddHours(row.Hours));
            var others = await db.WorkOrders.Where(w => w.Id != id && w.Crew == crewId).ToListAsync(cancellationToken);
            CheckSlot(row, crewId, slot, others);
            var moved = row.Start is not null;
            row.Crew = crewId;
            row.Start = start;
            row.State = WorkOrderStates.Scheduled;
            return (row, $"{(moved ? "moved to" : "booked on")} {crewId} {Text(slot)}");
        });

    /// <summary>The crew starts the work.</summary>
    public Task<WorkOrder> StartAsync(int id, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(actor, "start", async db =>
        {
            var row = await FindAsync(db, id, cancellationToken);
            if (row.State != WorkOrderStates.Scheduled)
            {
                throw new PlanningException($"work order #{id} is {row.State}: only a scheduled work order starts");
            }

            row.State = WorkOrderStates.InProgress;
            return (row, $"{row.Line}/{row.Machine}");
        });

    /// <summary>
    /// The work is done: the task's action is written to the machine's maintenance node through
    /// its line's edge, and only when the machine took it is the work order done (a simulated
    /// machine goes into maintenance and comes back renewed).
    /// </summary>
    public async Task<WorkOrder> CompleteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var order = (await WorkOrdersAsync(cancellationToken)).FirstOrDefault(w => w.Id == id) ?? throw new PlanningException($"there is no work order #{id}");
        if (order.State is not (WorkOrderStates.Scheduled or WorkOrderStates.InProgress))
        {
            throw new PlanningException($"work order #{id} is {order.State}: only a scheduled or started work order is completed");
        }

        var result = await _commands.SendAsync(new LineCommand("", order.Line, LineCommandActions.Maintain, null, order.Machine, actor, $"work order #{id}", null, order.Task, default), cancellationToken);
        if (!result.Accepted)
        {
            throw new PlanningException($"{order.Line}/{order.Machine} did not take '{order.Task}': {result.Refusal}");
        }

        return await ChangeAsync(actor, "complete", async db =>
        {
            var row = await FindAsync(db, id, cancellationToken);
            row.State = WorkOrderStates.Done;
            row.DoneAt = _time.GetUtcNow();
            row.DoneBy = actor;
            return (row, $"{row.Line}/{row.Machine}: '{row.Task}' performed on the machine");
        });
    }

    /// <summary>Cancels an open work order; a reason is required.</summary>
    public Task<WorkOrder> CancelAsync(int id, string reason, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(actor, "cancel", async db =>
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new PlanningException("say why the work order is cancelled");
            }

            var row = await FindAsync(db, id, cancellationToken);
            if (!WorkOrderStates.IsOpen(row.State))
            {
                throw new PlanningException($"work order #{id} is already {row.State}");
            }

            row.State = WorkOrderStates.Cancelled;
            row.Note = reason.Trim();
            return (row, reason.Trim());
        });

    /// <summary>The planned downtime of a line between two times (UTC).</summary>
    public IReadOnlyList<TimeRange> DowntimeOf(string line, DateTimeOffset from, DateTimeOffset to) =>
        _plant?.Lines.FirstOrDefault(l => l.Id == line) is { } known ? DowntimeWindows.Of(known, _plant.Site.TimeZone, from, to) : [];

    private void CheckSlot(WorkOrderRow row, string crewId, TimeRange slot, IEnumerable<WorkOrderRow> others)
    {
        var crew = _plant!.Crews.FirstOrDefault(c => c.Id == crewId)
            ?? throw new PlanningException($"there is no crew '{crewId}'; the crews are {string.Join(", ", _plant.Crews.Select(c => c.Id))}");
        if (!crew.Skills.Contains(row.Skill))
        {
            throw new PlanningException($"{crew.Name} has no {row.Skill} skill (its skills: {string.Join(", ", crew.Skills)}), which {row.TaskName} needs");
        }

        foreach (var other in others.Where(o => o.State is WorkOrderStates.Scheduled or WorkOrderStates.InProgress && o.Start is not null))
        {
            var booked = new TimeRange(other.Start!.Value, other.Start.Value.AddHours(other.Hours));
            if (booked.Overlaps(slot))
            {
                throw new PlanningException($"{crew.Name} is booked {Text(booked)} on work order #{other.Id} ({other.Line}/{other.Machine}, {other.TaskName})");
            }
        }

        var line = _plant.Lines.First(l => l.Id == row.Line);
        var production = DowntimeWindows.Production(line, _plant.Site.TimeZone, slot.Start, slot.End).FirstOrDefault(p => p.Range.Overlaps(slot));
        if (production.Shift is not null)
        {
            throw new PlanningException($"{Text(slot)} is not planned downtime: line {line.Id} produces in shift '{production.Shift}' {Text(production.Range)}; maintenance on {row.Machine} must fit between its shifts");
        }

        if (row.DueBy is { } due && slot.End > due)
        {
            throw new PlanningException($"{Text(slot)} ends after the work order is due, {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC (the earliest predicted failure of {row.Machine})");
        }
    }

    private static string Text(TimeRange range) => string.Create(
        CultureInfo.InvariantCulture,
        $"{range.Start.UtcDateTime:yyyy-MM-dd HH:mm}–{(range.End.UtcDateTime.Date == range.Start.UtcDateTime.Date ? range.End.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) : range.End.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC");

    private MachineType TypeOf(string line, string machine)
    {
        if (_plant is null)
        {
            throw new PlanningException("the cloud node was started without the plant configuration (--config): there is nothing to plan");
        }

        var found = _plant.Lines.FirstOrDefault(l => l.Id == line)?.Machines.FirstOrDefault(m => m.Id == machine)
            ?? throw new PlanningException($"{line}/{machine} is not in {_plant.SourcePath}");
        return _plant.MachineTypes.First(t => t.Id == found.Type);
    }

    private static async Task<WorkOrderRow> FindAsync(PlanningDbContext db, int id, CancellationToken cancellationToken) =>
        await db.WorkOrders.FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw new PlanningException($"there is no work order #{id}");

    private async Task<WorkOrder> ChangeAsync(string actor, string action, Func<PlanningDbContext, Task<(WorkOrderRow Row, string Detail)>> change)
    {
        WorkOrder changed;
        await _gate.WaitAsync();
        try
        {
            await using var db = Db();
            await using var transaction = await db.Database.BeginSerializedAsync("planning.work-orders", CancellationToken.None);
            var (row, detail) = await change(db);
            await db.SaveChangesAsync();
            db.Audit.Add(new PlanningAuditRow { Time = _time.GetUtcNow(), Actor = actor, Action = action, WorkOrder = row.Id, Detail = detail });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            changed = ToRecord(row);
        }
        finally
        {
            _gate.Release();
        }

        Changed?.Invoke();
        return changed;
    }

    public void Dispose() => _gate.Dispose();

    private PlanningDbContext Db() => new(_options);

    private static WorkOrder ToRecord(WorkOrderRow r) => new(
        r.Id, r.Line, r.Machine, r.Task, r.TaskName, r.Hours, r.Skill, r.Parts.Length == 0 ? [] : r.Parts.Split('\n'), r.DueBy, r.State, r.Crew, r.Start,
        r.Evidence, r.CreatedAt, r.CreatedBy, r.DoneAt, r.DoneBy, r.Note);
}
