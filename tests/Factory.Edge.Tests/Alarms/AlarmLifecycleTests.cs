using Factory.Contracts.Alarms;
using Factory.Edge.Alarms;
using Factory.Edge.Telemetry;
using Factory.Edge.Tests.Alarms.Support;

namespace Factory.Edge.Tests.Alarms;

/// <summary>
/// The ISA-18.2 state machine of one alarm, as a table: every start state × every input gives the
/// state after, the event it records, or the refusal and its reason. The alarm is the coolant
/// pump's low-flow alarm, which suppression by design applies to.
/// </summary>
public sealed class AlarmLifecycleTests
{
    private const string Id = TestLine.FlowL;
    private static readonly DateTimeOffset T0 = TestLine.T0;
    private static readonly DateTimeOffset Now = T0.AddMinutes(10);

    /// <summary>start state | input | state after | event recorded, "-" for none, or "refused: part of the reason".</summary>
    private static readonly string[] Table =
    [
        "normal                | activate       | unack  | activated",
        "normal                | clear          | normal | -",
        "normal                | acknowledge    | normal | refused: is not active or unacknowledged: there is nothing to acknowledge",
        "normal                | shelve         | normal | shelved",
        "normal                | unshelve       | normal | refused: is not shelved",
        "normal                | shelve-expires | normal | -",
        "normal                | suppress       | normal | suppressed",
        "normal                | unsuppress     | normal | -",
        "normal                | remove         | normal | removed-from-service",
        "normal                | return         | normal | refused: is in service",
        "normal                | comment        | normal | commented",

        "unack                 | activate       | unack  | -",
        "unack                 | clear          | rtnun  | cleared",
        "unack                 | acknowledge    | acked  | acknowledged",
        "unack                 | shelve         | normal | shelved",
        "unack                 | unshelve       | unack  | refused: is not shelved",
        "unack                 | shelve-expires | unack  | -",
        "unack                 | suppress       | normal | suppressed",
        "unack                 | unsuppress     | unack  | -",
        "unack                 | remove         | normal | removed-from-service",
        "unack                 | return         | unack  | refused: is in service",
        "unack                 | comment        | unack  | commented",

        "acked                 | activate       | acked  | -",
        "acked                 | clear          | normal | cleared",
        "acked                 | acknowledge    | acked  | refused: was acknowledged already, by anna at 2026-11-30 08:00:02 UTC",
        "acked                 | shelve         | normal | shelved",
        "acked                 | unshelve       | acked  | refused: is not shelved",
        "acked                 | shelve-expires | acked  | -",
        "acked                 | suppress       | normal | suppressed",
        "acked                 | unsuppress     | acked  | -",
        "acked                 | remove         | normal | removed-from-service",
        "acked                 | return         | acked  | refused: is in service",
        "acked                 | comment        | acked  | commented",

        "rtnun                 | activate       | unack  | activated",
        "rtnun                 | clear          | rtnun  | -",
        "rtnun                 | acknowledge    | normal | acknowledged",
        "rtnun                 | shelve         | normal | shelved",
        "rtnun                 | unshelve       | rtnun  | refused: is not shelved",
        "rtnun                 | shelve-expires | rtnun  | -",
        "rtnun                 | suppress       | normal | suppressed",
        "rtnun                 | unsuppress     | rtnun  | -",
        "rtnun                 | remove         | normal | removed-from-service",
        "rtnun                 | return         | rtnun  | refused: is in service",
        "rtnun                 | comment        | rtnun  | commented",

        "shelved               | activate       | normal | activated",
        "shelved               | clear          | normal | -",
        "shelved               | acknowledge    | normal | refused: is shelved until 2026-11-30 09:00:00 UTC (by anna): there is nothing to acknowledge",
        "shelved               | shelve         | normal | refused: is shelved already, until 2026-11-30 09:00:00 UTC by anna: unshelve it first",
        "shelved               | unshelve       | normal | unshelved",
        "shelved               | shelve-expires | normal | shelve-expired",
        "shelved               | suppress       | normal | suppressed",
        "shelved               | unsuppress     | normal | -",
        "shelved               | remove         | normal | removed-from-service",
        "shelved               | return         | normal | refused: is in service",
        "shelved               | comment        | normal | commented",

        "shelved-active        | activate       | normal | -",
        "shelved-active        | clear          | normal | cleared",
        "shelved-active        | acknowledge    | normal | refused: is shelved until",
        "shelved-active        | shelve         | normal | refused: is shelved already",
        "shelved-active        | unshelve       | unack  | unshelved",
        "shelved-active        | shelve-expires | unack  | shelve-expired",
        "shelved-active        | suppress       | normal | suppressed",
        "shelved-active        | unsuppress     | normal | -",
        "shelved-active        | remove         | normal | removed-from-service",
        "shelved-active        | return         | normal | refused: is in service",
        "shelved-active        | comment        | normal | commented",

        "suppressed            | activate       | normal | activated",
        "suppressed            | clear          | normal | -",
        "suppressed            | acknowledge    | normal | refused: is suppressed by design (Coolant supply pump 1 stopped)",
        "suppressed            | shelve         | normal | shelved",
        "suppressed            | unshelve       | normal | refused: is not shelved",
        "suppressed            | shelve-expires | normal | -",
        "suppressed            | suppress       | normal | -",
        "suppressed            | unsuppress     | normal | unsuppressed",
        "suppressed            | remove         | normal | removed-from-service",
        "suppressed            | return         | normal | refused: is in service",
        "suppressed            | comment        | normal | commented",

        "suppressed-active     | activate       | normal | -",
        "suppressed-active     | clear          | normal | cleared",
        "suppressed-active     | acknowledge    | normal | refused: is suppressed by design",
        "suppressed-active     | shelve         | normal | shelved",
        "suppressed-active     | unshelve       | normal | refused: is not shelved",
        "suppressed-active     | shelve-expires | normal | -",
        "suppressed-active     | suppress       | normal | -",
        "suppressed-active     | unsuppress     | unack  | unsuppressed",
        "suppressed-active     | remove         | normal | removed-from-service",
        "suppressed-active     | return         | normal | refused: is in service",
        "suppressed-active     | comment        | normal | commented",

        "out-of-service        | activate       | normal | activated",
        "out-of-service        | clear          | normal | -",
        "out-of-service        | acknowledge    | normal | refused: is out of service (since 2026-11-30 08:00:01 UTC, by ben)",
        "out-of-service        | shelve         | normal | refused: is out of service (since 2026-11-30 08:00:01 UTC, by ben): return it to service before shelving it",
        "out-of-service        | unshelve       | normal | refused: is not shelved",
        "out-of-service        | shelve-expires | normal | -",
        "out-of-service        | suppress       | normal | suppressed",
        "out-of-service        | unsuppress     | normal | -",
        "out-of-service        | remove         | normal | refused: is out of service already",
        "out-of-service        | return         | normal | returned-to-service",
        "out-of-service        | comment        | normal | commented",

        "out-of-service-active | activate       | normal | -",
        "out-of-service-active | clear          | normal | cleared",
        "out-of-service-active | acknowledge    | normal | refused: is out of service",
        "out-of-service-active | shelve         | normal | refused: return it to service before shelving it",
        "out-of-service-active | unshelve       | normal | refused: is not shelved",
        "out-of-service-active | shelve-expires | normal | -",
        "out-of-service-active | suppress       | normal | suppressed",
        "out-of-service-active | unsuppress     | normal | -",
        "out-of-service-active | remove         | normal | refused: is out of service already",
        "out-of-service-active | return         | unack  | returned-to-service",
        "out-of-service-active | comment        | normal | commented",
    ];

