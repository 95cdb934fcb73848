using System.Net.Sockets;

namespace Havale.Api.Tests.Infrastructure;

/// <summary>
/// A TCP relay on 127.0.0.1 between a gateway and its PostgreSQL, which a test can cut: every open connection is reset
/// and nothing listens on the port any more, exactly what a gateway sees when its database server stops, without
/// stopping the server the other tests share. <see cref="Open"/> listens again on the same port.
/// </summary>
public sealed class TcpFaultProxy : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly IPEndPoint _target;
    private readonly List<Socket> _sockets = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource _open = new();

    public TcpFaultProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost == "localhost" ? "127.0.0.1" : targetHost), targetPort);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Open();
    }

    public int Port { get; }

    public bool IsOpen { get; private set; }

    public void Open()
    {
        lock (_lock)
        {
            if (IsOpen)
            {
                return;
            }
            _open = new CancellationTokenSource();
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            IsOpen = true;
            _ = AcceptAsync(_listener, _open.Token);
        }
    }

    /// <summary>Stops listening (new connections are refused) and resets every relayed connection.</summary>
    public void Cut()
    {
        lock (_lock)
        {
            if (!IsOpen)
            {
                return;
            }
            IsOpen = false;
            _open.Cancel();
            _listener!.Stop();
            foreach (var socket in _sockets)
            {
                // Linger 0 sends a reset, as a server that went away does, rather than an orderly close.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            _sockets.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(_target, cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                client.Close();
                server.Close();
                continue;
            }
            lock (_lock)
            {
                if (!IsOpen)
                {
                    client.Close();
                    server.Close();
                    return;
                }
                _sockets.Add(client);
                _sockets.Add(server);
            }
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[BufferBytes];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Cut, or the other side went away: the relay of this connection is over.
        }
    }

    public void Dispose()
    {
        Cut();
        _open.Dispose();
    }
}
