using Factory.Plant.Model;

namespace Factory.Edge.Alarms;

/// <summary>
/// The priority of an alarm: the limit's configured priority if the plant configuration gives
/// one, otherwise the matrix below of what raised it (its severity) against the criticality of
/// the machine. ISA-18.2 asks for few high priorities: most alarms come out Low or Medium, and
/// Urgent needs both a severe condition and a critical machine. docs/alarms.md explains the rows.
/// </summary>
/// <remarks>
/// <code>
///                                machine criticality
///   raised by                    low      medium   high     critical
///   HH, LL limit (severe)        Medium   Medium   High     Urgent
///   H, L limit, stale data       Low      Low      Medium   High
///   anomaly score                Low      Low      Low      Medium
/// </code>
/// </remarks>
public static class AlarmPriorityPolicy
{
    private static readonly AlarmPriority[,] Matrix =
    {
        // low,               medium,              high,                critical
        { AlarmPriority.Medium, AlarmPriority.Medium, AlarmPriority.High,   AlarmPriority.Urgent },
        { AlarmPriority.Low,    AlarmPriority.Low,    AlarmPriority.Medium, AlarmPriority.High },
        { AlarmPriority.Low,    AlarmPriority.Low,    AlarmPriority.Low,    AlarmPriority.Medium },
    };

    /// <summary>The priority of an alarm of <paramref name="kind"/> on a machine of <paramref name="criticality"/>.</summary>
    /// <param name="configured">The limit's priority from the plant configuration; it wins when given.</param>
    public static AlarmPriority For(AlarmKind kind, Criticality criticality, AlarmPriority? configured = null)
    {
        if (configured is { } chosen)
        {
            return chosen;
        }

        var row = kind switch
        {
            AlarmKind.HighHigh or AlarmKind.LowLow => 0,
            AlarmKind.High or AlarmKind.Low or AlarmKind.StaleData => 1,
            AlarmKind.Anomaly => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an alarm kind"),
        };
        return Matrix[row, (int)criticality];
    }
}
