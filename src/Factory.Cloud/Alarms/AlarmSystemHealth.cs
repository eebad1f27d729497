using Factory.Contracts.Alarms;

namespace Factory.Cloud.Alarms;

/// <summary>
/// How well the alarm system serves the people who answer it, in the measures of ISA-18.2
/// (ANSI/ISA-18.2-2016, clause 16, with the EEMUA 191 figures it adopts), over a range of time.
/// Counts are of annunciated alarms: activations that were neither shelved, suppressed by
/// design nor out of service when they happened.
/// </summary>
/// <param name="Lines">Per line, the annunciation rate in 10-minute periods.</param>
/// <param name="Floods">Periods in which a line annunciated more than <see cref="FloodThreshold"/> alarms in 10 minutes, consecutive periods joined.</param>
/// <param name="MostFrequent">The ten alarms annunciated most often, with their share of all.</param>
/// <param name="Chattering">Alarms annunciated <see cref="ChatterCount"/> or more times within one minute.</param>
/// <param name="Standing">Alarms whose condition has been active for longer than <see cref="StandingAfter"/> (stale alarms), at the end of the range.</param>
public sealed record AlarmSystemHealth(
    DateTimeOffset From,
    DateTimeOffset To,
    int Annunciated,
    IReadOnlyList<LineAlarmRate> Lines,
    IReadOnlyList<AlarmFlood> Floods,
    IReadOnlyList<FrequentAlarm> MostFrequent,
    IReadOnlyList<ChatteringAlarm> Chattering,
    IReadOnlyList<StandingAlarm> Standing)
{
    /// <summary>The period of the rate measures.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    /// <summary>More than this many alarms in a period is a flood (ISA-18.2: 10 per 10 minutes per operator).</summary>
    public const int FloodThreshold = 10;

    /// <summary>ISA-18.2's target average: about one alarm per 10 minutes per operator ("very likely to be acceptable").</summary>
    public const double AcceptableAverage = 1;

    /// <summary>ISA-18.2's "maximum manageable" average: about two per 10 minutes.</summary>
    public const double ManageableAverage = 2;

    /// <summary>ISA-18.2's target: an operator is in flood less than 1 % of the time.</summary>
    public const double FloodPercentTarget = 1;

    /// <summary>A chattering alarm annunciates this many times within <see cref="ChatterWindow"/>.</summary>
    public const int ChatterCount = 3;

    public static readonly TimeSpan ChatterWindow = TimeSpan.FromMinutes(1);

    /// <summary>An alarm active for longer than this is standing (stale).</summary>
    public static readonly TimeSpan StandingAfter = TimeSpan.FromHours(24);

    /// <summary>
    /// Measures the events of [<paramref name="from"/>, <paramref name="to"/>) of every line and
    /// the alarms on the board.
    /// </summary>
    /// <param name="events">The alarm events of the range, in any order (other events than activations are ignored).</param>
    /// <param name="current">The alarms as they are now, for the standing alarms.</param>
    /// <param name="now">The time the standing alarms are measured at.</param>
    public static AlarmSystemHealth Measure(IEnumerable<AlarmEvent> events, IReadOnlyList<BoardAlarm> current, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var annunciated = events
            .Where(e => e.EventType == AlarmEventTypes.Activated && !e.Shelved && !e.Suppressed && !e.OutOfService && e.Time >= from && e.Time < to)
            .DistinctBy(e => (e.Line, e.Sequence))
            .OrderBy(e => e.Time)
            .ToList();

        var periods = Math.Max(1, (int)Math.Ceiling((to - from) / Period));
        var lines = new List<LineAlarmRate>();
        var floods = new List<AlarmFlood>();
        foreach (var line in annunciated.GroupBy(e => e.Line).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var counts = new int[periods];
            foreach (var e in line)
            {
                counts[Math.Min(periods - 1, (int)((e.Time - from) / Period))]++;
            }

            var flooded = counts.Count(c => c > FloodThreshold);
            lines.Add(new LineAlarmRate(
                line.Key,
                line.Count(),
                (double)line.Count() / periods,
                counts.Max(),
                100.0 * flooded / periods,
                [.. counts.Select((c, i) => new AlarmRatePeriod(from + (i * Period), c))]));

            for (var i = 0; i < periods; i++)
            {
                if (counts[i] <= FloodThreshold)
                {
                    continue;
                }

                var first = i;
                var alarms = 0;
                while (i < periods && counts[i] > FloodThreshold)
                {
                    alarms += counts[i++];
                }

                floods.Add(new AlarmFlood(line.Key, from + (first * Period), from + (i * Period), alarms));
            }
        }

        var total = annunciated.Count;
        var mostFrequent = annunciated
            .GroupBy(e => e.AlarmId)
            .Select(g => new FrequentAlarm(g.Key, g.First().Line, g.First().Machine, g.First().Priority, g.Last().Message, g.Count(), 100.0 * g.Count() / total))
            .OrderByDescending(a => a.Count)
            .ThenBy(a => a.AlarmId, StringComparer.Ordinal)
            .Take(10)
            .ToList();

        var chattering = new List<ChatteringAlarm>();
        foreach (var alarm in annunciated.GroupBy(e => e.AlarmId))
        {
            var times = alarm.Select(e => e.Time).ToList();
            var most = 0;
            for (int start = 0, end = 0; end < times.Count; end++)
            {
                while (times[end] - times[start] >= ChatterWindow)
                {
                    start++;
                }

                most = Math.Max(most, end - start + 1);
            }

            if (most >= ChatterCount)
            {
                chattering.Add(new ChatteringAlarm(alarm.Key, alarm.First().Line, alarm.Last().Message, most, times.Count));
            }
        }

        var standing = current
            .Where(a => a.Last.ConditionActive && !a.Last.OutOfService && a.Activation is { } activation && now - activation.Time > StandingAfter)
            .Select(a => new StandingAlarm(a.AlarmId, a.Last.Line, a.Last.Priority, a.Last.State, a.Message, a.Activation!.Time, now - a.Activation.Time))
            .OrderByDescending(a => a.For)
            .ToList();

        return new AlarmSystemHealth(
            from,
            to,
            total,
            lines,
            floods,
            mostFrequent,
            [.. chattering.OrderByDescending(c => c.MostPerMinute).ThenBy(c => c.AlarmId, StringComparer.Ordinal)],
            standing);
    }
}

/// <param name="Average">Annunciated alarms per 10 minutes, averaged over the range.</param>
/// <param name="Maximum">The most in one 10-minute period.</param>
/// <param name="FloodPercent">Share of the periods in flood.</param>
/// <param name="Periods">Every period of the range with its count.</param>
public sealed record LineAlarmRate(string Line, int Annunciated, double Average, int Maximum, double FloodPercent, IReadOnlyList<AlarmRatePeriod> Periods);

public sealed record AlarmRatePeriod(DateTimeOffset Start, int Count);

public sealed record AlarmFlood(string Line, DateTimeOffset Start, DateTimeOffset End, int Alarms);

/// <param name="Share">Percent of all annunciated alarms of the range.</param>
public sealed record FrequentAlarm(string AlarmId, string Line, string Machine, string Priority, string Message, int Count, double Share);

/// <param name="MostPerMinute">The most activations within one minute.</param>
/// <param name="Activations">Activations in the range.</param>
public sealed record ChatteringAlarm(string AlarmId, string Line, string Message, int MostPerMinute, int Activations);

public sealed record StandingAlarm(string AlarmId, string Line, string Priority, string State, string Message, DateTimeOffset Since, TimeSpan For);
