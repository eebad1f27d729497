using Factory.Plant.Model;
using Factory.Simulator.Physics;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>Machines follow their line's shifts in the site's time zone: running in a shift, idle between, stopped on days without.</summary>
public sealed class ShiftTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTime(year, month, day, hour, minute, 0), Berlin.GetUtcOffset(new DateTime(year, month, day, hour, minute, 0)));

    [Theory]
    [InlineData(2026, 1, 5, 5, 59, OperatingState.Idle)] // Monday before the early shift
    [InlineData(2026, 1, 5, 6, 0, OperatingState.Running)]
    [InlineData(2026, 1, 5, 13, 59, OperatingState.Running)]
    [InlineData(2026, 1, 5, 21, 59, OperatingState.Running)]
    [InlineData(2026, 1, 5, 22, 0, OperatingState.Idle)] // after the late shift
    [InlineData(2026, 1, 10, 10, 0, OperatingState.Stopped)] // Saturday
    [InlineData(2026, 7, 6, 6, 30, OperatingState.Running)] // summer time: 06:30 local is 04:30 UTC
    public void The_shifts_in_the_site_time_zone_decide_the_state(int year, int month, int day, int hour, int minute, OperatingState expected)
    {
        var schedule = new LineSchedule(TestPlant.TwoShifts, Berlin);

        schedule.StateAt(Local(year, month, day, hour, minute)).Should().Be(expected);
    }

    [Fact]
    public void A_night_shift_runs_past_midnight_into_the_next_day()
    {
        var schedule = new LineSchedule([new Shift("night", new TimeOnly(22, 0), new TimeOnly(6, 0), [DayOfWeek.Friday])], Berlin);

        schedule.StateAt(Local(2026, 1, 9, 23, 0)).Should().Be(OperatingState.Running);
        schedule.StateAt(Local(2026, 1, 10, 5, 0)).Should().Be(OperatingState.Running, "Friday's night shift ends Saturday morning");
        schedule.StateAt(Local(2026, 1, 10, 7, 0)).Should().Be(OperatingState.Stopped);
    }

    [Fact]
    public void A_line_without_shifts_runs_around_the_clock()
    {
        new LineSchedule([], Berlin).StateAt(Local(2026, 1, 11, 3, 0)).Should().Be(OperatingState.Running);
    }

    [Fact]
    public void Machines_are_idle_with_motors_at_rest_outside_shifts_and_run_in_them()
    {
        var simulation = new PlantSimulation(TestPlant.Create(shifts: TestPlant.TwoShifts), new SimulationOptions { Seed = 2, RandomFaults = false, Start = Local(2026, 1, 5, 0, 0) });
        var cnc = simulation.Machine("line-1", "cnc-1");
        var conveyor = simulation.Machine("line-1", "conveyor-1");
        var press = simulation.Machine("line-1", "press-1");

        var night = Recording.Record(conveyor, Local(2026, 1, 5, 5, 0), TimeSpan.FromMinutes(1));
        night.Should().OnlyContain(s => s.State == OperatingState.Idle);
        night.Where(s => s.Time > Local(2026, 1, 5, 0, 1)).Should().OnlyContain(s => s["belt-speed"] == 0);
        cnc.AdvanceTo(Local(2026, 1, 5, 5, 0));
        cnc.State.Should().Be(OperatingState.Idle);
        press.AdvanceTo(Local(2026, 1, 5, 5, 0));
        press.Channels.Single(c => c.Sensor.Id == "motor-current").Let(c => press.Sample(c)).Should().BeGreaterThan(5, "a press's pump idles between shifts");

        var day = Recording.Record(conveyor, Local(2026, 1, 5, 12, 0), TimeSpan.FromMinutes(1)).Where(s => s.Time >= Local(2026, 1, 5, 6, 5)).ToList();
        day.Should().OnlyContain(s => s.State == OperatingState.Running && s["belt-speed"] > 1);
        day.Select(s => s["motor-current"]).Mean().Should().BeGreaterThan(5 * night.Select(s => s["motor-current"]).Mean());
    }
}

internal static class FunctionalExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
