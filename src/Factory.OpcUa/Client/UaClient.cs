using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.OpcUa.Client;

/// <summary>Where a client's session stands.</summary>
public enum SessionState
{
    Connecting,
    Connected,
    Reconnecting,
    Closed,
}

/// <summary>
/// An OPC UA client session (OPC 10000-4, 5.6) that survives the loss of its connection: it
/// reactivates the session on a new secure channel, or creates a new session and transfers or
/// re-creates its subscriptions, and tells each subscription which interval may have lost data.
/// All methods are async, cancellable and safe to call concurrently.
/// </summary>
public sealed partial class UaClient : IAsyncDisposable
{
    private static readonly HashSet<uint> SessionLostCodes =
    [
        StatusCodes.BadSessionIdInvalid,
        StatusCodes.BadSessionClosed,
        StatusCodes.BadSessionNotActivated,
    ];

    private readonly ClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _disposing = new();
    private readonly SemaphoreSlim _reconnectLock = new(1, 1);
    private readonly Lock _stateLock = new();
    private ClientSecureChannel? _channel;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NodeId _authenticationToken;
    private SessionState _state = SessionState.Connecting;
    private uint _nextRequestHandle;
    private Task? _keepAlive;

    // The certificate of the server's endpoint with our policy and mode, accepted at connect.
    private X509Certificate2? _serverCertificate;

    // The server's last nonce (CreateSession, then each ActivateSession): what the next
    // ActivateSession signs, and what a password is encrypted with.
    private byte[] _serverNonce = [];
    private byte[]? _sessionServerCertificate;

    private UaClient(ClientOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger<UaClient>();
        _time = time;
    }

    public ClientOptions Options => _options;

    public SessionState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>The session's id on the server (changes when the session has to be re-created).</summary>
    public NodeId SessionId { get; private set; }

    /// <summary>The session timeout the server granted.</summary>
    public TimeSpan RevisedSessionTimeout { get; private set; }

    /// <summary>The endpoints the server described when the session was created.</summary>
    public IReadOnlyList<EndpointDescription> ServerEndpoints { get; private set; } = [];

    /// <summary>The id of the secure channel in use, and of its current security token (diagnostics).</summary>
    public (uint ChannelId, uint TokenId) SecureChannel => _channel is { } channel ? (channel.ChannelId, channel.TokenId) : default;

