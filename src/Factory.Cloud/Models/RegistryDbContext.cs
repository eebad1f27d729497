using Factory.Cloud.Database;
using Microsoft.EntityFrameworkCore;

namespace Factory.Cloud.Models;

/// <summary>
/// The registry's tables: registered versions, their packages, promotions (the history rollback
/// walks back) and the audit log.
/// </summary>
internal sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : CloudDbContext(options, "models")
{
    public DbSet<ModelVersionRow> Versions => Set<ModelVersionRow>();

    public DbSet<PackageRow> Packages => Set<PackageRow>();

    public DbSet<PromotionRow> Promotions => Set<PromotionRow>();

    public DbSet<AuditRow> Audit => Set<AuditRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ModelVersionRow>(e =>
        {
            e.HasKey(v => v.Key);
            e.HasIndex(v => new { v.ModelId, v.Version }).IsUnique();
        });
        modelBuilder.Entity<PackageRow>(e =>
        {
            e.HasKey(p => p.Key);
            e.HasIndex(p => new { p.ModelId, p.Version }).IsUnique();
        });
        modelBuilder.Entity<PromotionRow>(e =>
        {
            e.HasKey(p => p.Key);
            e.HasIndex(p => new { p.ModelId, p.Stage });
        });
        modelBuilder.Entity<AuditRow>(e =>
        {
            e.HasKey(a => a.Key);
            e.HasIndex(a => a.ModelId);
        });
    }
}

/// <summary>One registered package version.</summary>
internal sealed class ModelVersionRow
{
    public long Key { get; set; }
    public required string ModelId { get; set; }
    public required int Version { get; set; }
    public required string MachineType { get; set; }
    public required string DetectorKind { get; set; }
    public required string FeatureHash { get; set; }
    public required string ContentHash { get; set; }
    public required long Length { get; set; }
    public required string Creator { get; set; }
    public required DateTimeOffset Created { get; set; }
    public int? ParentVersion { get; set; }
    public required float Threshold { get; set; }
    public required string MetricsJson { get; set; }
    public required DateTimeOffset RegisteredAt { get; set; }
    public required string RegisteredBy { get; set; }
}

/// <summary>
/// The bytes of a registered version's package: the registry's copy every node reads (each keeps
/// a file of it in its data folder to serve and load).
/// </summary>
internal sealed class PackageRow
{
    public long Key { get; set; }
    public required string ModelId { get; set; }
    public required int Version { get; set; }
    public required byte[] Content { get; set; }
}

/// <summary>
/// One promotion of a version into a stage. The newest row of a stage that is neither withdrawn
/// (rolled back) nor ended (a canary whose version went to the fleet) is in effect.
/// </summary>
internal sealed class PromotionRow
{
    public long Key { get; set; }
    public required string ModelId { get; set; }
    public required int Version { get; set; }
    public required string Stage { get; set; }
    public string? Line { get; set; }
    public required DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public bool Withdrawn { get; set; }
    public bool Ended { get; set; }
}

/// <summary>One line of the audit log.</summary>
internal sealed class AuditRow
{
    public long Key { get; set; }
    public required DateTimeOffset Time { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string ModelId { get; set; }
    public int? Version { get; set; }
    public required string Detail { get; set; }
}
