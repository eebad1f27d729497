using System.Collections.Concurrent;
using System.Security.Cryptography;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Server;

/// <summary>Discovery and Session services (OPC 10000-4, 5.4 and 5.6), and session expiry.</summary>
public sealed partial class UaServer
{
    private readonly ConcurrentDictionary<NodeId, Session> _sessions = new();

    /// <summary>The endpoints this server offers: UA TCP, SecurityPolicy None, anonymous users.</summary>
    public EndpointDescription[] Endpoints() =>
    [
        new EndpointDescription(
            EndpointUrl,
            ApplicationDescription(),
            ServerCertificate: null,
            SecurityMode: MessageSecurityMode.None,
            SecurityPolicyUri: SecurityPolicies.None,
            UserIdentityTokens: [new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null)],
            TransportProfileUri: TransportProfiles.UaTcpBinary,
            SecurityLevel: 0),
    ];

    private ApplicationDescription ApplicationDescription() =>
        new(Options.ApplicationUri, Options.ProductUri, new LocalizedText(Options.ApplicationName), ApplicationType.Server, null, null, [EndpointUrl]);

    private GetEndpointsResponse GetEndpoints(GetEndpointsRequest request) =>
        new(ResponseHeader(request.RequestHeader), Endpoints());

    private FindServersResponse FindServers(FindServersRequest request) =>
        new(ResponseHeader(request.RequestHeader), [ApplicationDescription()]);

    private CreateSessionResponse CreateSession(ServerConnection connection, CreateSessionRequest request)
    {
        if (_sessions.Count >= Options.MaxSessions)
        {
            throw new ServiceResultException(StatusCodes.BadTooManySessions, $"the server already has {_sessions.Count} sessions");
        }

        var requested = double.IsNaN(request.RequestedSessionTimeout) ? 0 : request.RequestedSessionTimeout;
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(requested, Options.MinSessionTimeout.TotalMilliseconds, Options.MaxSessionTimeout.TotalMilliseconds));
        var session = new Session(
            new NodeId(Guid.NewGuid(), 1),
            new NodeId(RandomNumberGenerator.GetBytes(32), 0),
            string.IsNullOrWhiteSpace(request.SessionName) ? "unnamed" : request.SessionName,
            timeout,
            connection,
            Time.GetUtcNow().UtcDateTime);
        _sessions[session.AuthenticationToken] = session;
        _logger.LogInformation("Created {Session} for {Remote} (timeout {Timeout} s)", session, connection.RemoteEndpoint, timeout.TotalSeconds);

        return new CreateSessionResponse(
            ResponseHeader(request.RequestHeader),
            session.SessionId,
            session.AuthenticationToken,
            timeout.TotalMilliseconds,
            RandomNumberGenerator.GetBytes(32),
            ServerCertificate: null,
            Endpoints(),
            ServerSoftwareCertificates: null,
            new SignatureData(null, null),
            Options.Transport.MaxMessageSize);
    }

    private ActivateSessionResponse ActivateSession(ServerConnection connection, ActivateSessionRequest request)
    {
        if (!_sessions.TryGetValue(request.RequestHeader.AuthenticationToken, out var session) || session.Closed)
        {
            throw new ServiceResultException(StatusCodes.BadSessionIdInvalid, "the session does not exist (it may have expired or the server restarted)");
        }

        switch (request.UserIdentityToken.Body)
        {
            case null:
            case AnonymousIdentityToken:
                break;
            case IUserIdentityToken other:
                throw new ServiceResultException(StatusCodes.BadIdentityTokenRejected, $"{other.GetType().Name} is not accepted: this endpoint takes anonymous users only");
            default:
                throw new ServiceResultException(StatusCodes.BadIdentityTokenInvalid, $"the user identity token {request.UserIdentityToken.TypeId} is not understood");
        }

        lock (session.Lock)
        {
            if (!ReferenceEquals(session.Connection, connection))
            {
                // The session moves to the new channel; Publish requests queued on the old one are void.
                _logger.LogInformation("{Session} moves from channel {Old} to channel {New}", session, session.Connection.ChannelId, connection.ChannelId);
                session.Connection = connection;
                RemovePublishRequests(session, r => !ReferenceEquals(r.Connection, connection));
            }

            session.Activated = true;
            session.LastContact = Time.GetUtcNow().UtcDateTime;
        }

        return new ActivateSessionResponse(ResponseHeader(request.RequestHeader), RandomNumberGenerator.GetBytes(32), null, null);
    }

    private CloseSessionResponse CloseSession(Session session, CloseSessionRequest request)
    {
        CloseSession(session, request.DeleteSubscriptions, "closed by the client");
        return new CloseSessionResponse(ResponseHeader(request.RequestHeader));
    }

    private Session ValidateSession(ServerConnection connection, RequestHeader header)
    {
        if (!_sessions.TryGetValue(header.AuthenticationToken, out var session) || session.Closed)
        {
            throw new ServiceResultException(StatusCodes.BadSessionIdInvalid, "the request names no open session");
        }

        lock (session.Lock)
        {
            if (!session.Activated)
            {
                throw new ServiceResultException(StatusCodes.BadSessionNotActivated, $"{session} has not been activated");
            }

            if (!ReferenceEquals(session.Connection, connection))
            {
                throw new ServiceResultException(StatusCodes.BadSecureChannelIdInvalid, $"{session} belongs to another secure channel; activate it on this one first");
            }

            session.LastContact = Time.GetUtcNow().UtcDateTime;
        }

        return session;
    }

    /// <summary>Ends a session: its queued Publish requests get BadSessionClosed, its subscriptions are deleted or left for transfer.</summary>
    private void CloseSession(Session session, bool deleteSubscriptions, string reason)
    {
        if (!_sessions.TryRemove(session.AuthenticationToken, out _))
        {
            return;
        }

        lock (session.Lock)
        {
            session.Closed = true;
            foreach (var queued in session.PublishRequests)
            {
                queued.Connection.Send(queued.RequestId, new ServiceFault(ResponseHeader(queued.Request.RequestHeader, StatusCodes.BadSessionClosed)));
            }

            session.PublishRequests.Clear();
            foreach (var subscription in session.Subscriptions.Values)
            {
                if (deleteSubscriptions)
                {
                    DeleteSubscription(subscription);
                }
                else
                {
                    // Kept for TransferSubscriptions until its lifetime runs out.
                    subscription.Session = null;
                }
            }

            session.Subscriptions.Clear();
            session.ContinuationPoints.Clear();
        }

        _logger.LogInformation("{Session} closed: {Reason}", session, reason);
    }

    private void ExpireSessions(DateTime now)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.IsExpired(now))
            {
                CloseSession(session, deleteSubscriptions: true, $"no request for {session.Timeout.TotalSeconds:0.#} s");
            }
        }
    }
}
