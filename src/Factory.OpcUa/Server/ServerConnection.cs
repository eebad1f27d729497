using System.Net.Sockets;
using System.Threading.Channels;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Server;

/// <summary>
/// The server end of one UA TCP connection and its secure channel (OPC 10000-6, 7.1 and 6.7).
/// Anything that breaks the protocol ends this connection, and only this one, with an ERR
/// message naming the status; requests are handed to the server as they arrive, and responses
/// leave in the order they were queued.
/// </summary>
internal sealed class ServerConnection : IAsyncDisposable
{
    private readonly UaServer _server;
    private readonly TcpClient _tcp;
    private readonly UaTcpFrameStream _frames;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly Channel<(uint RequestId, IServiceResponse Response)> _outbox =
        Channel.CreateUnbounded<(uint, IServiceResponse)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SecureChannelCodec? _codec;
    private uint _tokenId;
    private uint _previousTokenId;

    // The token what we send is secured with: the old one after a renewal until the client uses
    // the new one (OPC 10000-4, 5.6.2.1). Written by the receive loop, read by the write loop.
    private volatile uint _sendTokenId;
    private DateTime _tokenExpiry;
    private int _closing;

    public ServerConnection(UaServer server, TcpClient tcp, uint channelId, ILogger logger, TimeProvider time, CancellationToken serverStopping)
    {
        _server = server;
        _tcp = tcp;
        _frames = new UaTcpFrameStream(tcp.GetStream(), server.Options.FrameTimeout);
        ChannelId = channelId;
        _logger = logger;
        _time = time;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        RemoteEndpoint = tcp.Client.RemoteEndPoint?.ToString() ?? "?";
    }

    public uint ChannelId { get; }
    public string RemoteEndpoint { get; }
    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>Completes when the connection has ended.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The channel's policy, mode and certificates (None until the first OpenSecureChannel).</summary>
    public ChannelSecurity Security => _codec?.Security ?? ChannelSecurity.None;

    /// <summary>
    /// A None channel on a server that offers no None endpoint: it may discover the endpoints
    /// (GetEndpoints, FindServers) and do nothing else.
    /// </summary>
    public bool DiscoveryOnly => Security.Policy is null && !_server.Options.Security.OffersNone;

    /// <summary>The endpoint URL the client gave in its Hello.</summary>
    public string? EndpointUrl { get; private set; }