    private static readonly string[] Starts =
        ["normal", "unack", "acked", "rtnun", "shelved", "shelved-active", "suppressed", "suppressed-active", "out-of-service", "out-of-service-active"];

    private static readonly string[] Inputs =
        ["activate", "clear", "acknowledge", "shelve", "unshelve", "shelve-expires", "suppress", "unsuppress", "remove", "return", "comment"];

    public static TheoryData<string, string, string, string> Transitions()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var row in Table)
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            data.Add(cells[0], cells[1], cells[2], cells[3]);
        }

        return data;
    }

    [Fact]
    public void The_table_has_every_input_in_every_state_once()
    {
        var rows = Table.Select(r => r.Split('|', StringSplitOptions.TrimEntries)).Select(c => (c[0], c[1])).ToList();

        rows.Should().OnlyHaveUniqueItems();
        rows.Should().BeEquivalentTo(Starts.SelectMany(s => Inputs.Select(i => (s, i))));
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Each_input_in_each_state_makes_the_ISA_18_2_transition(string start, string input, string stateAfter, string outcome)
    {
        var driver = Arrive(start);
        var before = driver[Id];

        var decision = driver.Do(Input(input), input == "shelve-expires" ? T0.AddHours(2) : Now);

        var recorded = decision.Events.OfType<AlarmChanged>().Where(e => e.AlarmId == Id).Select(e => driver.Book.ToAlarmEvent(e)!.EventType).ToList();
        if (outcome.StartsWith("refused: ", StringComparison.Ordinal))
        {
            decision.Refusal.Should().Contain(outcome["refused: ".Length..]);
            decision.Events.Should().BeEmpty("a refused command changes nothing");
            driver[Id].Should().BeSameAs(before);
        }
        else
        {
            decision.Refusal.Should().BeNull();
            recorded.Should().Equal(outcome == "-" ? [] : [outcome]);
        }

        AlarmNames.Of(driver[Id].State).Should().Be(stateAfter);
        driver[Id].IsAnnunciated.Should().Be(stateAfter != AlarmStates.Normal);
    }

    [Fact]
    public void An_activation_records_the_value_the_message_and_when_and_an_acknowledgement_who_and_why()
    {
        var driver = Arrive("normal");

        var activated = driver.Accept(new ActivateCondition(Id, T0.AddSeconds(5), 31.5), Now).Events.Single();
        var acknowledged = driver.Accept(new Acknowledge(Id, "anna", "checking the strainer"), Now.AddMinutes(1)).Events.Single();

        driver.Book.ToAlarmEvent(activated).Should().Be(new AlarmEvent(
            1, 1, Id, "line-1", "coolant-pump-01", "flow", "l", "high", "activated", "unack",
            ConditionActive: true, Shelved: false, Suppressed: false, OutOfService: false,
            T0.AddSeconds(5), 31.5, null, null, 40, "m³/h", null, null, null,
            "Coolant flow below L limit 40 m³/h: 31.5 m³/h"));
        driver.Book.ToAlarmEvent(acknowledged).Should().BeEquivalentTo(new
        {
            EventType = "acknowledged",
            State = "acked",
            Time = Now.AddMinutes(1),
            User = "anna",
            Comment = "checking the strainer",
            Value = 31.5,
            Message = "Coolant flow below L limit 40 m³/h: 31.5 m³/h",
        });
        driver[Id].Activation.Should().Be(new AlarmActivation(T0.AddSeconds(5), 31.5, null, null, "Coolant flow below L limit 40 m³/h: 31.5 m³/h"));
        driver[Id].Acknowledgement.Should().Be(new AlarmAction("anna", Now.AddMinutes(1), "checking the strainer"));
    }

    [Fact]
    public void The_history_of_an_alarm_has_every_transition_with_its_time_and_who_did_it()
    {
        var driver = Arrive("normal");

        driver.Accept(new ActivateCondition(Id, T0.AddSeconds(1), 31.5), Now);
        driver.Accept(new ClearCondition(Id, T0.AddSeconds(30), 45), Now);
        driver.Accept(new ActivateCondition(Id, T0.AddSeconds(40), 30), Now);
        driver.Accept(new Acknowledge(Id, "anna"), T0.AddSeconds(50));
        driver.Accept(new AddComment(Id, "anna", "strainer blocked"), T0.AddSeconds(60));
        driver.Accept(new ClearCondition(Id, T0.AddSeconds(70), 50), Now);

        driver.Book.History(Id).Select(e => (e.EventType, e.State, e.Time, e.User)).Should().Equal(
            ("activated", "unack", T0.AddSeconds(1), (string?)null),
            ("cleared", "rtnun", T0.AddSeconds(30), null),
            ("activated", "unack", T0.AddSeconds(40), null),
            ("acknowledged", "acked", T0.AddSeconds(50), "anna"),
            ("commented", "acked", T0.AddSeconds(60), "anna"),
            ("cleared", "normal", T0.AddSeconds(70), null));
        driver.Book.History(Id).Select(e => e.Sequence).Should().Equal(1, 2, 3, 4, 5, 6);
    }

    [Fact]
    public void A_shelve_must_end_in_the_future_and_last_at_most_the_maximum()
    {
        var driver = Arrive("unack");

        driver.Do(new Shelve(Id, "anna", Now, "x"), Now).Refusal.Should().Be(
            "A shelve must end in the future: 2026-11-30 08:10:00 UTC is not after 2026-11-30 08:10:00 UTC.");
        driver.Do(new Shelve(Id, "anna", Now.AddHours(8).AddSeconds(1)), Now).Refusal.Should().Be(
            "A shelve may last at most 8 h: until 2026-11-30 16:10:00 UTC, not 2026-11-30 16:10:01 UTC.");
        driver.Do(new Shelve(Id, " ", Now.AddHours(1)), Now).Refusal.Should().Be("Shelving needs the name of who does it.");
        driver.Accept(new Shelve(Id, "anna", Now.AddHours(8)), Now);
        driver[Id].Shelve.Should().Be(new AlarmShelve("anna", Now, Now.AddHours(8), null));
    }

    [Fact]
    public void Removing_an_alarm_from_service_needs_a_reason_and_ends_its_shelve()
    {
        var driver = Arrive("shelved-active");

        driver.Do(new RemoveFromService(Id, "ben", " "), Now).Refusal.Should().Be(
            "Removing line-1/coolant-pump-01/flow/l from service needs a reason (the comment), e.g. \"sensor being replaced\".");
        driver.Accept(new RemoveFromService(Id, "ben", "flow meter replaced"), Now);

        driver[Id].IsShelved.Should().BeFalse();
        driver[Id].OutOfService.Should().Be(new AlarmAction("ben", Now, "flow meter replaced"));
        driver.Book.OutOfService.Should().ContainSingle().Which.Id.Should().Be(Id);
    }

    [Fact]
    public void An_alarm_hidden_two_ways_is_annunciated_only_when_both_end()
    {
        var driver = Arrive("suppressed-active");
        driver.Accept(new Shelve(Id, "anna", T0.AddHours(1)), Now);

        driver.Accept(new ReportMachineState(TestLine.Pump, MachineOperatingState.Running, Now), Now);
        driver[Id].State.Should().Be(AlarmState.Normal, "it is still shelved");
        driver[Id].IsSuppressed.Should().BeFalse();

        driver.Accept(new Unshelve(Id, "anna"), Now.AddMinutes(1));
        driver[Id].State.Should().Be(AlarmState.Unacknowledged);
    }

    [Fact]
    public void A_new_occurrence_after_a_shelve_needs_a_new_acknowledgement()
    {
        var driver = Arrive("acked");

        driver.Accept(new Shelve(Id, "anna", T0.AddHours(1)), Now);
        driver.Accept(new Unshelve(Id, "anna"), Now.AddMinutes(1));

        driver[Id].State.Should().Be(AlarmState.Unacknowledged);
        driver[Id].Acknowledgement.Should().BeNull();
    }

    [Fact]
    public void Commands_about_an_alarm_the_line_does_not_have_or_with_values_that_are_no_numbers_are_refused()
    {
        var driver = Arrive("normal");

        driver.Do(new Acknowledge("line-1/cnc-99/anomaly", "anna"), Now).Refusal.Should().Be("Line line-1 has no alarm 'line-1/cnc-99/anomaly'.");
        driver.Do(new ActivateCondition(Id, Now, double.NaN), Now).Refusal.Should().Be(
            "line-1/coolant-pump-01/flow/l: the value must be a finite number, is NaN");
        driver.Do(new ReportMachineState("press-9", MachineOperatingState.Stopped, Now), Now).Refusal.Should().Be("Line line-1 has no machine 'press-9'.");
        driver.Do(new AddComment(Id, "anna", ""), Now).Refusal.Should().Be("A comment needs some text.");
        driver.Journal.Should().BeEmpty();
    }

    [Fact]
    public void Anomaly_and_stale_data_alarms_carry_the_score_and_threshold_or_the_silence_in_their_message()
    {
        var driver = new BookDriver(TestLine.Book());

        driver.Accept(new ActivateCondition(TestLine.CncAnomaly, T0, null, Score: 0.93, Threshold: 0.8), T0);
        driver.Accept(new ActivateCondition("line-1/cnc-01/stale-data", T0, 12), T0);

        driver[TestLine.CncAnomaly].Message.Should().Be("Machining centre MC-01 behaves abnormally: anomaly score 0.93 above threshold 0.8");
        driver.Book.Snapshot(TestLine.CncAnomaly).Should().BeEquivalentTo(new { Kind = "anomaly", Priority = "low", Score = 0.93, Threshold = 0.8, Sensor = (string?)null });
        driver["line-1/cnc-01/stale-data"].Message.Should().Be("No data from Machining centre MC-01 for 12 s");
        driver["line-1/cnc-01/stale-data"].Priority.Should().Be(Plant.Model.AlarmPriority.Medium);
    }

    private static BookDriver Arrive(string start)
    {
        var driver = new BookDriver(TestLine.Book(new AlarmBookOptions { SuppressionReleaseDelay = TimeSpan.Zero }));
        string[] steps = start switch
        {
            "normal" => [],
            "unack" => ["activate"],
            "acked" => ["activate", "acknowledge"],
            "rtnun" => ["activate", "clear"],
            "shelved" => ["shelve"],
            "shelved-active" => ["shelve", "activate"],
            "suppressed" => ["suppress"],
            "suppressed-active" => ["suppress", "activate"],
            "out-of-service" => ["remove"],
            "out-of-service-active" => ["remove", "activate"],
            _ => throw new ArgumentOutOfRangeException(nameof(start), start, null),
        };
        var time = T0;
        foreach (var step in steps)
        {
            time = time.AddSeconds(1);
            driver.Accept(Input(step, time), time);
        }

        return driver;
    }

    private static AlarmBookCommand Input(string input) => Input(input, Now);

    private static AlarmBookCommand Input(string input, DateTimeOffset time) => input switch
    {
        "activate" => new ActivateCondition(Id, time, 12),
        "clear" => new ClearCondition(Id, time, 120),
        "acknowledge" => new Acknowledge(Id, "anna", "checking the strainer"),
        "shelve" => new Shelve(Id, "anna", T0.AddHours(1), "strainer being cleaned"),
        "unshelve" => new Unshelve(Id, "anna"),
        "shelve-expires" => new Tick(),
        "suppress" => new ReportMachineState(TestLine.Pump, MachineOperatingState.Stopped, time),
        "unsuppress" => new ReportMachineState(TestLine.Pump, MachineOperatingState.Running, time),
        "remove" => new RemoveFromService(Id, "ben", "flow meter replaced"),
        "return" => new ReturnToService(Id, "ben"),
        "comment" => new AddComment(Id, "anna", "called maintenance"),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, null),
    };
}
