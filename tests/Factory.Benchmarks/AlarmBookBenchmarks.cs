using BenchmarkDotNet.Attributes;
using Factory.Edge.Alarms;
using Factory.Edge.Telemetry;
using Factory.Plant.Config;

namespace Factory.Benchmarks;

/// <summary>
/// <see cref="AlarmBook.Handle"/> of the sample plant's line 1 (its catalog of limit, anomaly and
/// stale-data alarms). A quiet line has no alarm active; a busy one has 40 alarms active (some
/// acknowledged), a shelve, a stopped machine and a flood. Handle is pure, so every operation
/// decides the same command against the same book: the decision and the book after it.
/// </summary>
[MemoryDiagnoser]
public class AlarmBookBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private AlarmBook _quiet = null!;
    private AlarmBook _busy = null!;
    private ActivateCondition _activate = null!;
    private ActivateCondition _activeAgain = null!;
    private Acknowledge _acknowledge = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var plant = PlantConfigLoader.Load(BenchmarkArguments.SamplePlant());
        var catalog = AlarmCatalog.For(plant.Line("line-1"));
        _quiet = new AlarmBook(catalog);

        var limits = catalog.Definitions.Where(d => d.Sensor is not null).ToList();
        var book = _quiet;
        var time = T0;
        foreach (var definition in limits.Take(40))
        {
            time = time.AddSeconds(5);
            book = book.Handle(new ActivateCondition(definition.Id, time, definition.Limit + 1), time).Book;
        }

        foreach (var definition in limits.Take(20))
        {
            book = book.Handle(new Acknowledge(definition.Id, "anna"), time).Book;
        }

        book = book.Handle(new Shelve(limits[30].Id, "anna", time.AddHours(4)), time).Book;
        book = book.Handle(new ReportMachineState(catalog.Definitions[^1].Machine, MachineOperatingState.Stopped, time), time).Book;
        _busy = book;
        if (!_busy.InFlood)
        {
            throw new InvalidOperationException("The busy line should be in a flood.");
        }

        _now = time.AddSeconds(10);
        _activate = new ActivateCondition(limits[45].Id, _now, limits[45].Limit + 1);
        _activeAgain = new ActivateCondition(limits[5].Id, _now, limits[5].Limit + 1);
        _acknowledge = new Acknowledge(limits[25].Id, "anna", "seen");
        if (_busy.Handle(_activate, _now).Events.Count != 1 || _busy.Handle(_acknowledge, _now).Events.Count != 1)
        {
            throw new InvalidOperationException("The commands should each decide one event.");
        }
    }

    [Benchmark(Baseline = true)]
    public AlarmDecision ActivationOnQuietLine() => _quiet.Handle(_activate, _now);

    [Benchmark]
    public AlarmDecision ActivationOnBusyLine() => _busy.Handle(_activate, _now);

    [Benchmark]
    public AlarmDecision ConditionAlreadyActive() => _busy.Handle(_activeAgain, _now);

    [Benchmark]
    public AlarmDecision AcknowledgeOnBusyLine() => _busy.Handle(_acknowledge, _now);
}
