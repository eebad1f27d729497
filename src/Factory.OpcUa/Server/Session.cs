using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server;

/// <summary>A Publish request the server holds until a subscription has something to send (OPC 10000-4, 5.13.5).</summary>
internal sealed record QueuedPublishRequest(ServerConnection Connection, uint RequestId, PublishRequest Request, StatusCode[] AcknowledgementResults, DateTime Deadline);

/// <summary>
/// A client session (OPC 10000-4, 5.6): bound to one secure channel at a time, kept alive by
/// requests, holding its subscriptions, its queued Publish requests and its browse
/// continuation points. All mutable state is guarded by <see cref="Lock"/>.
/// </summary>
internal sealed class Session
{
    public Session(NodeId sessionId, NodeId authenticationToken, string name, TimeSpan timeout, ServerConnection connection, DateTime now)
    {
        SessionId = sessionId;
        AuthenticationToken = authenticationToken;
        Name = name;
        Timeout = timeout;
        Connection = connection;
        LastContact = now;
    }

    public Lock Lock { get; } = new();
    public NodeId SessionId { get; }
    public NodeId AuthenticationToken { get; }
    public string Name { get; }
    public TimeSpan Timeout { get; }

    /// <summary>The channel the session is bound to; ActivateSession on another channel moves it.</summary>
    public ServerConnection Connection { get; set; }

    /// <summary>The nonce the server gave last (CreateSession, then each ActivateSession): what the next ActivateSession must sign and a password must end with.</summary>
    public byte[] ServerNonce { get; set; } = [];

    /// <summary>The client's certificate the session was created with; null on a None channel.</summary>
    public byte[]? ClientCertificate { get; init; }

    /// <summary>The user the session acts for; null for anonymous.</summary>
    public string? UserName { get; set; }

    public bool Activated { get; set; }
    public bool Closed { get; set; }
    public DateTime LastContact { get; set; }

    public Dictionary<uint, ServerSubscription> Subscriptions { get; } = [];
    public LinkedList<QueuedPublishRequest> PublishRequests { get; } = new();
    public Dictionary<string, BrowseContinuation> ContinuationPoints { get; } = [];

    public bool IsExpired(DateTime now) => now - LastContact > Timeout;

    public override string ToString() => $"session {SessionId} '{Name}'";
}

/// <summary>The references of a Browse still to be returned, kept until BrowseNext asks (OPC 10000-4, 7.9).</summary>
internal sealed record BrowseContinuation(byte[] Id, ReferenceDescription[] Remaining, uint MaxReferences, DateTime CreatedAt);
