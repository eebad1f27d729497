using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography.X509Certificates;
using Factory.Link;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Factory.Cloud.Broker;

/// <summary>How the embedded broker listens.</summary>
/// <param name="Address">Loopback unless edges on other machines must reach it.</param>
/// <param name="Port">1883 by default; 0 picks a free port (tests).</param>
public sealed record EmbeddedBrokerOptions(IPAddress Address, int Port)
{
    /// <summary>QoS 1 messages the broker queues per client at most while that client is away or behind. MQTTnet's default of 1,000 drops the oldest after that.</summary>
    public int MaxPendingMessagesPerClient { get; init; } = 1_000_000;

    /// <summary>With a certificate (and its private key), the broker speaks MQTT over TLS only, on <see cref="Port"/>.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>With a password file, only its users (and the cloud node's own connections) may connect; without one, anyone who reaches the port.</summary>
    public BrokerPasswordFile? Users { get; init; }
}

/// <summary>
/// The MQTT broker the cloud runs when no external one is given (MQTTnet's server): persistent
/// sessions, loopback only by default, a large per-client queue. Its sessions live in memory:
/// when the cloud restarts they are gone, and the edges' outboxes, which keep every record until
/// the cloud confirms it was stored, send again what was not.
/// </summary>
public sealed class EmbeddedBroker(EmbeddedBrokerOptions options, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The user name of the cloud node's own connections; not a user of the password file.</summary>
    public const string NodeUser = "$factory-cloud-node";

    private MqttServer? _server;

    /// <summary>The port it listens on (a free one picked at construction when asked for 0).</summary>
    public int Port { get; } = options.Port == 0 ? FreePort(options.Address) : options.Port;

    /// <summary>The password of <see cref="NodeUser"/>: made at each start, known only to this process.</summary>
    public string NodePassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Where the node's own connections reach it: TLS when the broker has a certificate, trusting exactly that one.</summary>
    public BrokerAddress Address => new(options.Address.ToString(), Port, options.TlsCertificate is not null);

    /// <summary>How the node's own connections trust it: its certificate, pinned; null without TLS.</summary>
    public BrokerTrust? Trust => options.TlsCertificate is { } certificate ? BrokerTrust.Pinned(certificate) : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttServerOptionsBuilder()
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient);
        builder = options.TlsCertificate is { } certificate
            ? builder.WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(options.Address)
                .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                .WithEncryptedEndpointPort(Port)
                .WithEncryptionCertificate(certificate)
                .WithEncryptionSslProtocol(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
            : builder.WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(options.Address)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(Port);
        _server = new MqttServerFactory().CreateMqttServer(builder.Build());
        _server.ValidatingConnectionAsync += ValidateAsync;
        try
        {
            await _server.StartAsync();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new InvalidOperationException($"The embedded MQTT broker cannot listen on {options.Address}:{Port}: {e.Message} (is another broker running there? give --mqtt-port, or --broker to use it)", e);
        }

        logger.LogInformation(
            "Embedded MQTT broker listening on {Address}{Users}",
            Address,
            options.Users is { } users ? $", users of {users.Path} only" : ", anyone who reaches it may connect");
    }

    /// <summary>Lets in the node's own connections and, with a password file, its users only; a refusal is logged without the password.</summary>
    private Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        if (e.UserName == NodeUser)
        {
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(e.Password ?? ""), System.Text.Encoding.UTF8.GetBytes(NodePassword)))
            {
                Refuse(e, "the cloud node's own user with a wrong password");
            }
        }
        else if (options.Users is { } users && !users.Verify(e.UserName, e.Password))
        {
            Refuse(e, e.UserName is null ? "no user name" : $"user '{e.UserName}' unknown or with a wrong password");
        }

        return Task.CompletedTask;
    }

    private void Refuse(ValidatingConnectionEventArgs e, string why)
    {
        e.ReasonCode = MqttConnectReasonCode.NotAuthorized; // as Mosquitto answers a wrong password
        logger.LogWarning("Embedded MQTT broker refused client {ClientId} from {Endpoint}: {Why}", e.ClientId, e.RemoteEndPoint, why);
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
