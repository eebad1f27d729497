using System.Text.Json;
using Akka.Actor;
using Factory.Contracts.Link;
using Factory.Edge.Actors;
using Factory.Edge.Alarms;
using Microsoft.Extensions.Logging;

namespace Factory.Edge.Link;

/// <summary>
/// Carries out what the cloud's portal asks of this line (<see cref="LineCommand"/>): alarm
/// actions go to the line's alarm book exactly as the line-side panel's do, and are recorded
/// with the portal user's name; maintenance is written to the machine's maintenance node. Every
/// command gets an answer, a refusal included; a message that is not a command for this line is
/// logged with what is wrong and otherwise ignored.
/// </summary>
public sealed class LineCommandReceiver
{
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(5);

    private readonly string _line;
    private readonly Func<IActorRef> _lineActor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="lineActor">The line's actor, once the actor system has started.</param>
    public LineCommandReceiver(string line, Func<IActorRef> lineActor, TimeProvider time, ILogger logger)
    {
        _line = line;
        _lineActor = lineActor;
        _time = time;
        _logger = logger;
    }

    public string Topic => LinkTopics.Commands(_line);

    /// <summary>Reads and carries out one message of <see cref="Topic"/>; the answer to publish, or null when the message is not a readable command.</summary>
    public async Task<LineCommandResult?> HandleAsync(ReadOnlyMemory<byte> payload)
    {
        LineCommand? command;
        try
        {
            command = JsonSerializer.Deserialize(payload.Span, LinkJsonContext.Default.LineCommand);
        }
        catch (JsonException e)
        {
            _logger.LogWarning("Line {Line}: ignored an unreadable command on {Topic}: {Reason}", _line, Topic, e.Message);
            return null;
        }

        if (command is null || string.IsNullOrEmpty(command.RequestId))
        {
            _logger.LogWarning("Line {Line}: ignored a command on {Topic} without a requestId", _line, Topic);
            return null;
        }

        var refusal = await ExecuteAsync(command);
        if (refusal is null)
        {
            _logger.LogInformation("Line {Line}: {Action} {Target} for {User} (from the cloud)", _line, command.Action, command.AlarmId ?? command.Machine, command.User);
        }
        else
        {
            _logger.LogInformation("Line {Line}: refused {Action} {Target} for {User} from the cloud: {Reason}", _line, command.Action, command.AlarmId ?? command.Machine, command.User, refusal);
        }

        return new LineCommandResult(command.RequestId, _line, refusal is null, refusal);
    }

    private async Task<string?> ExecuteAsync(LineCommand command)
    {
        if (command.Line != _line)
        {
            return $"the command is for line '{command.Line}', this is line {_line}";
        }

        if (_time.GetUtcNow() > command.ExpiresAt)
        {
            return $"the command expired at {command.ExpiresAt:O} before it reached the line";
        }

        if (string.IsNullOrWhiteSpace(command.User))
        {
            return "user is required: every action is recorded with who did it";
        }

        var user = command.User.Trim();
        if (command.Action == LineCommandActions.Maintain)
        {
            if (string.IsNullOrWhiteSpace(command.Machine) || string.IsNullOrWhiteSpace(command.MaintenanceAction))
            {
                return "maintain needs machine and maintenanceAction";
            }

            try
            {
                var result = await _lineActor().Ask<MaintenanceResult>(new PerformMaintenance(command.Machine, command.MaintenanceAction.Trim()), ActionTimeout);
                return result.Accepted ? null : result.Refusal;
            }
            catch (AskTimeoutException)
            {
                return $"the OPC UA session of line {_line} did not answer in {ActionTimeout.TotalSeconds:0} s; the maintenance may or may not have been requested";
            }
        }

        if (!LineCommandActions.All.Contains(command.Action))
        {
            return $"'{command.Action}' is not an action; actions are {string.Join(", ", LineCommandActions.All)}";
        }

        if (OperatorActions.Build(command.Action, command.AlarmId, user, command.Comment, command.Minutes, _time.GetUtcNow(), out var problem) is not { } alarmCommand)
        {
            return problem;
        }

        try
        {
            var result = await _lineActor().Ask<OperatorCommandResult>(new OperatorCommand(alarmCommand), ActionTimeout);
            return result.Accepted ? null : result.Refusal;
        }
        catch (AskTimeoutException)
        {
            return $"the alarm service of line {_line} did not confirm in {ActionTimeout.TotalSeconds:0} s; the action may or may not be recorded";
        }
    }
}
