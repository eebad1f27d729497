using System.ComponentModel;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.OpcUa;

public sealed class WriteSettings : OpcUaSettings
{
    [CommandArgument(1, "<node-id>")]
    [Description("The node to write, e.g. ns=2;s=Line1.Pump1.Setpoint")]
    public string NodeId { get; init; } = "";

    [CommandArgument(2, "<value>")]
    [Description("The value; a JSON array like [[1,2,3]] for array nodes")]
    public string Value { get; init; } = "";

    [CommandOption("--type <TYPE>")]
    [Description("The built-in type (Double, Int32, String, Boolean, ...); by default the node's own data type")]
    public string? Type { get; init; }
}

/// <summary><c>factory opcua write</c>: converts the text to the node's type and writes it. Exit code 1 when the server refuses.</summary>
public sealed class WriteCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : OpcUaCommand<WriteSettings>(console, loggerFactory)
{
    protected override async Task<int> RunAsync(WriteSettings settings, CancellationToken cancellationToken)
    {
        var nodeId = OpcUaSettings.ParseNodeIds([settings.NodeId])[0];
        await using var client = await ConnectAsync(settings, cancellationToken);
        var (type, array) = await TargetTypeAsync(client, nodeId, settings.Type, cancellationToken);
        var value = VariantText.Parse(settings.Value, type, array);
        var status = await client.WriteValueAsync(nodeId, value, cancellationToken);

        if (settings.Json)
        {
            WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("nodeId", nodeId.ToString());
                w.WritePropertyName("value");
                VariantText.WriteJson(w, value);
                w.WriteString("type", VariantText.TypeName(value));
                w.WriteString("status", status.ToString());
                w.WriteNumber("statusCode", status.Code);
                w.WriteEndObject();
            });
        }
        else if (status.IsGood)
        {
            Line($"Wrote {value} ({VariantText.TypeName(value)}) to {nodeId}: {status}", Color.Green);
        }
        else
        {
            Line($"Writing {value} ({VariantText.TypeName(value)}) to {nodeId} failed: {status}", Color.Red);
        }

        return status.IsGood ? 0 : 1;
    }

    /// <summary>The built-in type to send: the one given, or the one the node's DataType stands for.</summary>
    private static async Task<(BuiltInType Type, bool Array)> TargetTypeAsync(UaClient client, NodeId nodeId, string? given, CancellationToken cancellationToken)
    {
        var attributes = await client.ReadAsync([new ReadValueId(nodeId, AttributeIds.DataType), new ReadValueId(nodeId, AttributeIds.ValueRank)], TimestampsToReturn.Neither, cancellationToken);
        var array = attributes[1].StatusCode.IsGood && attributes[1].Value.Value is int rank && rank >= 0;
        if (given is not null)
        {
            return Enum.TryParse<BuiltInType>(given, ignoreCase: true, out var named) && named != BuiltInType.Null
                ? (named, array)
                : throw new CommandArgumentException($"'{given}' is not a built-in type; use Boolean, Int32, Double, String, DateTime, ...");
        }

        if (attributes[0].StatusCode.IsBad)
        {
            throw new CommandArgumentException($"{nodeId} has no data type to convert the value to ({attributes[0].StatusCode}); is it a variable?");
        }

        var dataType = attributes[0].Value.AsNodeId();
        if (dataType.NamespaceIndex == 0 && dataType.IdType == IdType.Numeric)
        {
            var id = dataType.NumericIdentifier;
            if (id is >= 1 and <= 21 and not 22)
            {
                return ((BuiltInType)id, array);
            }

            if (dataType == DataTypeIds.Duration)
            {
                return (BuiltInType.Double, array);
            }

            if (dataType == DataTypeIds.UtcTime)
            {
                return (BuiltInType.DateTime, array);
            }

            if (dataType == DataTypeIds.LocaleId)
            {
                return (BuiltInType.String, array);
            }
        }

        throw new CommandArgumentException($"{nodeId} has the data type {dataType}, which does not name one built-in type; give --type");
    }
}
