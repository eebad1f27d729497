namespace Factory.Contracts.Link;

/// <summary>
/// What the cloud asks a line's edge to do on behalf of a signed-in user of the portal: act on an
/// alarm as the line-side panel would (acknowledge, shelve, unshelve, comment), or perform
/// maintenance on a machine by writing the action to its maintenance node. Published on
/// <see cref="LinkTopics.Commands"/> at QoS 1; the edge answers with a
/// <see cref="LineCommandResult"/> on <see cref="LinkTopics.CommandResults"/>.
/// </summary>
/// <param name="RequestId">Chosen by the cloud, unique; the result carries it back.</param>
/// <param name="Line">The line the command is for.</param>
/// <param name="Action">One of <see cref="LineCommandActions"/>.</param>
/// <param name="AlarmId">The alarm, for the alarm actions.</param>
/// <param name="Machine">The machine, for <see cref="LineCommandActions.Maintain"/>.</param>
/// <param name="User">Who asked; the edge records alarm actions with it.</param>
/// <param name="Comment">Why; required to comment.</param>
/// <param name="Minutes">How long to shelve.</param>
/// <param name="MaintenanceAction">What maintenance to perform, e.g. <c>replace-bearing</c>.</param>
/// <param name="ExpiresAt">
/// The edge refuses the command after this time: the MQTT session keeps commands for an edge that
/// is away, and an acknowledgement or a repair nobody waits for any more must not happen later.
/// </param>
public sealed record LineCommand(
    string RequestId,
    string Line,
    string Action,
    string? AlarmId,
    string? Machine,
    string User,
    string? Comment,
    int? Minutes,
    string? MaintenanceAction,
    DateTimeOffset ExpiresAt);

/// <summary>The edge's answer to a <see cref="LineCommand"/>.</summary>
/// <param name="RequestId">The command's.</param>
/// <param name="Line">The line that answers.</param>
/// <param name="Accepted">Whether it was done.</param>
/// <param name="Refusal">Why not, in words a user reads (the alarm book's or the machine's reason).</param>
public sealed record LineCommandResult(string RequestId, string Line, bool Accepted, string? Refusal);

/// <summary>The values of <see cref="LineCommand.Action"/>.</summary>
public static class LineCommandActions
{
    public const string Acknowledge = "acknowledge";
    public const string Shelve = "shelve";
    public const string Unshelve = "unshelve";
    public const string Comment = "comment";
    public const string Maintain = "maintain";

    public static IReadOnlyList<string> All { get; } = [Acknowledge, Shelve, Unshelve, Comment, Maintain];
}
