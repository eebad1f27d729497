using Factory.OpcUa.Client;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Tests.Loopback;

/// <summary>Our server on a free loopback port with a small plant-like address space.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(UaServer server, ushort ns)
    {
        Server = server;
        Namespace = ns;
    }

    public UaServer Server { get; }
    public ushort Namespace { get; }
    public string EndpointUrl => Server.EndpointUrl;

    public NodeId Line => new("Line1", Namespace);
    public NodeId Speed => new("Line1.Pump1.Speed", Namespace);
    public NodeId Temperature => new("Line1.Pump1.Temperature", Namespace);
    public NodeId Setpoint => new("Line1.Pump1.Setpoint", Namespace);
    public NodeId Counters => new("Line1.Counters", Namespace);

    public static async Task<LoopbackServer> StartAsync(ServerOptions? options = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var server = new UaServer(options ?? new ServerOptions { Port = 0 }, loggerFactory);
        var ns = server.AddressSpace.RegisterNamespace("urn:factory:test-plant");
        var space = server.AddressSpace;
        space.AddFolder(ObjectIds.ObjectsFolder, new NodeId("Line1", ns), "Line1");
        space.AddObject(new NodeId("Line1", ns), new NodeId("Line1.Pump1", ns), "Pump1");
        space.AddVariable(new NodeId("Line1.Pump1", ns), new NodeId("Line1.Pump1.Speed", ns), "Speed", DataTypeIds.Double, new Variant(1450.0));
        space.AddVariable(new NodeId("Line1.Pump1", ns), new NodeId("Line1.Pump1.Temperature", ns), "Temperature", DataTypeIds.Double, new Variant(61.5));
        space.AddVariable(new NodeId("Line1.Pump1", ns), new NodeId("Line1.Pump1.Setpoint", ns), "Setpoint", DataTypeIds.Double, new Variant(1500.0),
            accessLevel: AccessLevels.CurrentRead | AccessLevels.CurrentWrite);
        space.AddVariable(new NodeId("Line1", ns), new NodeId("Line1.Counters", ns), "Counters", DataTypeIds.Int32, new Variant(new[] { 1, 2, 3 }), ValueRanks.OneDimension);
        await server.StartAsync();
        return new LoopbackServer(server, ns);
    }

    public Task<UaClient> ConnectAsync(ClientOptions? options = null) =>
        UaClient.ConnectAsync(options ?? new ClientOptions { EndpointUrl = EndpointUrl });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
