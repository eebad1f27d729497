using System.ComponentModel;
using System.Text.Json;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.OpcUa;

public sealed class BrowseSettings : OpcUaSettings
{
    [CommandArgument(1, "[node-ids]")]
    [Description("Where to start (default: the Objects folder, i=85)")]
    public string[] NodeIds { get; init; } = [];

    [CommandOption("--depth <LEVELS>")]
    [Description("How many levels below each start node")]
    [DefaultValue(3)]
    public int Depth { get; init; } = 3;

    [CommandOption("--max-nodes <COUNT>")]
    [Description("Stop after this many nodes (large servers)")]
    [DefaultValue(5000)]
    public int MaxNodes { get; init; } = 5000;

    public override ValidationResult Validate() =>
        Depth < 1 ? ValidationResult.Error("--depth must be at least 1") : base.Validate();
}

/// <summary><c>factory opcua browse</c>: the node tree (hierarchical references), with the current value of each variable.</summary>
public sealed class BrowseCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : OpcUaCommand<BrowseSettings>(console, loggerFactory)
{
    protected override async Task<int> RunAsync(BrowseSettings settings, CancellationToken cancellationToken)
    {
        var starts = settings.NodeIds.Length == 0 ? [ObjectIds.ObjectsFolder] : OpcUaSettings.ParseNodeIds(settings.NodeIds);
        await using var client = await ConnectAsync(settings, cancellationToken);
        var visited = new HashSet<NodeId>();
        var roots = new List<BrowsedNode>();
        foreach (var start in starts)
        {
            var names = await client.ReadAsync([new ReadValueId(start, AttributeIds.DisplayName), new ReadValueId(start, AttributeIds.NodeClass)], TimestampsToReturn.Neither, cancellationToken);
            if (names[0].StatusCode.IsBad)
            {
                throw new Factory.OpcUa.ServiceResultException(names[0].StatusCode, $"cannot browse {start}");
            }

            var root = new BrowsedNode(start, names[0].Value.AsLocalizedText()?.Text ?? start.ToString(), (NodeClass)names[1].Value.AsInt32(), null, NodeId.Null, NodeId.Null);
            visited.Add(start);
            await ExpandAsync(client, root, settings.Depth, visited, settings.MaxNodes, cancellationToken);
            roots.Add(root);
        }

        if (settings.Json)
        {
            WriteJson(w =>
            {
                w.WriteStartArray();
                foreach (var root in roots)
                {
                    WriteNode(w, root);
                }

                w.WriteEndArray();
            });
        }
        else
        {
            foreach (var root in roots)
            {
                var tree = new Tree(Label(root));
                AddChildren(tree, root);
                Console.Write(tree);
            }

            if (visited.Count >= settings.MaxNodes)
            {
                Line($"Stopped at {settings.MaxNodes} nodes; use --max-nodes or browse a deeper node.", Color.Yellow);
            }
        }

        return 0;
    }

    private static async Task ExpandAsync(UaClient client, BrowsedNode node, int depth, HashSet<NodeId> visited, int maxNodes, CancellationToken cancellationToken)
    {
        if (depth == 0)
        {
            return;
        }

        var references = await client.BrowseAllAsync(node.NodeId, cancellationToken: cancellationToken);
        var children = references
            .Where(r => r.NodeId.IsLocal && visited.Count < maxNodes && visited.Add(r.NodeId.NodeId))
            .Select(r => new BrowsedNode(r.NodeId.NodeId, r.DisplayName?.Text ?? r.BrowseName.ToString(), r.NodeClass, r.ReferenceTypeId, r.TypeDefinition.NodeId, NodeId.Null))
            .ToList();

        var variables = children.Where(c => c.NodeClass == NodeClass.Variable).ToArray();
        if (variables.Length > 0)
        {
            var reads = variables.SelectMany(v => new[] { new ReadValueId(v.NodeId, AttributeIds.Value), new ReadValueId(v.NodeId, AttributeIds.DataType) }).ToArray();
            var values = await client.ReadAsync(reads, TimestampsToReturn.Neither, cancellationToken);
            for (var i = 0; i < variables.Length; i++)
            {
                variables[i].Value = values[2 * i];
                variables[i].DataType = values[(2 * i) + 1].Value.Type == BuiltInType.NodeId ? values[(2 * i) + 1].Value.AsNodeId() : NodeId.Null;
            }
        }

        node.Children.AddRange(children);
        foreach (var child in children)
        {
            await ExpandAsync(client, child, depth - 1, visited, maxNodes, cancellationToken);
        }
    }

    private static Paragraph Label(BrowsedNode node)
    {
        var label = new Paragraph()
            .Append(node.Name, new Style(decoration: Decoration.Bold))
            .Append($" {node.NodeId}", new Style(Color.Grey))
            .Append($" {node.NodeClass}", new Style(Color.Blue));
        if (node.Value is { } value)
        {
            label.Append(" = ");
            label.Append(
                value.StatusCode.IsGood ? Truncate(value.Value.ToString()) : value.StatusCode.ToString(),
                value.StatusCode.IsGood ? Style.Plain : new Style(Color.Red));
            label.Append($" ({VariantText.TypeName(value.Value)})", new Style(Color.Grey));
        }

        return label;
    }

    private static void AddChildren(IHasTreeNodes parent, BrowsedNode node)
    {
        foreach (var child in node.Children)
        {
            AddChildren(parent.AddNode(Label(child)), child);
        }
    }

    private static void WriteNode(Utf8JsonWriter w, BrowsedNode node)
    {
        w.WriteStartObject();
        w.WriteString("nodeId", node.NodeId.ToString());
        w.WriteString("displayName", node.Name);
        w.WriteString("nodeClass", node.NodeClass.ToString());
        if (node.ReferenceTypeId is { } referenceType)
        {
            w.WriteString("referenceTypeId", referenceType.ToString());
        }

        if (!node.TypeDefinition.IsNull)
        {
            w.WriteString("typeDefinition", node.TypeDefinition.ToString());
        }

        if (node.Value is { } value)
        {
            w.WriteString("dataType", node.DataType.ToString());
            w.WritePropertyName("value");
            VariantText.WriteJson(w, value.Value);
            w.WriteString("status", value.StatusCode.ToString());
        }

        w.WriteStartArray("children");
        foreach (var child in node.Children)
        {
            WriteNode(w, child);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private sealed class BrowsedNode(NodeId nodeId, string name, NodeClass nodeClass, NodeId? referenceTypeId, NodeId typeDefinition, NodeId dataType)
    {
        public NodeId NodeId { get; } = nodeId;
        public string Name { get; } = name;
        public NodeClass NodeClass { get; } = nodeClass;
        public NodeId? ReferenceTypeId { get; } = referenceTypeId;
        public NodeId TypeDefinition { get; } = typeDefinition;
        public NodeId DataType { get; set; } = dataType;
        public DataValue? Value { get; set; }
        public List<BrowsedNode> Children { get; } = [];
    }
}
