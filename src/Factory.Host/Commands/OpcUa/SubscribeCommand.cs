using System.ComponentModel;
using Factory.OpcUa.Client;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.OpcUa;

public sealed class SubscribeSettings : OpcUaSettings
{
    [CommandArgument(1, "<node-ids>")]
    [Description("Nodes whose values to follow")]
    public string[] NodeIds { get; init; } = [];

    [CommandOption("--interval <MS>")]
    [Description("Publishing interval: how often the server sends what changed")]
    [DefaultValue(500.0)]
    public double IntervalMs { get; init; } = 500;

    [CommandOption("--sampling <MS>")]
    [Description("Sampling interval; 0 reports every change")]
    [DefaultValue(0.0)]
    public double SamplingMs { get; init; }

    [CommandOption("--queue <SIZE>")]
    [Description("Values the server keeps per node between publishes")]
    [DefaultValue(100u)]
    public uint QueueSize { get; init; } = 100;

    [CommandOption("--duration <SECONDS>")]
    [Description("Stop after this long (default: until Ctrl+C)")]
    public double? DurationSeconds { get; init; }

    public override ValidationResult Validate() =>
        IntervalMs <= 0 ? ValidationResult.Error("--interval must be more than 0 ms")
        : QueueSize == 0 ? ValidationResult.Error("--queue must be at least 1")
        : base.Validate();
}

/// <summary>
/// <c>factory opcua subscribe</c>: one line per value change until Ctrl+C. Lost connections
/// are recovered; an interval that may have lost values is printed as a gap.
/// </summary>
public sealed class SubscribeCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : OpcUaCommand<SubscribeSettings>(console, loggerFactory)
{
    protected override async Task<int> RunAsync(SubscribeSettings settings, CancellationToken cancellationToken)
    {
        var nodes = OpcUaSettings.ParseNodeIds(settings.NodeIds);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.DurationSeconds is { } seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        await using var client = await ConnectAsync(settings, stop.Token);
        client.StateChanged += (_, e) =>
        {
            if (!settings.Json && e.State != SessionState.Closed)
            {
                Line($"! {e.State}: {e.Reason}", Color.Yellow);
            }
        };

        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(settings.IntervalMs) }, stop.Token);
        var items = await subscription.AddItemsAsync([.. nodes.Select(n => new MonitoredItemRequest(n, settings.SamplingMs, settings.QueueSize))], stop.Token);
        var failed = items.Where(i => i.Status.IsBad).ToArray();
        foreach (var item in failed)
        {
            Line($"{item.NodeId} cannot be monitored: {item.Status}", Color.Red);
        }

        if (failed.Length == items.Count)
        {
            return 1;
        }

        try
        {
            await foreach (var message in subscription.ReadAllAsync(stop.Token))
            {
                Print(message, settings.Json);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or --duration: a normal end.
        }

        return 0;
    }

    private void Print(SubscriptionMessage message, bool json)
    {
        switch (message)
        {
            case DataChangeMessage changes:
                foreach (var change in changes.Changes)
                {
                    if (json)
                    {
                        WriteJson(w =>
                        {
                            w.WriteStartObject();
                            w.WriteString("nodeId", change.Item.NodeId.ToString());
                            w.WritePropertyName("value");
                            VariantText.WriteJson(w, change.Value.Value);
                            w.WriteString("status", change.Value.StatusCode.ToString());
                            w.WriteString("sourceTimestamp", VariantText.JsonTimestamp(change.Value.SourceTimestamp));
                            w.WriteEndObject();
                        }, indented: false);
                    }
                    else
                    {
                        var status = change.Value.StatusCode;
                        Line($"{VariantText.Timestamp(change.Value.SourceTimestamp)}  {change.Item.NodeId}  {change.Value.Value}{(status.IsGood ? "" : $"  {status}")}");
                    }
                }

                break;
            case DataGap gap:
                if (json)
                {
                    WriteJson(w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("gapFrom", VariantText.JsonTimestamp(gap.From));
                        w.WriteString("gapTo", VariantText.JsonTimestamp(gap.To));
                        w.WriteString("reason", gap.Reason);
                        w.WriteEndObject();
                    }, indented: false);
                }
                else
                {
                    Line($"! values between {VariantText.Timestamp(gap.From)} and {VariantText.Timestamp(gap.To)} may be missing: {gap.Reason}", Color.Yellow);
                }

                break;
            case SubscriptionStatusChange status:
                Line($"! subscription status: {status.Status}", Color.Yellow);
                break;
        }
    }
}
