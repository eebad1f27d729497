using System.ComponentModel;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.OpcUa;

public sealed class ReadSettings : OpcUaSettings
{
    [CommandArgument(1, "<node-ids>")]
    [Description("Nodes to read, e.g. ns=2;s=Line1.Pump1.Speed i=2258")]
    public string[] NodeIds { get; init; } = [];

    [CommandOption("--attribute <NAME>")]
    [Description("The attribute to read: Value (default), DataType, BrowseName, DisplayName, AccessLevel, ...")]
    [DefaultValue("Value")]
    public string Attribute { get; init; } = "Value";
}

/// <summary><c>factory opcua read</c>: one row per node with value, type, status and timestamp. Exit code 2 when a node could not be read.</summary>
public sealed class ReadCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : OpcUaCommand<ReadSettings>(console, loggerFactory)
{
    protected override async Task<int> RunAsync(ReadSettings settings, CancellationToken cancellationToken)
    {
        var nodes = OpcUaSettings.ParseNodeIds(settings.NodeIds);
        var attribute = AttributeId(settings.Attribute);
        await using var client = await ConnectAsync(settings, cancellationToken);
        var values = await client.ReadAsync([.. nodes.Select(n => new ReadValueId(n, attribute))], TimestampsToReturn.Both, cancellationToken);

        if (settings.Json)
        {
            WriteJson(w =>
            {
                w.WriteStartArray();
                for (var i = 0; i < nodes.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("nodeId", nodes[i].ToString());
                    w.WriteString("attribute", AttributeIds.Name(attribute));
                    w.WritePropertyName("value");
                    VariantText.WriteJson(w, values[i].Value);
                    w.WriteString("type", VariantText.TypeName(values[i].Value));
                    w.WriteString("status", values[i].StatusCode.ToString());
                    w.WriteNumber("statusCode", values[i].StatusCode.Code);
                    w.WriteString("sourceTimestamp", VariantText.JsonTimestamp(values[i].SourceTimestamp));
                    w.WriteString("serverTimestamp", VariantText.JsonTimestamp(values[i].ServerTimestamp));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
        }
        else
        {
            var table = new Table().AddColumns("Node", AttributeIds.Name(attribute), "Type", "Status", "Source time");
            for (var i = 0; i < nodes.Length; i++)
            {
                var status = values[i].StatusCode;
                table.AddRow(
                    new Text(nodes[i].ToString()),
                    new Text(values[i].Value.ToString()),
                    new Text(VariantText.TypeName(values[i].Value)),
                    new Text(status.ToString(), status.IsGood ? Style.Plain : new Style(Color.Red)),
                    new Text(VariantText.Timestamp(values[i].SourceTimestamp)));
            }

            Console.Write(table);
        }

        return values.Any(v => v.StatusCode.IsBad) ? 2 : 0;
    }

    private static uint AttributeId(string name)
    {
        if (uint.TryParse(name, out var number) && number is >= AttributeIds.NodeId and <= AttributeIds.AccessLevelEx)
        {
            return number;
        }

        for (var id = AttributeIds.NodeId; id <= AttributeIds.AccessLevelEx; id++)
        {
            if (string.Equals(AttributeIds.Name(id), name, StringComparison.OrdinalIgnoreCase))
            {
                return id;
            }
        }

        throw new CommandArgumentException($"'{name}' is not an attribute; use Value, DataType, BrowseName, DisplayName, NodeClass, AccessLevel, ValueRank, ... or a number from 1 to 27");
    }
}
