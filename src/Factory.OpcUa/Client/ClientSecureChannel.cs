using System.Collections.Concurrent;
using System.Net.Sockets;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;

namespace Factory.OpcUa.Client;

/// <summary>
/// The client end of one UA TCP connection and the secure channel on it (OPC 10000-6, 7.1 and
/// 6.7): Hello/Acknowledge, OpenSecureChannel with renewal at 75% of the token lifetime, and
/// requests matched to responses by RequestId with any number in flight. When the connection
/// fails every request in flight fails with the reason, and <see cref="Closed"/> completes.
/// </summary>
internal sealed class ClientSecureChannel : IAsyncDisposable
{
    private readonly UaTcpFrameStream _frames;
    private readonly TcpClient _tcp;
    private readonly ClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<IEncodeable>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<StatusCode> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SecureChannelCodec? _codec;
    private Task? _receiveLoop;
    private ITimer? _renewTimer;
    private uint _nextRequestId;
    private uint _channelId;
    private uint _tokenId;
    private uint _previousTokenId;

    // The newest token the server issued, recorded by the receive loop as soon as the OPN
    // response is read: a server may secure what follows it with the new token before our
    // OpenAsync continuation has run (ours waits for the client to use it, others need not).
    private volatile uint _issuedTokenId;

    // The nonce of the OpenSecureChannel request in flight, for the keys of the token it brings.
    private volatile byte[] _clientNonce = [];
    private int _closing;

    private ClientSecureChannel(TcpClient tcp, Stream stream, ClientOptions options, ChannelSecurity security, ILogger logger, TimeProvider time)
    {
        Security = security;
        _tcp = tcp;
        _frames = new UaTcpFrameStream(stream, options.FrameTimeout);
        _options = options;
        _logger = logger;
        _time = time;
    }

    public string EndpointUrl => _options.EndpointUrl;
    public uint ChannelId => _channelId;
    public uint TokenId => _tokenId;

    /// <summary>The channel's policy, mode and certificates.</summary>
    public ChannelSecurity Security { get; }

