using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Server;

/// <summary>Discovery and Session services (OPC 10000-4, 5.4 and 5.6), and session expiry.</summary>
public sealed partial class UaServer
{
    private readonly ConcurrentDictionary<NodeId, Session> _sessions = new();

    /// <summary>
    /// The endpoints this server offers, one per policy and mode, each with the server's certificate
    /// and the user tokens it takes: anonymous when allowed, user names when it has users. A user
    /// name on a None endpoint has its password encrypted with Basic256Sha256.
    /// </summary>
    public EndpointDescription[] Endpoints()
    {
        var security = Options.Security;
        return
        [
            .. security.Endpoints.Select(e => new EndpointDescription(
                EndpointUrl,
                ApplicationDescription(),
                ServerCertificate: security.Certificate?.RawData,
                SecurityMode: e.Mode,
                SecurityPolicyUri: e.PolicyUri,
                UserIdentityTokens: [.. UserTokenPolicies(e)],
                TransportProfileUri: TransportProfiles.UaTcpBinary,
                SecurityLevel: e.Level)),
        ];
    }

    private IEnumerable<UserTokenPolicy> UserTokenPolicies(EndpointSecurity endpoint)
    {
        if (Options.Security.AllowAnonymous)
        {
            yield return new UserTokenPolicy(AnonymousPolicyId, UserTokenType.Anonymous, null, null, null);
        }

        if (Options.Security.Users is not null)
        {
            yield return new UserTokenPolicy(UserNamePolicyId, UserTokenType.UserName, null, null, (endpoint.Policy ?? SecurityPolicy.Basic256Sha256).Uri);
        }
    }

    private const string AnonymousPolicyId = "anonymous";
    private const string UserNamePolicyId = "username";

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
        var security = connection.Security;
        SignatureData serverSignature = new(null, null);
        if (security.Policy is { } policy)
        {
            // The client must present the certificate it opened the channel with, for the application it says it is.
            if (request.ClientCertificate is not { } presented || !presented.AsSpan().StartsWith(security.RemoteCertificate!.RawData))
            {
                throw new ServiceResultException(StatusCodes.BadSecurityChecksFailed, "the client's certificate in CreateSession is not the one it opened the secure channel with");
            }

            if (ApplicationCertificate.ApplicationUriOf(security.RemoteCertificate) is var uri && uri != request.ClientDescription.ApplicationUri)
            {
                throw new ServiceResultException(StatusCodes.BadCertificateUriInvalid, $"the client says it is '{request.ClientDescription.ApplicationUri}'; its certificate names '{uri}'");
            }

            if (request.ClientNonce is not { Length: >= SecurityPolicy.NonceLength })
            {
                throw new ServiceResultException(StatusCodes.BadNonceInvalid, $"the client's nonce has {request.ClientNonce?.Length ?? 0} bytes; at least {SecurityPolicy.NonceLength} are needed");
            }

            using var key = Options.Security.Certificate!.GetRSAPrivateKey()!;
            serverSignature = SessionSignatures.Sign(policy, key, security.RemoteCertificate.RawData, request.ClientNonce);
        }

