using Factory.Cloud.Alarms;
using Factory.Contracts.Alarms;

namespace Factory.Portal.Components.Pages;

/// <summary>One row of the alarm list: an alarm of the board, in the words the page shows.</summary>
public sealed record AlarmRow(
    string AlarmId,
    string Line,
    string Machine,
    string Priority,
    int PriorityRank,
    string State,
    string StateText,
    string Message,
    DateTimeOffset Since,
    string? AcknowledgedBy,
    bool Shelved,
    DateTimeOffset? ShelvedUntil,
    string? ShelvedBy,
    bool Suppressed,
    bool OutOfService,
    bool Active)
{
    /// <summary>Whether acknowledging it means something: unacknowledged, active or cleared.</summary>
    public bool CanAcknowledge => State is AlarmStates.Unacknowledged or AlarmStates.ReturnedUnacknowledged;

    public static AlarmRow Of(BoardAlarm alarm)
    {
        var last = alarm.Last;
        return new AlarmRow(
            last.AlarmId,
            last.Line,
            last.Machine,
            last.Priority,
            AlarmPriorities.Rank(last.Priority),
            last.State,
            TextOf(last.State),
            alarm.Message,
            alarm.Activation?.Time ?? last.Time,
            alarm.Acknowledgement?.User,
            last.Shelved,
            last.ShelvedUntil,
            last.Shelved && last.EventType == AlarmEventTypes.Shelved ? last.User : null,
            last.Suppressed,
            last.OutOfService,
            alarm.Active);
    }

    /// <summary>A state in the words the list shows.</summary>
    public static string TextOf(string state) => state switch
    {
        AlarmStates.Unacknowledged => "Unacknowledged",
        AlarmStates.Acknowledged => "Acknowledged",
        AlarmStates.ReturnedUnacknowledged => "Cleared, unacknowledged",
        _ => "Normal",
    };
}
