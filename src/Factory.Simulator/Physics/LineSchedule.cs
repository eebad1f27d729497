using Factory.Plant.Model;

namespace Factory.Simulator.Physics;

/// <summary>
/// When a line produces: its shifts in the site's time zone. In a shift the machines run;
/// between the shifts of a production day they are idle; on a day without shifts they are
/// stopped. A line without shifts runs around the clock.
/// </summary>
internal sealed class LineSchedule
{
    private readonly (TimeOnly Start, TimeOnly End, bool[] Days)[] _shifts;

    public LineSchedule(IReadOnlyList<Shift> shifts, TimeZoneInfo zone)
    {
        // Days as a table by DayOfWeek: this is asked for every machine at every step.
        _shifts = [.. shifts.Select(s => (s.Start, s.End, Enumerable.Range(0, 7).Select(d => s.Days.Count == 0 || s.Days.Contains((DayOfWeek)d)).ToArray()))];
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The site's time zone, UTC when none is configured.</summary>
    /// <exception cref="ArgumentException">The zone is not known to this machine.</exception>
    public static TimeZoneInfo ZoneOf(Site site)
    {
        if (string.IsNullOrWhiteSpace(site.TimeZone))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Site '{site.Id}' names the time zone '{site.TimeZone}', which this machine does not know (IANA names such as Europe/Berlin are expected).", nameof(site), e);
        }
    }

    /// <summary>The local time of the site at <paramref name="time"/>.</summary>
    public DateTimeOffset Local(DateTimeOffset time) => time.ToOffset(Zone.GetUtcOffset(time));

    /// <summary>Running, Idle or Stopped, as the shifts say.</summary>
    public OperatingState StateAt(DateTimeOffset time)
    {
        if (_shifts.Length == 0)
        {
            return OperatingState.Running;
        }

        var local = Local(time);
        var day = (int)local.DayOfWeek;
        var previousDay = (day + 6) % 7;
        var timeOfDay = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var productionDay = false;
        foreach (var shift in _shifts)
        {
            var today = shift.Days[day];
            var overnight = shift.End <= shift.Start;
            if (!overnight && today && timeOfDay >= shift.Start && timeOfDay < shift.End)
            {
                return OperatingState.Running;
            }

            if (overnight && ((today && timeOfDay >= shift.Start) || (shift.Days[previousDay] && timeOfDay < shift.End)))
            {
                return OperatingState.Running;
            }

            productionDay |= today;
        }

        return productionDay ? OperatingState.Idle : OperatingState.Stopped;
    }
}