        var session = new Session(
            new NodeId(Guid.NewGuid(), 1),
            new NodeId(RandomNumberGenerator.GetBytes(32), 0),
            string.IsNullOrWhiteSpace(request.SessionName) ? "unnamed" : request.SessionName,
            timeout,
            connection,
            Time.GetUtcNow().UtcDateTime)
        {
            ServerNonce = RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength),
            ClientCertificate = security.RemoteCertificate?.RawData,
        };
        _sessions[session.AuthenticationToken] = session;
        _logger.LogInformation("Created {Session} for {Remote} on a {Security} channel (timeout {Timeout} s)", session, connection.RemoteEndpoint, security.Policy is null ? "None" : $"{security.Policy.Name} {security.Mode}", timeout.TotalSeconds);

        return new CreateSessionResponse(
            ResponseHeader(request.RequestHeader),
            session.SessionId,
            session.AuthenticationToken,
            timeout.TotalMilliseconds,
            session.ServerNonce,
            ServerCertificate: Options.Security.Certificate?.RawData,
            Endpoints(),
            ServerSoftwareCertificates: null,
            serverSignature,
            Options.Transport.MaxMessageSize);
    }

    private ActivateSessionResponse ActivateSession(ServerConnection connection, ActivateSessionRequest request)
    {
        if (!_sessions.TryGetValue(request.RequestHeader.AuthenticationToken, out var session) || session.Closed)
        {
            throw new ServiceResultException(StatusCodes.BadSessionIdInvalid, "the session does not exist (it may have expired or the server restarted)");
        }

        var security = connection.Security;
        lock (session.Lock)
        {
            CheckClientSignature(session, security, request.ClientSignature);
            var userName = AuthenticateUser(session, security, request.UserIdentityToken);
            if (session.Activated && session.UserName != userName)
            {
                _logger.LogInformation("{Session} changes its user from {Old} to {New}", session, session.UserName ?? "anonymous", userName ?? "anonymous");
            }

            if (!ReferenceEquals(session.Connection, connection))
            {
                // The session moves to the new channel; Publish requests queued on the old one are void.
                _logger.LogInformation("{Session} moves from channel {Old} to channel {New}", session, session.Connection.ChannelId, connection.ChannelId);
                session.Connection = connection;
                RemovePublishRequests(session, r => !ReferenceEquals(r.Connection, connection));
            }

            session.UserName = userName;
            session.Activated = true;
            session.LastContact = Time.GetUtcNow().UtcDateTime;
            session.ServerNonce = RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength);
            return new ActivateSessionResponse(ResponseHeader(request.RequestHeader), session.ServerNonce, null, null);
        }
    }

    /// <summary>
    /// On a secured channel the client proves it holds its certificate's key: it signs our
    /// certificate and our last nonce. A session stays with the certificate it was created with.
    /// </summary>
    private void CheckClientSignature(Session session, Security.ChannelSecurity security, SignatureData signature)
    {
        var created = session.ClientCertificate;
        var now = security.RemoteCertificate?.RawData;
        if (created is null != now is null || (created is not null && !created.AsSpan().SequenceEqual(now)))
        {
            throw new ServiceResultException(StatusCodes.BadSecurityChecksFailed, $"{session} was created with another client certificate or security than this channel's");
        }

        if (security.Policy is { } policy)
        {
            SessionSignatures.Verify(policy, security.RemotePublicKey!, Options.Security.Certificate!.RawData, session.ServerNonce, signature);
        }
    }

    /// <summary>The user the token names, once proven; null for anonymous.</summary>
    private string? AuthenticateUser(Session session, Security.ChannelSecurity security, ExtensionObject token)
    {
        switch (token.Body)
        {
            case null:
            case AnonymousIdentityToken:
                return Options.Security.AllowAnonymous
                    ? null
                    : throw new ServiceResultException(StatusCodes.BadIdentityTokenRejected, "this server does not accept anonymous users; log in with a user name");
            case UserNameIdentityToken user when Options.Security.Users is { } users:
                if (user.PolicyId != UserNamePolicyId)
                {
                    throw new ServiceResultException(StatusCodes.BadIdentityTokenInvalid, $"user token policy '{user.PolicyId}' is not offered; user names go with '{UserNamePolicyId}'");
                }

                var password = Password(session, security, user);
                if (string.IsNullOrEmpty(user.UserName) || !users.Authenticate(user.UserName, password))
                {
                    _logger.LogWarning("{Session}: user '{User}' was refused (wrong user name or password)", session, user.UserName);
                    throw new ServiceResultException(StatusCodes.BadUserAccessDenied, $"user '{user.UserName}' was refused: wrong user name or password");
                }

                return user.UserName;
            case IUserIdentityToken other:
                throw new ServiceResultException(StatusCodes.BadIdentityTokenRejected, $"{other.GetType().Name} is not accepted: this server takes {string.Join(" and ", UserTokenPolicies(EndpointSecurity.None).Select(p => p.TokenType))} users");
            default:
                throw new ServiceResultException(StatusCodes.BadIdentityTokenInvalid, $"the user identity token {token.TypeId} is not understood");
        }
    }

    /// <summary>The password of a user name token: encrypted with our key and our last nonce, or in the clear only inside an encrypted channel.</summary>
    private string Password(Session session, Security.ChannelSecurity security, UserNameIdentityToken user)
    {
        if (string.IsNullOrEmpty(user.EncryptionAlgorithm))
        {
            return security.EncryptsMessages
                ? System.Text.Encoding.UTF8.GetString(user.Password ?? [])
                : throw new ServiceResultException(StatusCodes.BadIdentityTokenRejected, "a password in the clear is accepted only on a SignAndEncrypt channel");
        }

        // Policies that name the same algorithm decrypt alike (rsa-oaep: Basic256Sha256 and Aes128_Sha256_RsaOaep).
        var policy = SecurityPolicy.All.FirstOrDefault(p => p.AsymmetricEncryptionAlgorithmUri == user.EncryptionAlgorithm)
            ?? throw new ServiceResultException(StatusCodes.BadIdentityTokenInvalid, $"the password is encrypted with '{user.EncryptionAlgorithm}', which this server does not know");
        using var key = Options.Security.Certificate!.GetRSAPrivateKey()!;
        return UserTokenSecret.Decrypt(policy, key, user.Password ?? [], session.ServerNonce);
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
