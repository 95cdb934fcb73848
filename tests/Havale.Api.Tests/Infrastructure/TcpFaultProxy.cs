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

    /// <summary>
    /// Arms a cut that lands after a COMMIT reaches the server and before its answer reaches the client: the next
    /// chunk a client sends that holds a COMMIT message is passed on, every answer from then on is dropped, and a moment
    /// later (time for the server to commit) the relay is cut. The client sees its commit go unanswered.
    /// </summary>
    public void CutAfterNextCommit() => Volatile.Write(ref _cutAfterCommit, 1);

    private int _cutAfterCommit;
    private int _droppingAnswers;
    /// <summary>The protocol's simple Query message of a bare COMMIT, as Npgsql sends a transaction's commit: 'Q', its length, the text, NUL.</summary>
    private static ReadOnlySpan<byte> CommitMessage => "Q\0\0\0\u000bCOMMIT\0"u8;
    private static readonly TimeSpan CommitGrace = TimeSpan.FromMilliseconds(300);

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
            _ = PumpAsync(client, server, fromClient: true);
            _ = PumpAsync(server, client, fromClient: false);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromClient)
    {
        var buffer = new byte[BufferBytes];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                if (!fromClient && Volatile.Read(ref _droppingAnswers) == 1)
                {
                    continue;
                }
                var isArmedCommit = fromClient && Volatile.Read(ref _cutAfterCommit) == 1
                    && buffer.AsSpan(0, read).IndexOf(CommitMessage) >= 0 && Interlocked.Exchange(ref _cutAfterCommit, 0) == 1;
                if (isArmedCommit)
                {
                    Volatile.Write(ref _droppingAnswers, 1);
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                if (isArmedCommit)
                {
                    await Task.Delay(CommitGrace);
                    Cut();
                    Volatile.Write(ref _droppingAnswers, 0);
                    return;
                }
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
