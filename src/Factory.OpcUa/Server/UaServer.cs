using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.OpcUa.Server;

/// <summary>
/// An OPC UA server over UA TCP, with the security policies, modes and users its
/// <see cref="ServerOptions.Security"/> offers (None and anonymous users by default). Host code fills
/// <see cref="AddressSpace"/> and updates variable values; clients browse, read, write, call
/// methods and subscribe. Each connection is independent: a client that breaks the protocol
/// loses its own connection and no other.
/// </summary>
public sealed partial class UaServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<ServerConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTime _startTime;
    private readonly BuildInfo _buildInfo;
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private ITimer? _housekeeping;
    private uint _nextChannelId;
    private uint _nextTokenId;

    public UaServer(ServerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Security.Validate();
        Options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<UaServer>();
        Time = time ?? TimeProvider.System;
        AddressSpace = new AddressSpace.AddressSpace(options.ApplicationUri, Time);
        _startTime = Time.GetUtcNow().UtcDateTime;
        var version = typeof(UaServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        _buildInfo = new BuildInfo(options.ProductUri, "Factory", options.ApplicationName, version, version, _startTime);
        AddressSpace.UpdateServerStatus(ServerState.Suspended, _startTime, _buildInfo);

        // Ids start at random points so that a restarted server does not reuse its old ones.
        _nextChannelId = (uint)Random.Shared.Next(1, int.MaxValue / 2);
        _nextTokenId = (uint)Random.Shared.Next(1, int.MaxValue / 2);
        _nextSubscriptionId = (uint)Random.Shared.Next(1, int.MaxValue / 2);
    }

    public ServerOptions Options { get; }
    public AddressSpace.AddressSpace AddressSpace { get; }
    public TimeProvider Time { get; }

    /// <summary>The endpoint URL with the port actually bound (known after <see cref="StartAsync"/>).</summary>
    public string EndpointUrl { get; private set; } = "";

    /// <summary>The port actually bound.</summary>
    public int Port { get; private set; }

    public int ConnectionCount => _connections.Count;

    public int SessionCount => _sessions.Count;

    internal EncodingLimits DecodingLimits { get; } = EncodingLimits.Default;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var address = IPAddress.TryParse(Options.Host, out var ip) ? ip : Dns.GetHostAddresses(Options.Host)[0];
        _listener = new TcpListener(address, Options.Port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            _listener = null;
            throw new ServiceResultException(StatusCodes.BadResourceUnavailable, $"cannot listen on {Options.Host}:{Options.Port}: {e.Message}", e);
        }

        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        EndpointUrl = $"opc.tcp://{Options.Host}:{Port}{Options.Path}";
        AddressSpace.UpdateServerStatus(ServerState.Running, _startTime, _buildInfo);
        _housekeeping = Time.CreateTimer(_ => Housekeeping(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        _logger.LogInformation("OPC UA server listening on {Endpoint}", EndpointUrl);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening, closes every connection and session.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        AddressSpace.UpdateServerStatus(ServerState.Shutdown, _startTime, _buildInfo);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_housekeeping is not null)
        {
            await _housekeeping.DisposeAsync().ConfigureAwait(false);
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        foreach (var session in _sessions.Values)
        {
            CloseSession(session, deleteSubscriptions: true, "the server stopped");
        }

        _logger.LogInformation("OPC UA server on {Endpoint} stopped", EndpointUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal uint NextTokenId() => Interlocked.Increment(ref _nextTokenId);

    internal ResponseHeader ResponseHeader(RequestHeader request, StatusCode result = default) =>
        new(Time.GetUtcNow().UtcDateTime, request.RequestHandle, result);

    internal void OnConnectionClosed(ServerConnection connection) => DropPublishRequests(connection);

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener!.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (InvalidOperationException) when (_stopping.IsCancellationRequested)
            {
                // Stopped before the loop first waited: the listener says it is not listening.
                return;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                _logger.LogWarning("Accepting a connection failed: {Reason}", e.Message);
                continue;
            }

            tcp.NoDelay = true;
            var connection = new ServerConnection(this, tcp, Interlocked.Increment(ref _nextChannelId), _loggerFactory.CreateLogger<ServerConnection>(), Time, _stopping.Token);
            _connections[connection] = Task.Run(async () =>
            {
                await connection.RunAsync().ConfigureAwait(false);
                _connections.TryRemove(connection, out _);
                await connection.DisposeAsync().ConfigureAwait(false);
            });
        }
    }

    private void Housekeeping()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        try
        {
            AddressSpace.GetVariable(VariableIds.Server_ServerStatus_CurrentTime).SetValue(new Variant(now));
            ExpireSessions(now);
            ExpirePublishRequests(now);
            foreach (var connection in _connections.Keys)
            {
                if (connection.TokenExpired(now))
                {
                    _logger.LogInformation("Channel {ChannelId} closed: its security token expired without renewal", connection.ChannelId);
                    connection.Close();
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback must never bring the process down; log and try again next second.
            _logger.LogError(e, "Server housekeeping failed");
        }
    }
}
