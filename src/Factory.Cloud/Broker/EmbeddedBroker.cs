using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace Factory.Cloud.Broker;

/// <summary>How the embedded broker listens.</summary>
/// <param name="Address">Loopback unless edges on other machines must reach it.</param>
/// <param name="Port">1883 by default; 0 picks a free port (tests).</param>
public sealed record EmbeddedBrokerOptions(IPAddress Address, int Port)
{
    /// <summary>QoS 1 messages the broker queues per client at most while that client is away or behind. MQTTnet's default of 1,000 drops the oldest after that.</summary>
    public int MaxPendingMessagesPerClient { get; init; } = 1_000_000;
}

/// <summary>
/// The MQTT broker the cloud runs when no external one is given (MQTTnet's server): persistent
/// sessions, loopback only by default, a large per-client queue. Its sessions live in memory:
/// when the cloud restarts they are gone, and the edges' outboxes, which keep every record until
/// the cloud confirms it was stored, send again what was not.
/// </summary>
public sealed class EmbeddedBroker(EmbeddedBrokerOptions options, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    /// <summary>The port it listens on (a free one picked at construction when asked for 0).</summary>
    public int Port { get; } = options.Port == 0 ? FreePort(options.Address) : options.Port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(options.Address)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        try
        {
            await _server.StartAsync();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new InvalidOperationException($"The embedded MQTT broker cannot listen on {options.Address}:{Port}: {e.Message} (is another broker running there? give --mqtt-port, or --broker to use it)", e);
        }

        logger.LogInformation("Embedded MQTT broker listening on mqtt://{Address}:{Port}", options.Address, Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true } server)
        {
            await server.StopAsync(new MqttServerStopOptionsBuilder().Build());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None);
            _server.Dispose();
            _server = null;
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new System.Net.Sockets.TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