    /// <summary>Runs the connection until it ends; never throws.</summary>
    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        try
        {
            await HandshakeAsync().ConfigureAwait(false);
            while (!_stop.IsCancellationRequested)
            {
                using var frame = await _frames.ReadFrameAsync(_codec!.Limits.ReceiveBufferSize, _stop.Token).ConfigureAwait(false);
                if (!await HandleFrameAsync(frame).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (ServiceResultException e)
        {
            if (e.StatusCode.CodeBits != StatusCodes.BadConnectionClosed)
            {
                _logger.LogInformation("Connection {Remote} (channel {ChannelId}) ended: {Reason}", RemoteEndpoint, ChannelId, e.Message);
                await SendErrorAsync(e.StatusCode, e.Message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Server stopping or connection closed by us.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Connection {Remote} lost: {Reason}", RemoteEndpoint, e.Message);
        }
        finally
        {
            Close();
            _codec?.Reset();
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>Queues a response; responses leave in the order they were queued.</summary>
    public void Send(uint requestId, IServiceResponse response)
    {
        if (!_outbox.Writer.TryWrite((requestId, response)))
        {
            _logger.LogDebug("Response to request {RequestId} dropped: connection {Remote} is closed", requestId, RemoteEndpoint);
        }
    }

    /// <summary>Ends the connection at once (no ERR message).</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        _stop.Cancel();
        try
        {
            _tcp.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        _tcp.Close();
        _closed.TrySetResult();
        _server.OnConnectionClosed(this);
    }

    public async ValueTask DisposeAsync()
    {
        // Another thread's Close (the server stopping) may be half way: wait for it before disposing what it
        // uses, or its Cancel meets a disposed token source (seen once in CI).
        Close();
        await _closed.Task.ConfigureAwait(false);
        await _frames.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
        Security.Dispose();
    }

    /// <summary>True when the current security token has outlived its lifetime without renewal.</summary>
    public bool TokenExpired(DateTime now) => _codec is not null && _tokenId != 0 && now > _tokenExpiry;

    private async Task HandshakeAsync()
    {
        using var helloDeadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        helloDeadline.CancelAfter(_server.Options.FrameTimeout);
        Frame frame;
        try
        {
            frame = await _frames.ReadFrameAsync(_server.Options.Transport.ReceiveBufferSize, helloDeadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            throw new ServiceResultException(StatusCodes.BadTimeout, $"no Hello within {_server.Options.FrameTimeout.TotalSeconds:0.#} s");
        }

        using (frame)
        {
            if (frame.MessageType != TcpMessageType.Hello)
            {
                throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"the first message must be HEL, not {TcpMessageType.Name(frame.MessageType)}");
            }

            HelloMessage hello;
            try
            {
                var decoder = new BinaryDecoder(frame.Body, limits: EncodingLimits.Default with { MaxStringLength = HelloMessage.MaxEndpointUrlLength });
                hello = HelloMessage.Decode(decoder);
            }
            catch (DecodingException e) when (e.StatusCode.CodeBits == StatusCodes.BadEncodingLimitsExceeded)
            {
                throw new ServiceResultException(StatusCodes.BadTcpEndpointUrlInvalid, $"the EndpointUrl of the Hello is longer than {HelloMessage.MaxEndpointUrlLength} bytes");
            }
            catch (DecodingException e)
            {
                throw new ServiceResultException(StatusCodes.BadDecodingError, $"the Hello message is malformed: {e.Message}");
            }

            if (hello.ReceiveBufferSize < TransportLimits.MinBufferSize || hello.SendBufferSize < TransportLimits.MinBufferSize)
            {
                throw new ServiceResultException(StatusCodes.BadTcpNotEnoughResources, $"buffer sizes {hello.ReceiveBufferSize}/{hello.SendBufferSize} are below the minimum of {TransportLimits.MinBufferSize}");
            }

            var ours = _server.Options.Transport;
            var limits = new NegotiatedLimits(
                ReceiveBufferSize: Math.Min(ours.ReceiveBufferSize, hello.SendBufferSize),
                SendBufferSize: Math.Min(ours.SendBufferSize, hello.ReceiveBufferSize),
                MaxReceiveMessageSize: ours.MaxMessageSize,
                MaxReceiveChunkCount: ours.MaxChunkCount,
                MaxSendMessageSize: hello.MaxMessageSize,
                MaxSendChunkCount: hello.MaxChunkCount);
            _codec = new SecureChannelCodec(limits) { AcceptOpenSecurity = AcceptOpenSecurity };
            EndpointUrl = hello.EndpointUrl;

            var ack = new AcknowledgeMessage(0, limits.ReceiveBufferSize, limits.SendBufferSize, ours.MaxMessageSize, ours.MaxChunkCount);
            using var reply = UaTcpFrameStream.BuildFrame(TcpMessageType.Acknowledge, ack.Encode);
            await _frames.WriteAsync(reply.WrittenMemory, _stop.Token).ConfigureAwait(false);
        }
    }

    /// <returns>False when the client closed the channel.</returns>
    private async Task<bool> HandleFrameAsync(Frame frame)
    {
        switch (frame.MessageType)
        {
            case TcpMessageType.OpenSecureChannel:
            case TcpMessageType.Message:
            case TcpMessageType.CloseSecureChannel:
                break;
            default:
                throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"a {TcpMessageType.Name(frame.MessageType)} is not allowed on an open connection");
        }

        if (frame.MessageType != TcpMessageType.OpenSecureChannel && _tokenId == 0)
        {
            throw new ServiceResultException(StatusCodes.BadTcpSecureChannelUnknown, $"a {TcpMessageType.Name(frame.MessageType)} arrived before the secure channel was opened");
        }

        using var message = _codec!.Receive(frame);
        if (message is null)
        {
            return true;
        }

        if (message.Abort is not null)
        {
            // The client gave up on a request it had started to send (OPC 10000-6, 6.7.3).
            return true;
        }

        if (message.MessageType != TcpMessageType.OpenSecureChannel)
        {
            CheckChannelAndToken(message);
        }

        IEncodeable body;
        try
        {
            body = new BinaryDecoder(message.Body, StandardTypes.All, _server.DecodingLimits).ReadMessage();
        }
        catch (DecodingException e)
        {
            throw new ServiceResultException(e.StatusCode, $"request {message.RequestId} could not be decoded: {e.Message}");
        }

        switch (message.MessageType)
        {
            case TcpMessageType.OpenSecureChannel:
                await OpenSecureChannelAsync(message, body).ConfigureAwait(false);
                return true;
            case TcpMessageType.CloseSecureChannel:
                _logger.LogDebug("Channel {ChannelId} closed by the client", ChannelId);
                return false;
            default:
                if (body is not IServiceRequest request)
                {
                    throw new ServiceResultException(StatusCodes.BadDecodingError, $"request {message.RequestId} is a {body.GetType().Name}, not a service request");
                }

                _server.Dispatch(this, message.RequestId, request);
                return true;
        }
    }

    private void CheckChannelAndToken(IncomingMessage message)
    {
        if (message.SecureChannelId != ChannelId)
        {
            throw new ServiceResultException(StatusCodes.BadTcpSecureChannelUnknown, $"a message names channel {message.SecureChannelId}; this is channel {ChannelId}");
        }

        if (message.TokenId == _tokenId)
        {
            // The client uses the newest token; the one before it is no longer accepted (6.7.5),
            // and what we send is secured with the new one from now on.
            _previousTokenId = 0;
            _sendTokenId = _tokenId;
            _codec!.Security.DropTokensBefore(_tokenId);
        }
        else if (message.TokenId == 0 || message.TokenId != _previousTokenId)
        {
            throw new ServiceResultException(StatusCodes.BadSecureChannelTokenUnknown, $"token {message.TokenId} is not valid on channel {ChannelId}");
        }

        if (TokenExpired(_time.GetUtcNow().UtcDateTime))
        {
            throw new ServiceResultException(StatusCodes.BadSecureChannelTokenUnknown, $"the security token of channel {ChannelId} expired without renewal");
        }
    }

    private async Task OpenSecureChannelAsync(IncomingMessage message, IEncodeable body)
    {
        if (body is not OpenSecureChannelRequest request)
        {
            throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"an OPN message carries a {body.GetType().Name}");
        }

        var security = _codec!.Security;
        if (request.RequestType == SecurityTokenRequestType.Issue && _tokenId == 0)
        {
            var offered = security.Policy is null
                ? request.SecurityMode == MessageSecurityMode.None
                : _server.Options.Security.Endpoints.Any(e => e.Policy == security.Policy && e.Mode == request.SecurityMode);
            if (!offered)
            {
                throw new ServiceResultException(StatusCodes.BadSecurityModeRejected, $"security mode {request.SecurityMode} is not offered with policy {security.Policy?.Name ?? "None"}; this server offers {string.Join(", ", _server.Options.Security.Endpoints)}");
            }

            security.Mode = request.SecurityMode;
        }
        else if (request.SecurityMode != security.Mode)
        {
            throw new ServiceResultException(StatusCodes.BadSecurityModeRejected, $"a renewal asks for mode {request.SecurityMode}; the channel was opened with {security.Mode}");
        }

        security.CheckNonce(request.ClientNonce, "client's");
        if (request.RequestType == SecurityTokenRequestType.Issue && _tokenId != 0)
        {
            throw new ServiceResultException(StatusCodes.BadTcpSecureChannelUnknown, "the channel is already open; a renewal must say Renew");
        }

        if (request.RequestType == SecurityTokenRequestType.Renew && (_tokenId == 0 || message.SecureChannelId != ChannelId))
        {
            throw new ServiceResultException(StatusCodes.BadTcpSecureChannelUnknown, $"Renew names channel {message.SecureChannelId}, which is not open on this connection");
        }

        var options = _server.Options;
        var lifetime = TimeSpan.FromMilliseconds(Math.Clamp(
            request.RequestedLifetime == 0 ? options.MaxSecureChannelLifetime.TotalMilliseconds : request.RequestedLifetime,
            options.MinSecureChannelLifetime.TotalMilliseconds,
            options.MaxSecureChannelLifetime.TotalMilliseconds));
        var now = _time.GetUtcNow().UtcDateTime;
        _previousTokenId = _tokenId;
        _tokenId = _server.NextTokenId();
        if (request.RequestType == SecurityTokenRequestType.Issue)
        {
            _sendTokenId = _tokenId;
        }

        // A token may be used a little beyond its lifetime while the renewal travels (6.7.4).
        _tokenExpiry = now + (lifetime * 1.25);
        var token = new ChannelSecurityToken(ChannelId, _tokenId, now, (uint)lifetime.TotalMilliseconds);
        var serverNonce = security.NewNonce();
        security.AddToken(_tokenId, request.ClientNonce ?? [], serverNonce);
        var response = new OpenSecureChannelResponse(_server.ResponseHeader(request.RequestHeader), 0, token, serverNonce);

        // The OPN response goes out directly, ahead of queued responses, because the client
        // waits for it before it uses the new token.
        using var outgoing = SecureChannelCodec.Encode(TcpMessageType.OpenSecureChannel, response, security.Header);
        await WriteSealedAsync(outgoing, message.RequestId, _tokenId).ConfigureAwait(false);
    }

    /// <summary>
    /// The security an OPN chunk asks for, from its header: the first chooses the channel's policy
    /// (one offered, or None for discovery) and presents the client's certificate, which must be
    /// valid and trusted; a renewal must keep both.
    /// </summary>
    private ChannelSecurity AcceptOpenSecurity(AsymmetricSecurityHeader header)
    {
        var current = _codec!.Security;
        if (_tokenId != 0)
        {
            return current.Matches(header)
                ? current
                : throw new ServiceResultException(StatusCodes.BadSecurityChecksFailed, "a renewal must keep the channel's security policy and client certificate");
        }

        if (header.SecurityPolicyUri == SecurityPolicies.None)
        {
            return ChannelSecurity.None;
        }

        var options = _server.Options.Security;
        var policy = SecurityPolicy.Find(header.SecurityPolicyUri);
        if (policy is null || options.Endpoints.All(e => e.Policy != policy))
        {
            throw new ServiceResultException(StatusCodes.BadSecurityPolicyRejected, $"security policy '{header.SecurityPolicyUri}' is not offered; this server offers {string.Join(", ", options.Endpoints)}");
        }

        var serverCertificate = options.Certificate!;
        if (header.ReceiverCertificateThumbprint is not { } thumbprint || !thumbprint.AsSpan().SequenceEqual(ChannelSecurity.Thumbprint(serverCertificate)))
        {
            throw new ServiceResultException(StatusCodes.BadCertificateInvalid, "the OpenSecureChannel request is encrypted for another certificate than this server's");
        }

        var clientCertificate = ChannelSecurity.LoadCertificate(header.SenderCertificate, "the client's");
        try
        {
            options.ClientCertificates!.Validate(clientCertificate, applicationUri: null);
        }
        catch
        {
            clientCertificate.Dispose();
            throw;
        }

        var security = ChannelSecurity.Server(policy, MessageSecurityMode.Invalid, serverCertificate, clientCertificate);
        _codec.Security = security;
        return security;
    }

    private async Task WriteSealedAsync(OutgoingMessage outgoing, uint requestId, uint tokenId)
    {
        await _writeLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                bytes = _codec!.Seal(outgoing, ChannelId, tokenId, requestId, StatusCodes.BadResponseTooLarge);
            }
            catch (ServiceResultException e) when (e.StatusCode.CodeBits == StatusCodes.BadResponseTooLarge)
            {
                // Nothing of it was sent: tell the client with an abort chunk and keep the channel.
                _logger.LogInformation("Response to request {RequestId} on channel {ChannelId} not sent: {Reason}", requestId, ChannelId, e.Message);
                using var abort = new BinaryEncoder(256);
                bytes = _codec!.SealAbort(abort, outgoing.MessageType, ChannelId, tokenId, requestId, new ErrorMessage(e.StatusCode, e.Message));
                await _frames.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
                return;
            }

            await _frames.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var (requestId, response) in _outbox.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                using var outgoing = SecureChannelCodec.Encode(TcpMessageType.Message, response, null);
                await WriteSealedAsync(outgoing, requestId, _sendTokenId).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Writing to {Remote} failed: {Reason}", RemoteEndpoint, e.Message);
            Close();
        }
    }

    private async Task SendErrorAsync(StatusCode status, string reason)
    {
        try
        {
            using var frame = UaTcpFrameStream.BuildFrame(TcpMessageType.Error, new ErrorMessage(status, reason).Encode);
            if (!await _writeLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _frames.WriteAsync(frame.WrittenMemory, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            _logger.LogDebug("ERR to {Remote} not delivered: {Reason}", RemoteEndpoint, e.Message);
        }
    }
}
