using System.Text.Json.Nodes;
using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Tests.Support;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Interop;

/// <summary>One node-opcua server shared by the read-only interop tests of a class.</summary>
public sealed class NodeOpcUaServerFixture : IAsyncLifetime
{
    internal NodeOpcUaServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await NodeOpcUaServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Our client against node-opcua's server: the services of OPC 10000-4 (GetEndpoints, Session,
/// View, Attribute) and every built-in type of OPC 10000-6, 5.1.2 decoded exactly as node-opcua
/// encoded it.
/// </summary>
public sealed class ClientAgainstNodeOpcUaTests(NodeOpcUaServerFixture fixture) : IClassFixture<NodeOpcUaServerFixture>
{
    private NodeOpcUaServer Peer => fixture.Server;

    [Fact]
    public async Task Endpoints_offer_security_policy_none_with_anonymous_users()
    {
        var endpoints = await UaClient.GetEndpointsAsync(new ClientOptions { EndpointUrl = Peer.EndpointUrl });

        endpoints.Should().Contain(e => e.SecurityMode == MessageSecurityMode.None &&
            e.SecurityPolicyUri == Security.SecurityPolicies.None &&
            e.UserIdentityTokens!.Any(t => t.TokenType == UserTokenType.Anonymous));
    }

    [Fact]
    public async Task Browsing_the_tree_finds_every_node_node_opcua_serves()
    {
        await using var client = await Connect();
        var expected = Peer.Manifest["tree"]!.AsArray().Select(n => n!["nodeId"]!.GetValue<string>()).ToHashSet();

        var found = new HashSet<string>();
        var pending = new Queue<NodeId>([NodeId.Parse("ns=1;s=Tree")]);
        found.Add("ns=1;s=Tree");
        while (pending.TryDequeue(out var node))
        {
            foreach (var reference in await client.BrowseAllAsync(node, maxReferencesPerCall: 2))
            {
                if (reference.NodeClass is NodeClass.Object or NodeClass.Variable && found.Add(reference.NodeId.NodeId.ToString()))
                {
                    pending.Enqueue(reference.NodeId.NodeId);
                }
            }
        }

        found.Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task Browse_with_a_small_page_size_needs_browse_next_and_loses_nothing()
    {
        await using var client = await Connect();
        var scalars = NodeId.Parse("ns=1;s=Scalars");
        var description = new BrowseDescription(scalars, BrowseDirection.Forward, ReferenceTypeIds.HierarchicalReferences, true, 0, (uint)BrowseResultMask.All);

        var first = (await client.BrowseAsync([description], requestedMaxReferencesPerNode: 5))[0];
        var all = await client.BrowseAllAsync(scalars);

        first.References.Should().HaveCount(5);
        first.ContinuationPoint.Should().NotBeNullOrEmpty("more than five children remain");
        all.Count.Should().BeGreaterThan(20);
        all.Select(r => r.NodeId).Should().OnlyHaveUniqueItems();
        (await client.BrowseNextAsync([first.ContinuationPoint!], release: true))[0].StatusCode.Should().Be(StatusCode.Good);
    }

    [Fact]
    public async Task Reading_every_node_gives_exactly_the_values_node_opcua_serves()
    {
        await using var client = await Connect();
        var nodes = Peer.Manifest["nodes"]!.AsArray().Where(n => !n!["writable"]!.GetValue<bool>()).ToArray();

        var values = await client.ReadAsync([.. nodes.Select(n => new ReadValueId(NodeId.Parse(n!["nodeId"]!.GetValue<string>()), AttributeIds.Value))]);

        nodes.Length.Should().BeGreaterThan(45, "every built-in type has a scalar and an array node");
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i]!;
            var nodeId = node["nodeId"]!.GetValue<string>();
            values[i].StatusCode.Should().Be(StatusCode.Good, nodeId);
            var expectedType = node["builtInType"]!.GetValue<string>();
            values[i].Value.Type.ToString().Should().Be(expectedType == "Variant" ? "Variant" : expectedType, nodeId);
            values[i].Value.Rank.ToString().Should().Be(node["arrayType"]!.GetValue<string>(), nodeId);
            var actual = PeerJson.Of(values[i].Value);
            var expected = PeerJson.Comparable(node["value"]);
            JsonNode.DeepEquals(actual, expected).Should().BeTrue($"{nodeId} decodes to {actual?.ToJsonString()} but node-opcua serves {expected?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Attributes_of_a_variable_are_readable()
    {
        await using var client = await Connect();
        var node = NodeId.Parse("ns=1;s=Matrices.Double");

        var attributes = await client.ReadAsync(
        [
            new ReadValueId(node, AttributeIds.BrowseName),
            new ReadValueId(node, AttributeIds.NodeClass),
            new ReadValueId(node, AttributeIds.DataType),
            new ReadValueId(node, AttributeIds.ValueRank),
            new ReadValueId(node, AttributeIds.ArrayDimensions),
        ]);

        attributes[0].Value.AsQualifiedName().Name.Should().Be("Double");
        attributes[1].Value.AsInt32().Should().Be((int)NodeClass.Variable);
        attributes[2].Value.AsNodeId().Should().Be(DataTypeIds.Double);
        attributes[3].Value.AsInt32().Should().Be(3);
        attributes[4].Value.Value.Should().BeEquivalentTo(new uint[] { 2, 2, 2 });
    }

    [Fact]
    public async Task Writing_each_writable_node_is_read_back_unchanged()
    {
        await using var client = await Connect();
        var writes = new (string Node, Variant Value)[]
        {
            ("ns=1;s=Writable.Boolean", new Variant(true)),
            ("ns=1;s=Writable.Int32", new Variant(-123456)),
            ("ns=1;s=Writable.UInt32", new Variant(4000000000u)),
            ("ns=1;s=Writable.Int64", new Variant(long.MinValue + 1)),
            ("ns=1;s=Writable.UInt64", new Variant(ulong.MaxValue - 1)),
            ("ns=1;s=Writable.Float", new Variant(1.25f)),
            ("ns=1;s=Writable.Double", new Variant(-273.15)),
            ("ns=1;s=Writable.String", new Variant("Spindel 3 – überhitzt")),
            ("ns=1;s=Writable.DateTime", new Variant(new DateTime(2026, 11, 28, 10, 44, 0, 123, DateTimeKind.Utc))),
            ("ns=1;s=Writable.Guid", new Variant(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"))),
            ("ns=1;s=Writable.ByteString", new Variant(new byte[] { 1, 2, 254 })),
            ("ns=1;s=Writable.NodeId", new Variant(new NodeId("Line7", 1))),
            ("ns=1;s=Writable.LocalizedText", new Variant(new LocalizedText("Pumpe", "de-DE"))),
            ("ns=1;s=Writable.DoubleArray", new Variant([1.5, -2.5, 1e300])),
            ("ns=1;s=Writable.Int32Array", new Variant([7, 8, 9, 10])),
            ("ns=1;s=Writable.StringArray", new Variant(new string?[] { "a", "", "ü" })),
        };

        var statuses = await client.WriteAsync([.. writes.Select(w => new WriteValue(NodeId.Parse(w.Node), AttributeIds.Value, null, new DataValue(w.Value)))]);
        var readBack = await client.ReadAsync([.. writes.Select(w => new ReadValueId(NodeId.Parse(w.Node), AttributeIds.Value))]);

        statuses.Should().AllSatisfy(s => s.Should().Be(StatusCode.Good));
        readBack.Select(v => v.Value).Should().Equal(writes.Select(w => w.Value));
    }

    [Fact]
    public async Task Writing_a_value_of_the_wrong_type_is_refused_with_BadTypeMismatch()
    {
        await using var client = await Connect();

        var status = await client.WriteValueAsync(NodeId.Parse("ns=1;s=Writable.Double"), new Variant("not a number"));

        status.CodeBits.Should().Be(StatusCodes.BadTypeMismatch);
    }

    [Fact]
    public async Task Reading_an_unknown_node_gives_BadNodeIdUnknown_for_that_node_only()
    {
        await using var client = await Connect();

        var values = await client.ReadAsync([new ReadValueId(NodeId.Parse("ns=1;s=NoSuchNode"), AttributeIds.Value), new ReadValueId(VariableIds.Server_ServerStatus_State, AttributeIds.Value)]);

        values[0].StatusCode.CodeBits.Should().Be(StatusCodes.BadNodeIdUnknown);
        values[1].StatusCode.Should().Be(StatusCode.Good);
        values[1].Value.AsInt32().Should().Be((int)ServerState.Running);
    }

    [Fact]
    public async Task Translate_browse_path_resolves_names_to_node_ids()
    {
        await using var client = await Connect();

        var node = await client.ResolvePathAsync(ObjectIds.ObjectsFolder, [new QualifiedName("Peer", 1), new QualifiedName("Scalars", 1), new QualifiedName("Double", 1)]);

        node.Should().Be(NodeId.Parse("ns=1;s=Scalars.Double"));
    }

    private Task<UaClient> Connect() => UaClient.ConnectAsync(new ClientOptions { EndpointUrl = Peer.EndpointUrl });
}
