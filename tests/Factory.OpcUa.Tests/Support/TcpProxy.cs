using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Factory.OpcUa.Tests.Support;

/// <summary>
/// A TCP relay on a free loopback port in front of a server, so a test can cut the network
/// between client and server mid-stream (<see cref="Cut"/>) or refuse new connections for a
/// while (<see cref="Block"/>), the way a pulled cable or a switch reboot would.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<(TcpClient, TcpClient), byte> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private volatile bool _blocked;
    private volatile TaskCompletionSource _flowing = Completed();
    private volatile TaskCompletionSource<int>? _flip;

    public TcpProxy(int targetPort)
    {
        TargetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }
    public int TargetPort { get; set; }
    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}";

    /// <summary>Connections relayed since the proxy started.</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Drops every open connection at once, in both directions.</summary>
    public void Cut()
    {
        foreach (var (client, server) in _links.Keys)
        {
            try
            {
                // A reset, not a graceful close.
                client.Client?.LingerState = new LingerOption(true, 0);
            }
            catch (ObjectDisposedException)
            {
                // The link closed itself meanwhile (one end hung up): nothing left to reset.
            }

            client.Close();
            server.Close();
        }

        _links.Clear();
    }

    /// <summary>While blocked, new connections are accepted and closed at once.</summary>
    public void Block(bool blocked) => _blocked = blocked;

    /// <summary>
    /// Stops relaying bytes without closing anything, as a dead switch would: both ends see a
    /// connection that is open and silent. <see cref="Thaw"/> lets the bytes flow again.
    /// </summary>
    public void Freeze() => _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Thaw() => _flowing.TrySetResult();

    /// <summary>
    /// Flips one byte inside the next MSG chunk a client sends on a secured channel (one whose OPN
    /// named a policy other than None), past its headers, as an attacker on the wire or a bad
    /// switch would. Completes with the chunk's offset in the read.
    /// </summary>
    public Task<int> FlipByteInNextClientMessage()
    {
        var flipped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _flip = flipped;
        return flipped.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_blocked)
            {
                client.Close();
                continue;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, TargetPort, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Close();
                server.Dispose();
                continue;
            }

            ConnectionCount++;
            _links[(client, server)] = 0;
            _ = RelayAsync(client, server);
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool upstream)
    {
        var buffer = new byte[64 * 1024];
        var secured = false;
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            var data = buffer.AsSpan(0, read);
            if (upstream && data.IndexOf("OPNF"u8) >= 0 && data.IndexOf("SecurityPolicy#"u8) >= 0 && data.IndexOf("SecurityPolicy#None"u8) < 0)
            {
                secured = true;
            }

            if (upstream && secured && _flip is { } flip)
            {
                var at = buffer.AsSpan(0, read).IndexOf("MSGF"u8);
                if (at >= 0 && read - at > 40)
                {
                    _flip = null;
                    buffer[at + 32] ^= 0x5A;
                    flip.TrySetResult(at);
                }
            }

            // A frozen link holds what it has read until thawed (or cut).
            await _flowing.Task.WaitAsync(_stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        try
        {
            var up = PumpAsync(client.GetStream(), server.GetStream(), upstream: true);
            var down = PumpAsync(server.GetStream(), client.GetStream(), upstream: false);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A cut link or a closed end: both ends are closed below.
        }
        finally
        {
            _links.TryRemove((client, server), out _);
            client.Close();
            server.Close();
        }
    }
}
