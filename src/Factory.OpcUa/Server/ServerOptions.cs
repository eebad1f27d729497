using Factory.OpcUa.Transport;

namespace Factory.OpcUa.Server;

/// <summary>How a <see cref="UaServer"/> listens and what it allows each client.</summary>
public sealed record ServerOptions
{
    /// <summary>The address to listen on; loopback unless the plant network needs more.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (see <see cref="UaServer.EndpointUrl"/>).</summary>
    public int Port { get; init; } = EndpointAddress.DefaultPort;

    /// <summary>The path part of the endpoint URL, e.g. "/line-1".</summary>
    public string Path { get; init; } = "";

    public string ApplicationUri { get; init; } = "urn:factory:opcua-server";
    public string ProductUri { get; init; } = "urn:factory";
    public string ApplicationName { get; init; } = "Factory OPC UA server";

    public int MaxSessions { get; init; } = 100;
    public int MaxSubscriptionsPerSession { get; init; } = 100;
    public int MaxMonitoredItemsPerSubscription { get; init; } = 100_000;

    /// <summary>Publish requests a session may have queued; beyond, the oldest is answered BadTooManyPublishRequests.</summary>
    public int MaxPublishRequestsPerSession { get; init; } = 20;

    /// <summary>Notification messages kept per subscription for Republish.</summary>
    public int MaxRetransmissionQueueSize { get; init; } = 100;

    public int MaxBrowseContinuationPoints { get; init; } = 50;
    public int MaxReferencesPerBrowse { get; init; } = 10_000;
    public int MaxNodesPerRequest { get; init; } = 10_000;

    public TimeSpan MinSessionTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxSessionTimeout { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan MinPublishingInterval { get; init; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MaxPublishingInterval { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan MinSamplingInterval { get; init; } = TimeSpan.Zero;
    public uint MaxQueueSize { get; init; } = 10_000;
    public uint MaxKeepAliveCount { get; init; } = 10_000;

    /// <summary>Lifetime granted to security tokens, unless the client asks for less.</summary>
    public TimeSpan MaxSecureChannelLifetime { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan MinSecureChannelLifetime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time a new connection has to send Hello, and a started chunk to arrive whole.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TransportLimits Transport { get; init; } = TransportLimits.Default;

    /// <summary>Policies, certificates and users; SecurityPolicy None with anonymous users by default.</summary>
    public ServerSecurity Security { get; init; } = ServerSecurity.None;
}
