using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Factory.Benchmarks;

/// <summary>
/// Columns that turn a benchmark of one message into figures per data change: changes per second
/// (changes / mean time) and allocated bytes per change (allocated bytes / changes). The number of
/// changes is a property of the benchmark's declaring type named <c>Changes</c>.
/// </summary>
public sealed class PerChangeColumn : IColumn
{
    public static readonly IColumn ChangesPerSecond = new PerChangeColumn(true);
    public static readonly IColumn AllocatedPerChange = new PerChangeColumn(false);

    private readonly bool _rate;

    private PerChangeColumn(bool rate) => _rate = rate;

    public string Id => _rate ? "ChangesPerSecond" : "AllocatedPerChange";
    public string ColumnName => _rate ? "Changes/s" : "Alloc/change";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _rate ? 0 : 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _rate
        ? "Data changes decoded or encoded per second on one core: changes / Mean"
        : "Managed bytes allocated per data change: Allocated / changes";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var changes = ChangesOf(benchmarkCase);
        if (report?.ResultStatistics is null || changes is null)
        {
            return "NA";
        }

        if (_rate)
        {
            return (changes.Value / (report.ResultStatistics.Mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
        }

        var allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return allocated is null ? "NA" : ((double)allocated.Value / changes.Value).ToString("F1", CultureInfo.InvariantCulture) + " B";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static int? ChangesOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type.GetProperty("Changes")?.GetValue(null) as int?;
}
