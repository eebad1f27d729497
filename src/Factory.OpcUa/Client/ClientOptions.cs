using Factory.OpcUa.Transport;

namespace Factory.OpcUa.Client;

/// <summary>How a <see cref="UaClient"/> connects, keeps its session alive and reconnects.</summary>
public sealed record ClientOptions
{
    /// <summary>The server's endpoint, <c>opc.tcp://host:port[/path]</c>.</summary>
    public required string EndpointUrl { get; init; }

    public string ApplicationName { get; init; } = "Factory";
    public string ApplicationUri { get; init; } = "urn:factory:opcua-client";
    public string ProductUri { get; init; } = "urn:factory";

    /// <summary>The name the server shows for the session; defaults to the application name and machine.</summary>
    public string? SessionName { get; init; }

    /// <summary>Asked-for session timeout: how long the server keeps the session without a request.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Default time a service call may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time allowed for TCP connect and Hello/Acknowledge.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Once a chunk header has arrived, the time allowed for the rest of the chunk.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Asked-for lifetime of a security token; the client renews at 75% of what the server grants.</summary>
    public TimeSpan SecureChannelLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often an idle session (no subscription publishing) reads the server state to prove
    /// the connection is alive.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before reconnecting; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Publish requests kept outstanding while subscriptions exist (OPC 10000-4, 5.13.5).</summary>
    public int PublishRequestCount { get; init; } = 3;

    /// <summary>Notification messages a subscription buffers for a slow reader before it stops asking for more.</summary>
    public int MaxSubscriptionBacklog { get; init; } = 10_000;

    public TransportLimits Transport { get; init; } = TransportLimits.Default;

    /// <summary>The policy, mode and certificates of the channel; null for SecurityPolicy None.</summary>
    public ClientSecurity? Security { get; init; }

    /// <summary>Who the session acts for.</summary>
    public UserIdentity Identity { get; init; } = UserIdentity.Anonymous;
}