    /// <summary>Raised on every change of <see cref="State"/>, with the reason.</summary>
    public event EventHandler<SessionStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Connects, creates and activates a session for <see cref="ClientOptions.Identity"/>. With
    /// <see cref="ClientOptions.Security"/>, the server's endpoints are read first on a None
    /// channel and the server's certificate must be trusted before the secure channel is opened.
    /// </summary>
    /// <exception cref="ServiceResultException">The server could not be reached, is not trusted, or refused the session.</exception>
    public static async Task<UaClient> ConnectAsync(ClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Transport.EndpointAddress.Parse(options.EndpointUrl);
        var client = new UaClient(options, loggerFactory ?? NullLoggerFactory.Instance, time ?? TimeProvider.System);
        try
        {
            if (options.Security is not null)
            {
                await client.DiscoverServerAsync(cancellationToken).ConfigureAwait(false);
            }

            var channel = await client.OpenChannelAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await client.CreateAndActivateSessionAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await channel.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            client.Attach(channel);
            client.SetState(SessionState.Connected, "session activated");
            client._keepAlive = Task.Run(client.KeepAliveLoopAsync, CancellationToken.None);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The endpoints a server offers (GetEndpoints, OPC 10000-4, 5.4.4), without a session.</summary>
    public static async Task<EndpointDescription[]> GetEndpointsAsync(ClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<UaClient>();
        await using var channel = await ClientSecureChannel.OpenAsync(options, ChannelSecurity.None, logger, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        var request = new GetEndpointsRequest(channel.Header(0, options.RequestTimeout), options.EndpointUrl, null, [TransportProfiles.UaTcpBinary]);
        var response = await channel.SendAsync<GetEndpointsResponse>(request, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        await channel.CloseAsync().ConfigureAwait(false);
        return response.Endpoints ?? [];
    }

    /// <summary>
    /// Sends any service request with this session's authentication token. Waits for a
    /// reconnection in progress (within the timeout) before sending; a request already sent
    /// when the connection fails is not repeated, because it may have taken effect.
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(IServiceRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TResponse : IServiceResponse
    {
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        var limit = timeout ?? _options.RequestTimeout;
        var deadline = _time.GetUtcNow() + limit;
        var channel = await WaitForChannelAsync(limit, cancellationToken).ConfigureAwait(false);
        var remaining = deadline - _time.GetUtcNow();
        var header = request.RequestHeader with
        {
            AuthenticationToken = _authenticationToken,
            RequestHandle = Interlocked.Increment(ref _nextRequestHandle),
            Timestamp = _time.GetUtcNow().UtcDateTime,
            TimeoutHint = (uint)Math.Clamp(remaining.TotalMilliseconds, 1, uint.MaxValue),
        };
        try
        {
            return await channel.SendAsync<TResponse>(request.WithRequestHeader(header), remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceResultException e) when (SessionLostCodes.Contains(e.StatusCode.CodeBits) && State == SessionState.Connected)
        {
            // The server no longer knows the session (it restarted, or the session timed out).
            _logger.LogInformation("Session {SessionId} is gone on the server ({Status}); reconnecting", SessionId, e.StatusCode);
            channel.Abort(e.StatusCode, "the server no longer knows the session");
            throw;
        }
    }

    /// <summary>Closes the session (deleting its subscriptions) and the channel.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (State == SessionState.Closed)
        {
            return;
        }

        SetState(SessionState.Closed, "closed by the application");
        var channel = _channel;
        if (channel is { IsOpen: true })
        {
            try
            {
                var request = new CloseSessionRequest(channel.Header(0, _options.RequestTimeout, _authenticationToken), DeleteSubscriptions: true);
                await channel.SendAsync<CloseSessionResponse>(request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceResultException e)
            {
                _logger.LogDebug("CloseSession failed: {Reason}", e.Message);
            }

            await channel.CloseAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServiceResultException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug(e, "Closing the session while disposing failed");
        }

        _disposing.Cancel();
        _connected.TrySetException(new ObjectDisposedException(nameof(UaClient)));
        foreach (var subscription in SubscriptionsSnapshot())
        {
            subscription.Complete(null);
        }

        if (_keepAlive is not null)
        {
            await _keepAlive.ConfigureAwait(false);
        }

        await StopPublishingAsync().ConfigureAwait(false);
        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }

        _disposing.Dispose();
        _reconnectLock.Dispose();
    }

    /// <summary>Drops the current connection as a network failure would; the client reconnects. For tests and diagnostics.</summary>
    public void AbortConnection(string reason) => _channel?.Abort(StatusCodes.BadConnectionClosed, reason);

    private async Task<ClientSecureChannel> WaitForChannelAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task connected;
        lock (_stateLock)
        {
            if (_state == SessionState.Closed)
            {
                throw new ServiceResultException(StatusCodes.BadSessionClosed, "the session is closed");
            }

            connected = _connected.Task;
        }

        try
        {
            await connected.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ServiceResultException(StatusCodes.BadNotConnected, $"not connected to {_options.EndpointUrl}: reconnecting has not succeeded within {timeout.TotalSeconds:0.#} s");
        }

        return _channel ?? throw new ServiceResultException(StatusCodes.BadNotConnected, "no channel");
    }

    private async Task DiscoverServerAsync(CancellationToken cancellationToken)
    {
        var wanted = _options.Security!;
        var endpoints = await GetEndpointsAsync(_options, null, cancellationToken).ConfigureAwait(false);
        var endpoint = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == wanted.Policy.Uri && e.SecurityMode == wanted.Mode)
            ?? throw new ServiceResultException(StatusCodes.BadSecurityPolicyRejected, $"{_options.EndpointUrl} offers no endpoint with {wanted}; it offers {string.Join(", ", endpoints.Select(Describe))}");
        var certificate = ChannelSecurity.LoadCertificate(endpoint.ServerCertificate, $"the server's ({_options.EndpointUrl})");
        wanted.ServerCertificates.Validate(certificate, endpoint.Server.ApplicationUri);
        _serverCertificate = certificate;
        ServerEndpoints = endpoints;

        static string Describe(EndpointDescription e) => $"{e.SecurityPolicyUri?[(e.SecurityPolicyUri.LastIndexOf('#') + 1)..]} {e.SecurityMode}";
    }

    private Task<ClientSecureChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        var security = _options.Security is { } wanted
            ? ChannelSecurity.Client(wanted.Policy, wanted.Mode, wanted.Certificate, _serverCertificate!)
            : ChannelSecurity.None;
        return ClientSecureChannel.OpenAsync(_options, security, _logger, _time, cancellationToken);
    }

    private async Task CreateAndActivateSessionAsync(ClientSecureChannel channel, CancellationToken cancellationToken)
    {
        var timeout = _options.RequestTimeout;
        var security = channel.Security;
        var clientNonce = RandomNumberGenerator.GetBytes(SecurityPolicy.NonceLength);
        var create = new CreateSessionRequest(
            channel.Header(0, timeout),
            new ApplicationDescription(_options.ApplicationUri, _options.ProductUri, new LocalizedText(_options.ApplicationName), ApplicationType.Client),
            ServerUri: null,
            EndpointUrl: _options.EndpointUrl,
            SessionName: _options.SessionName ?? $"{_options.ApplicationName} on {Environment.MachineName}",
            ClientNonce: clientNonce,
            ClientCertificate: security.LocalCertificate?.RawData,
            RequestedSessionTimeout: _options.SessionTimeout.TotalMilliseconds,
            MaxResponseMessageSize: _options.Transport.MaxMessageSize);
        var created = await channel.SendAsync<CreateSessionResponse>(create, timeout, cancellationToken).ConfigureAwait(false);
        if (security.Policy is { } policy)
        {
            // The server proves it holds the key of the certificate the channel was opened with.
            if (created.ServerCertificate is not { } presented || !presented.AsSpan().StartsWith(security.RemoteCertificate!.RawData))
            {
                throw new ServiceResultException(StatusCodes.BadCertificateInvalid, "the server's certificate in CreateSession is not the one its endpoint described");
            }

            SessionSignatures.Verify(policy, security.RemotePublicKey!, security.LocalCertificate!.RawData, clientNonce, created.ServerSignature);
        }

        _serverNonce = created.ServerNonce ?? [];
        _sessionServerCertificate = created.ServerCertificate;
        var endpoints = created.ServerEndpoints is { Length: > 0 } described ? described : ServerEndpoints.ToArray();
        await ActivateAsync(channel, created.AuthenticationToken, endpoints, cancellationToken).ConfigureAwait(false);

        SessionId = created.SessionId;
        _authenticationToken = created.AuthenticationToken;
        RevisedSessionTimeout = TimeSpan.FromMilliseconds(created.RevisedSessionTimeout);
        ServerEndpoints = endpoints;
        _logger.LogInformation("Session {SessionId} activated on {Endpoint} for {Identity} (timeout {Timeout} s)", SessionId, _options.EndpointUrl, _options.Identity, RevisedSessionTimeout.TotalSeconds);
    }

    /// <summary>Activates the existing session on a new channel (OPC 10000-4, 5.6.3: a session outlives its channel).</summary>
    private Task ReactivateSessionAsync(ClientSecureChannel channel, CancellationToken cancellationToken) =>
        ActivateAsync(channel, _authenticationToken, ServerEndpoints, cancellationToken);

    /// <summary>
    /// ActivateSession: on a secured channel signs the server's certificate and last nonce with our
    /// key, and presents the user (a password encrypted for the server with that nonce).
    /// </summary>
    private async Task ActivateAsync(ClientSecureChannel channel, NodeId authenticationToken, IReadOnlyList<EndpointDescription> endpoints, CancellationToken cancellationToken)
    {
        var security = channel.Security;
        var clientSignature = new SignatureData(null, null);
        if (security.Policy is { } policy)
        {
            using var key = security.LocalCertificate!.GetRSAPrivateKey()!;
            clientSignature = SessionSignatures.Sign(policy, key, security.RemoteCertificate!.RawData, _serverNonce);
        }

        var activate = new ActivateSessionRequest(
            channel.Header(0, _options.RequestTimeout, authenticationToken),
            clientSignature,
            ClientSoftwareCertificates: null,
            LocaleIds: ["en"],
            UserIdentityToken: new ExtensionObject(IdentityToken(security, endpoints)),
            UserTokenSignature: new SignatureData(null, null));
        var activated = await channel.SendAsync<ActivateSessionResponse>(activate, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        _serverNonce = activated.ServerNonce ?? [];
    }

    /// <summary>The identity token for <see cref="ClientOptions.Identity"/>, by a user token policy the channel's endpoint offers.</summary>
    private IUserIdentityToken IdentityToken(ChannelSecurity security, IReadOnlyList<EndpointDescription> endpoints)
    {
        var identity = _options.Identity;
        var offered = endpoints
            .Where(e => e.SecurityPolicyUri == security.PolicyUri && e.SecurityMode == security.Mode)
            .SelectMany(e => e.UserIdentityTokens ?? [])
            .ToList();
        if (identity.UserName is null)
        {
            var anonymous = offered.FirstOrDefault(t => t.TokenType == UserTokenType.Anonymous);
            return new AnonymousIdentityToken(anonymous?.PolicyId ?? "anonymous");
        }

        var tokenPolicy = offered.FirstOrDefault(t => t.TokenType == UserTokenType.UserName)
            ?? throw new ServiceResultException(StatusCodes.BadIdentityTokenRejected, $"{_options.EndpointUrl} takes no user names on its {security.Policy?.Name ?? "None"} endpoint");
        var policyUri = string.IsNullOrEmpty(tokenPolicy.SecurityPolicyUri) ? security.PolicyUri : tokenPolicy.SecurityPolicyUri;
        if (SecurityPolicy.Find(policyUri) is not { } passwordPolicy)
        {
            // Only a channel that encrypts may carry a password the token policy leaves in the clear.
            return security.EncryptsMessages
                ? new UserNameIdentityToken(tokenPolicy.PolicyId, identity.UserName, System.Text.Encoding.UTF8.GetBytes(identity.Password!), null)
                : throw new ServiceResultException(StatusCodes.BadSecurityPolicyRejected, $"{_options.EndpointUrl} would have the password of {identity} sent in the clear; connect with SignAndEncrypt");
        }

        using var serverCertificate = ChannelSecurity.LoadCertificate(_sessionServerCertificate, "the server's");
        using var serverKey = serverCertificate.GetRSAPublicKey()!;
        return new UserNameIdentityToken(
            tokenPolicy.PolicyId,
            identity.UserName,
            UserTokenSecret.Encrypt(passwordPolicy, serverKey, identity.Password!, _serverNonce),
            passwordPolicy.AsymmetricEncryptionAlgorithmUri);
    }

    private void Attach(ClientSecureChannel channel)
    {
        _channel = channel;
        _ = WatchChannelAsync(channel);
    }

    private async Task WatchChannelAsync(ClientSecureChannel channel)
    {
        var status = await channel.Closed.ConfigureAwait(false);
        if (_disposing.IsCancellationRequested || State == SessionState.Closed)
        {
            return;
        }

        lock (_stateLock)
        {
            if (_state != SessionState.Connected || !ReferenceEquals(channel, _channel))
            {
                return;
            }

            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        SetState(SessionState.Reconnecting, $"connection lost: {status}");
        MarkSubscriptionsDisconnected(_time.GetUtcNow().UtcDateTime);
        _ = Task.Run(ReconnectLoopAsync, CancellationToken.None);
    }

    private async Task ReconnectLoopAsync()
    {
        await _reconnectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var delay = _options.ReconnectDelay;
            while (!_disposing.IsCancellationRequested && State == SessionState.Reconnecting)
            {
                ClientSecureChannel? channel = null;
                try
                {
                    channel = await OpenChannelAsync(_disposing.Token).ConfigureAwait(false);
                    var sessionKept = true;
                    try
                    {
                        await ReactivateSessionAsync(channel, _disposing.Token).ConfigureAwait(false);
                        _logger.LogInformation("Session {SessionId} reactivated on a new channel", SessionId);
                    }
                    catch (ServiceResultException e) when (channel.IsOpen)
                    {
                        _logger.LogInformation("Session {SessionId} could not be reactivated ({Status}); creating a new one", SessionId, e.StatusCode);
                        sessionKept = false;
                        await CreateAndActivateSessionAsync(channel, _disposing.Token).ConfigureAwait(false);
                    }

                    var old = _channel;
                    _channel = channel;
                    if (old is not null)
                    {
                        await old.DisposeAsync().ConfigureAwait(false);
                    }

                    await RestoreSubscriptionsAsync(channel, sessionKept, _disposing.Token).ConfigureAwait(false);
                    lock (_stateLock)
                    {
                        if (_state != SessionState.Reconnecting)
                        {
                            return;
                        }

                        _state = SessionState.Connected;
                        _connected.TrySetResult();
                    }

                    _ = WatchChannelAsync(channel);
                    StateChanged?.Invoke(this, new SessionStateChangedEventArgs(SessionState.Connected, sessionKept ? "session reactivated" : "new session created"));
                    StartPublishing();
                    return;
                }
                catch (Exception e) when (e is ServiceResultException or IOException or System.Net.Sockets.SocketException)
                {
                    _logger.LogDebug("Reconnecting to {Endpoint} failed: {Reason}; next attempt in {Delay} ms", _options.EndpointUrl, e.Message, delay.TotalMilliseconds);
                    if (channel is not null && !ReferenceEquals(channel, _channel))
                    {
                        await channel.DisposeAsync().ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await Task.Delay(delay, _time, _disposing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
        finally
        {
            _reconnectLock.Release();
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        // With subscriptions publishing, their keep-alives prove the connection; otherwise read the server state.
        while (!_disposing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.KeepAliveInterval, _time, _disposing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (State != SessionState.Connected || HasPublishingSubscriptions)
            {
                continue;
            }

            try
            {
                var read = new ReadRequest(new RequestHeader(), 0, TimestampsToReturn.Neither, [new ReadValueId(VariableIds.Server_ServerStatus_State, AttributeIds.Value)]);
                await SendAsync<ReadResponse>(read, _options.KeepAliveInterval * 2, _disposing.Token).ConfigureAwait(false);
            }
            catch (ServiceResultException e)
            {
                _logger.LogInformation("Keep-alive to {Endpoint} failed: {Reason}", _options.EndpointUrl, e.Message);
                if (e.StatusCode.CodeBits is StatusCodes.BadTimeout or StatusCodes.BadRequestTimeout)
                {
                    _channel?.Abort(StatusCodes.BadTimeout, "the server did not answer a keep-alive");
                }
            }
            catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void SetState(SessionState state, string reason)
    {
        lock (_stateLock)
        {
            if (_state == state)
            {
                return;
            }

            _state = state;
            if (state == SessionState.Closed)
            {
                _connected.TrySetException(new ServiceResultException(StatusCodes.BadSessionClosed, "the session is closed"));
            }
            else if (state == SessionState.Connected)
            {
                _connected.TrySetResult();
            }
        }

        StateChanged?.Invoke(this, new SessionStateChangedEventArgs(state, reason));
    }
}

/// <summary>A change of a client's <see cref="SessionState"/>.</summary>
public sealed class SessionStateChangedEventArgs(SessionState state, string reason) : EventArgs
{
    public SessionState State { get; } = state;
    public string Reason { get; } = reason;
}
