using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Factory.Contracts.Link;
using Factory.Link;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Commands;

/// <summary>
/// Sends the portal's requests to the lines' edges (<see cref="LineCommand"/>) on its own MQTT
/// connection, and waits for each edge's answer. A line that does not answer in
/// <see cref="Timeout"/> is reported as such; the command carries the same deadline, so an edge
/// that receives it later refuses it instead of acting on a request nobody waits for.
/// </summary>
public sealed class LineCommandSender : BackgroundService
{
    private readonly MqttLink _link;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<LineCommandResult>> _waiting = new(StringComparer.Ordinal);

    public LineCommandSender(MqttLinkOptions link, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _time = time;
        _logger = loggerFactory.CreateLogger<LineCommandSender>();
        _link = new MqttLink(link with { Subscriptions = [LinkTopics.AllCommandResults] }, loggerFactory.CreateLogger<MqttLink>());
        _link.MessageReceived = e =>
        {
            OnResult(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <summary>How long a request waits for the line's answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends a request to its line and returns the line's answer: accepted, or refused with the
    /// reason. An unreachable broker or a line that does not answer in time is a refusal that
    /// says so; it never throws for them.
    /// </summary>
    /// <param name="command">What to do; its request id and deadline are set here.</param>
    public async Task<LineCommandResult> SendAsync(LineCommand command, CancellationToken cancellationToken)
    {
        var request = command with { RequestId = Guid.NewGuid().ToString("N"), ExpiresAt = _time.GetUtcNow() + Timeout };
        var answer = new TaskCompletionSource<LineCommandResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[request.RequestId] = answer;
        try
        {
            if (!_link.IsConnected)
            {
                return Refused($"the cloud is not connected to the MQTT broker ({_link.Status}); nothing was sent to line {command.Line}");
            }

            await _link.PublishAsync(LinkTopics.Commands(command.Line), JsonSerializer.SerializeToUtf8Bytes(request, LinkJsonContext.Default.LineCommand), retain: false, cancellationToken);
            return await answer.Task.WaitAsync(Timeout, _time, cancellationToken);
        }
        catch (MqttLinkException e)
        {
            return Refused($"could not send to line {command.Line}: {e.Message}");
        }
        catch (TimeoutException)
        {
            return Refused($"line {command.Line} did not answer within {Timeout.TotalSeconds:0} s: its edge node may be offline. It refuses the request if it arrives later, so nothing was done.");
        }
        finally
        {
            _waiting.TryRemove(request.RequestId, out _);
        }

        LineCommandResult Refused(string reason) => new(request.RequestId, command.Line, false, reason);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _link.RunAsync(stoppingToken);
        await _link.DisposeAsync();
    }

    private void OnResult(string topic, byte[] payload)
    {
        try
        {
            var result = JsonSerializer.Deserialize(payload, LinkJsonContext.Default.LineCommandResult);
            if (result?.RequestId is { } id && _waiting.TryGetValue(id, out var waiting))
            {
                waiting.TrySetResult(result);
            }
        }
        catch (JsonException e)
        {
            _logger.LogWarning("Ignored an unreadable command result on {Topic}: {Reason}", topic, e.Message);
        }
    }
}
