using Factory.Cloud.Database;
using Microsoft.EntityFrameworkCore;

namespace Factory.Cloud.Planning;

/// <summary>The planning tables (<c>planning.db</c> in the cloud's data folder by default): work orders and the audit log.</summary>
internal sealed class PlanningDbContext(DbContextOptions<PlanningDbContext> options) : CloudDbContext(options, "planning")
{
    public DbSet<WorkOrderRow> WorkOrders => Set<WorkOrderRow>();

    public DbSet<PlanningAuditRow> Audit => Set<PlanningAuditRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<WorkOrderRow>(e =>
        {
            e.HasKey(w => w.Id);
            e.HasIndex(w => new { w.Line, w.Machine });
        });
        modelBuilder.Entity<PlanningAuditRow>(e =>
        {
            e.HasKey(a => a.Key);
            e.HasIndex(a => a.WorkOrder);
        });
    }
}

internal sealed class WorkOrderRow
{
    public int Id { get; set; }
    public required string Line { get; set; }
    public required string Machine { get; set; }
    public required string Task { get; set; }
    public required string TaskName { get; set; }
    public required double Hours { get; set; }
    public required string Skill { get; set; }
    public required string Parts { get; set; }
    public DateTimeOffset? DueBy { get; set; }
    public required string State { get; set; }
    public string? Crew { get; set; }
    public DateTimeOffset? Start { get; set; }
    public required string Evidence { get; set; }
    public required DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? DoneBy { get; set; }
    public string? Note { get; set; }
}

internal sealed class PlanningAuditRow
{
    public long Key { get; set; }
    public required DateTimeOffset Time { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required int WorkOrder { get; set; }
    public required string Detail { get; set; }
}