    /// <summary>Completes with the status that ended the channel (Good after a normal close).</summary>
    public Task<StatusCode> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>Connects and opens a secure channel with <paramref name="security"/> (None, or a policy with both certificates).</summary>
    public static async Task<ClientSecureChannel> OpenAsync(ClientOptions options, ChannelSecurity security, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var (host, port) = EndpointAddress.Parse(options.EndpointUrl);
        var tcp = new TcpClient { NoDelay = true };
        ClientSecureChannel? channel = null;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await tcp.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ServiceResultException(StatusCodes.BadTimeout, $"no connection to {options.EndpointUrl} within {options.ConnectTimeout.TotalSeconds:0.#} s");
                }
                catch (SocketException e)
                {
                    throw new ServiceResultException(StatusCodes.BadNotConnected, $"cannot connect to {options.EndpointUrl}: {e.Message}", e);
                }
            }

            channel = new ClientSecureChannel(tcp, tcp.GetStream(), options, security, logger, time);
            await channel.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return channel;
        }
        catch
        {
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                tcp.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Sends a request and waits for its response. A ServiceFault, an abort chunk, a timeout or
    /// the loss of the channel throws <see cref="ServiceResultException"/> with the reason.
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(IServiceRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        where TResponse : IServiceResponse
    {
        var response = await SendRawAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        return response switch
        {
            // A bad service result fails the call whether it comes as a ServiceFault or in the
            // header of the typed response (OPC 10000-4, 7.34).
            IServiceResponse { ResponseHeader.ServiceResult.IsBad: true } failed =>
                throw new ServiceResultException(failed.ResponseHeader.ServiceResult, $"{request.GetType().Name} failed"),
            TResponse typed => typed,
            _ => throw new ServiceResultException(StatusCodes.BadUnknownResponse, $"{request.GetType().Name} was answered with {response.GetType().Name}"),
        };
    }

    /// <summary>Closes the channel politely: CloseSecureChannel, then the socket.</summary>
    public async Task CloseAsync()
    {
        if (_codec is not null && IsOpen)
        {
            try
            {
                var request = new CloseSecureChannelRequest(Header(0, TimeSpan.Zero));
                var requestId = Interlocked.Increment(ref _nextRequestId);
                using var message = SecureChannelCodec.Encode(TcpMessageType.CloseSecureChannel, request, null);
                await SendSealedAsync(message, requestId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ServiceResultException or ObjectDisposedException or SocketException)
            {
                _logger.LogDebug(e, "CloseSecureChannel to {Endpoint} was not sent", EndpointUrl);
            }
        }

        Fault(StatusCodes.Good, "closed by the client");
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }
    }

    /// <summary>Drops the connection at once, as a network failure would.</summary>
    public void Abort(StatusCode status, string reason) => Fault(status, reason);

    public async ValueTask DisposeAsync()
    {
        Fault(StatusCodes.BadConnectionClosed, "the channel was disposed");
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

        if (_renewTimer is not null)
        {
            await _renewTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _frames.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        Security.Dispose();
    }

    internal RequestHeader Header(uint requestHandle, TimeSpan timeout, NodeId authenticationToken = default) =>
        new(authenticationToken, _time.GetUtcNow().UtcDateTime, requestHandle, 0, null, (uint)Math.Min(uint.MaxValue, timeout.TotalMilliseconds));

    private async Task<IEncodeable> SendRawAsync(IServiceRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new ServiceResultException(StatusCodes.BadSecureChannelClosed, $"the channel to {EndpointUrl} is closed");
        }

        var requestId = Interlocked.Increment(ref _nextRequestId);
        var header = request.RequestHeader;
        if (header.RequestHandle == 0 || header.TimeoutHint == 0)
        {
            request = request.WithRequestHeader(header with
            {
                RequestHandle = header.RequestHandle == 0 ? requestId : header.RequestHandle,
                Timestamp = _time.GetUtcNow().UtcDateTime,
                TimeoutHint = header.TimeoutHint == 0 ? (uint)Math.Min(uint.MaxValue, timeout.TotalMilliseconds) : header.TimeoutHint,
            });
        }

        var completion = new TaskCompletionSource<IEncodeable>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = completion;
        try
        {
            var messageType = request is OpenSecureChannelRequest ? TcpMessageType.OpenSecureChannel : TcpMessageType.Message;
            using (var message = SecureChannelCodec.Encode(messageType, request, messageType == TcpMessageType.OpenSecureChannel ? Security.Header : null))
            {
                await SendSealedAsync(message, requestId, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await completion.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new ServiceResultException(StatusCodes.BadTimeout, $"{request.GetType().Name} got no response within {timeout.TotalSeconds:0.###} s");
            }
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    private async Task SendSealedAsync(OutgoingMessage message, uint requestId, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = _codec!.Seal(message, _channelId, _tokenId, requestId, StatusCodes.BadRequestTooLarge);
            await _frames.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Fault(StatusCodes.BadConnectionClosed, $"sending failed: {e.Message}");
            throw new ServiceResultException(StatusCodes.BadConnectionClosed, $"the connection to {EndpointUrl} failed while sending", e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var limits = _options.Transport;
        var hello = new HelloMessage(0, limits.ReceiveBufferSize, limits.SendBufferSize, limits.MaxMessageSize, limits.MaxChunkCount, _options.EndpointUrl);
        using (var frame = UaTcpFrameStream.BuildFrame(TcpMessageType.Hello, hello.Encode))
        {
            await _frames.WriteAsync(frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        using var ackTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ackTimeout.CancelAfter(_options.ConnectTimeout);
        Frame reply;
        try
        {
            reply = await _frames.ReadFrameAsync(TransportLimits.MinBufferSize * 8, ackTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceResultException(StatusCodes.BadTimeout, $"{EndpointUrl} did not acknowledge Hello within {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }

        using (reply)
        {
            var decoder = new BinaryDecoder(reply.Body);
            if (reply.MessageType == TcpMessageType.Error)
            {
                var error = ErrorMessage.Decode(decoder);
                throw new ServiceResultException(error.Error, $"{EndpointUrl} refused the connection: {error.Reason}");
            }

            if (reply.MessageType != TcpMessageType.Acknowledge)
            {
                throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"{EndpointUrl} answered Hello with {TcpMessageType.Name(reply.MessageType)}");
            }

            var ack = AcknowledgeMessage.Decode(decoder);
            if (ack.SendBufferSize > limits.ReceiveBufferSize || ack.ReceiveBufferSize > limits.SendBufferSize ||
                ack.ReceiveBufferSize < TransportLimits.MinBufferSize || ack.SendBufferSize < TransportLimits.MinBufferSize)
            {
                throw new ServiceResultException(StatusCodes.BadTcpInternalError, $"{EndpointUrl} acknowledged buffer sizes outside what was offered ({ack.ReceiveBufferSize}/{ack.SendBufferSize})");
            }

            _codec = new SecureChannelCodec(new NegotiatedLimits(
                ReceiveBufferSize: ack.SendBufferSize,
                SendBufferSize: ack.ReceiveBufferSize,
                MaxReceiveMessageSize: limits.MaxMessageSize,
                MaxReceiveChunkCount: limits.MaxChunkCount,
                MaxSendMessageSize: ack.MaxMessageSize,
                MaxSendChunkCount: ack.MaxChunkCount))
            {
                Security = Security,
            };
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        try
        {
            await OpenAsync(SecurityTokenRequestType.Issue, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceResultException e) when (Security.LocalCertificate is { } own && e.StatusCode.CodeBits is StatusCodes.BadSecurityChecksFailed or StatusCodes.BadCertificateUntrusted)
        {
            // Servers say little on purpose; the likely cause is a certificate nobody approved yet.
            throw new ServiceResultException(e.StatusCode, $"{EndpointUrl} refused to open a {Security.Policy!.Name} {Security.Mode} channel ({e.Message}). If it does not trust this application's certificate yet ({own.Subject}, thumbprint {own.Thumbprint}), its operator must trust it.", e);
        }

        _logger.LogDebug("Secure channel {ChannelId} open to {Endpoint}", _channelId, EndpointUrl);
    }

    private async Task OpenAsync(SecurityTokenRequestType requestType, CancellationToken cancellationToken)
    {
        var clientNonce = Security.NewNonce();
        _clientNonce = clientNonce;
        var request = new OpenSecureChannelRequest(
            Header(0, _options.RequestTimeout),
            ClientProtocolVersion: 0,
            RequestType: requestType,
            SecurityMode: Security.Mode,
            ClientNonce: clientNonce,
            RequestedLifetime: (uint)_options.SecureChannelLifetime.TotalMilliseconds);
        var response = await SendAsync<OpenSecureChannelResponse>(request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var token = response.SecurityToken;
        if (requestType == SecurityTokenRequestType.Issue)
        {
            _channelId = token.ChannelId;
        }
        else if (token.ChannelId != _channelId)
        {
            throw new ServiceResultException(StatusCodes.BadSecureChannelIdInvalid, $"a renewed token names channel {token.ChannelId}, not {_channelId}");
        }

        // From now on requests use the new token; responses may still come with the old one.
        _previousTokenId = _tokenId;
        _tokenId = token.TokenId;
        var lifetime = TimeSpan.FromMilliseconds(Math.Max(1000, token.RevisedLifetime));
        _renewTimer?.Dispose();
        _renewTimer = _time.CreateTimer(_ => _ = RenewAsync(), null, lifetime * 0.75, Timeout.InfiniteTimeSpan);
    }

    private async Task RenewAsync()
    {
        if (!IsOpen)
        {
            return;
        }

        try
        {
            await OpenAsync(SecurityTokenRequestType.Renew, _stop.Token).ConfigureAwait(false);
            _logger.LogDebug("Secure channel {ChannelId} renewed: token {TokenId}", _channelId, _tokenId);
        }
        catch (Exception e) when (e is ServiceResultException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("Renewing secure channel {ChannelId} to {Endpoint} failed: {Reason}", _channelId, EndpointUrl, e.Message);
            Fault(StatusCodes.BadSecureChannelClosed, $"renewing the security token failed: {e.Message}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var types = StandardTypes.All;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var frame = await _frames.ReadFrameAsync(_codec!.Limits.ReceiveBufferSize, _stop.Token).ConfigureAwait(false);
                switch (frame.MessageType)
                {
                    case TcpMessageType.Error:
                        var error = ErrorMessage.Decode(new BinaryDecoder(frame.Body));
                        Fault(error.Error, $"the server ended the connection: {error.Reason}");
                        return;
                    case TcpMessageType.Message:
                    case TcpMessageType.OpenSecureChannel:
                        using (var message = _codec.Receive(frame))
                        {
                            if (message is not null)
                            {
                                Dispatch(message, types);
                            }
                        }

                        break;
                    default:
                        throw new ServiceResultException(StatusCodes.BadTcpMessageTypeInvalid, $"a server does not send {TcpMessageType.Name(frame.MessageType)} on an open channel");
                }
            }
        }
        catch (ServiceResultException e)
        {
            Fault(e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closed by us; Fault already recorded why.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fault(StatusCodes.BadConnectionClosed, $"the connection to {EndpointUrl} was lost: {e.Message}");
        }
        finally
        {
            _codec?.Reset();
        }
    }

    private void Dispatch(IncomingMessage message, EncodeableTypes types)
    {
        if (message.MessageType == TcpMessageType.Message)
        {
            if (message.SecureChannelId != _channelId)
            {
                throw new ServiceResultException(StatusCodes.BadTcpSecureChannelUnknown, $"a message for channel {message.SecureChannelId} arrived on channel {_channelId}");
            }

            if (message.TokenId != _tokenId && message.TokenId != _previousTokenId && message.TokenId != _issuedTokenId)
            {
                throw new ServiceResultException(StatusCodes.BadSecureChannelTokenUnknown, $"a message uses token {message.TokenId}, which this channel does not have");
            }
        }

        if (!_pending.TryGetValue(message.RequestId, out var completion))
        {
            _logger.LogDebug("Response to request {RequestId} arrived after its caller stopped waiting", message.RequestId);
            return;
        }

        if (message.Abort is { } abort)
        {
            completion.TrySetException(new ServiceResultException(abort.Error, $"the server aborted the response: {abort.Reason}"));
            return;
        }

        IEncodeable response;
        try
        {
            response = new BinaryDecoder(message.Body, types).ReadMessage();
        }
        catch (DecodingException e)
        {
            // A response that does not decode means the peer is broken; the channel cannot be trusted.
            throw new ServiceResultException(e.StatusCode, $"a response could not be decoded: {e.Message}", e);
        }

        if (response is OpenSecureChannelResponse opened && opened.SecurityToken is { } issued)
        {
            // The keys of the new token, before any message secured with it can arrive.
            Security.CheckNonce(opened.ServerNonce, "server's");
            Security.AddToken(issued.TokenId, _clientNonce, opened.ServerNonce ?? []);
            _issuedTokenId = issued.TokenId;
        }

        completion.TrySetResult(response);
    }

    private void Fault(StatusCode status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        if (status.IsBad)
        {
            _logger.LogInformation("Secure channel {ChannelId} to {Endpoint} closed: {Status} {Reason}", _channelId, EndpointUrl, status, reason);
        }

        _stop.Cancel();
        _renewTimer?.Dispose();
        try
        {
            _tcp.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _tcp.Close();
        var failure = new ServiceResultException(status.IsGood ? StatusCodes.BadSecureChannelClosed : status, $"the channel to {EndpointUrl} closed: {reason}");
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(failure);
        }

        _closed.TrySetResult(status);
    }
}
