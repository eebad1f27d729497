using Factory.Plant.Model;

namespace Factory.Cloud.Planning;

/// <summary>A time range, [Start, End).</summary>
public readonly record struct TimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Overlaps(TimeRange other) => Start < other.End && other.Start < End;

    public bool Contains(TimeRange other) => Start <= other.Start && other.End <= End;
}

/// <summary>
/// When a line does not produce: the planned downtime windows, the complement of its production
/// shifts (plant configuration, in the site's time zone). Maintenance that stops a machine is
/// planned inside them. A line without shifts has no production schedule, so it is never planned
/// against.
/// </summary>
public static class DowntimeWindows
{
    /// <summary>The line's production shifts between <paramref name="from"/> and <paramref name="to"/>, merged, in UTC.</summary>
    public static IReadOnlyList<(TimeRange Range, string Shift)> Production(Line line, string? timeZone, DateTimeOffset from, DateTimeOffset to)
    {
        var zone = Zone(timeZone);
        var shifts = new List<(TimeRange, string)>();
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime).AddDays(1);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            foreach (var shift in line.Shifts.Where(s => s.Days.Contains(day.DayOfWeek)))
            {
                var start = Utc(day.ToDateTime(shift.Start), zone);
                var end = Utc((shift.End <= shift.Start ? day.AddDays(1) : day).ToDateTime(shift.End), zone);
                var range = new TimeRange(start, end);
                if (range.Overlaps(new TimeRange(from, to)))
                {
                    shifts.Add((range, shift.Name));
                }
            }
        }

        return [.. shifts.OrderBy(s => s.Item1.Start)];
    }

    /// <summary>The windows between <paramref name="from"/> and <paramref name="to"/> in which the line does not produce, in UTC.</summary>
    public static IReadOnlyList<TimeRange> Of(Line line, string? timeZone, DateTimeOffset from, DateTimeOffset to)
    {
        if (line.Shifts.Count == 0)
        {
            return [new TimeRange(from, to)];
        }

        var windows = new List<TimeRange>();
        var cursor = from;
        foreach (var (range, _) in Production(line, timeZone, from, to))
        {
            if (range.Start > cursor)
            {
                windows.Add(new TimeRange(cursor, range.Start));
            }

            if (range.End > cursor)
            {
                cursor = range.End;
            }
        }

        if (cursor < to)
        {
            windows.Add(new TimeRange(cursor, to));
        }

        return windows;
    }

    private static DateTimeOffset Utc(DateTime local, TimeZoneInfo zone)
    {
        // A local time skipped by a clock change is taken an hour later; an ambiguous one as standard time.
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
