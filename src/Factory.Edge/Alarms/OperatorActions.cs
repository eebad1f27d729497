namespace Factory.Edge.Alarms;

/// <summary>
/// What people do to alarms, by name (the line-side panel's routes, the cloud's commands), and
/// the <see cref="AlarmBookCommand"/> each becomes: one place for what an action needs and how a
/// missing part is worded, whoever asks.
/// </summary>
public static class OperatorActions
{
    public const string Acknowledge = "acknowledge";
    public const string AcknowledgeGroup = "acknowledge-group";
    public const string Shelve = "shelve";
    public const string Unshelve = "unshelve";
    public const string Comment = "comment";
    public const string RemoveFromService = "remove-from-service";
    public const string ReturnToService = "return-to-service";

    public static IReadOnlyList<string> All { get; } = [Acknowledge, AcknowledgeGroup, Shelve, Unshelve, Comment, RemoveFromService, ReturnToService];

    /// <summary>
    /// The command for <paramref name="action"/> by <paramref name="user"/>, or null and what is
    /// missing in <paramref name="problem"/>.
    /// </summary>
    /// <param name="now">The edge's clock: a shelve lasts <paramref name="minutes"/> from it.</param>
    public static AlarmBookCommand? Build(string action, string? alarmId, string? user, string? comment, int? minutes, DateTimeOffset now, out string? problem)
    {
        problem = action switch
        {
            Shelve when minutes is not > 0 => "minutes must be a positive number: how long to shelve the alarm",
            Comment when string.IsNullOrWhiteSpace(comment) => "comment is required",
            RemoveFromService when string.IsNullOrWhiteSpace(comment) => "comment is required: say why the alarm is taken out of service",
            _ when !All.Contains(action) => $"'{action}' is not an action on alarms; they are {string.Join(", ", All)}",
            _ when string.IsNullOrWhiteSpace(user) => "user is required: every action on an alarm is recorded with who did it",
            _ when action != AcknowledgeGroup && string.IsNullOrWhiteSpace(alarmId) => "alarmId is required",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }

        var who = user!.Trim();
        return action switch
        {
            Acknowledge => new Acknowledge(alarmId!, who, comment),
            AcknowledgeGroup => new AcknowledgeGroup(who, comment),
            Shelve => new Shelve(alarmId!, who, now.AddMinutes(minutes!.Value), comment),
            Unshelve => new Unshelve(alarmId!, who, comment),
            Comment => new AddComment(alarmId!, who, comment!),
            RemoveFromService => new RemoveFromService(alarmId!, who, comment!),
            _ => new ReturnToService(alarmId!, who, comment),
        };
    }
}
