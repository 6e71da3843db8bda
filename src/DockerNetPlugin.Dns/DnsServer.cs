using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Dns;

/// <summary>
/// One resolver: answers the names of the asker's dnp networks from a shared <see cref="NameTable"/> and forwards
/// every other question to the host's resolvers, over UDP and TCP. It serves sockets the caller created and bound
/// (typically inside an overlay network's namespace, on a NetNsThread), and creates its upstream sockets through
/// <see cref="DnsServerOptions.UpstreamSocketFactory"/>; it never creates a listening socket itself.
/// </summary>
public sealed class DnsServer
{
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;
    private readonly QueryHandler _handler;
    private int _openTcp;

    /// <summary>Creates a resolver over <paramref name="table"/>.</summary>
    public DnsServer(NameTable table, DnsServerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Counters = options.Counters ?? new DnsCounters();
        var upstreams = new UpstreamList(options.UpstreamServers, options.ResolvConfPath, options.MaxUpstreams, _logger, self: options.ListenAddress);
        _handler = new QueryHandler(table, options, new UpstreamForwarder(upstreams, options, _logger), Counters, _logger);
    }

    /// <summary>This resolver's totals (shared when the options gave an instance).</summary>
    public DnsCounters Counters { get; }

    /// <summary>
    /// Serves <paramref name="udp"/> (bound datagram socket) and <paramref name="tcp"/> (bound, listening stream socket,
    /// or null) until <paramref name="cancellationToken"/> is cancelled. The caller keeps ownership of both sockets and
    /// disposes them after this returns. Nothing a client sends ends this loop.
    /// </summary>
    public async Task RunAsync(Socket udp, Socket? tcp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(udp);
        var name = _options.NetworkId ?? "(any)";
        DnsLog.Started(_logger, name, udp.LocalEndPoint?.ToString() ?? "?", tcp?.LocalEndPoint?.ToString() ?? "none");
        try
        {
            var loops = new List<Task> { Task.Run(() => ServeUdpAsync(udp, cancellationToken), CancellationToken.None) };
            if (tcp is not null)
            {
                loops.Add(Task.Run(() => ServeTcpAsync(tcp, cancellationToken), CancellationToken.None));
            }

            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            DnsLog.Stopped(_logger, name);
        }
    }

    private async Task ServeUdpAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[Wire.DnsLimits.MaxMessage];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                DnsLog.ReceiveFailed(_logger, "UDP", ex.SocketErrorCode.ToString());
                continue;
            }

            var client = (IPEndPoint)received.RemoteEndPoint;
            var pending = _handler.HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), client.Address, tcp: false, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                // Local answers (the common case) go out inline, without a task per query.
                await ReplyUdpAsync(socket, pending.Result, client, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Forwarding: the loop goes on receiving while the upstream answers.
                _ = CompleteUdpAsync(socket, pending, client, cancellationToken);
            }
        }
    }

    private async Task CompleteUdpAsync(Socket socket, ValueTask<byte[]?> pending, IPEndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            await ReplyUdpAsync(socket, await pending.ConfigureAwait(false), client, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug must cost one answer, never the resolver; the client times out and retries.
            DnsLog.InternalError(_logger, "UDP", client.ToString(), ex);
        }
    }

    private async Task ReplyUdpAsync(Socket socket, byte[]? response, IPEndPoint client, CancellationToken cancellationToken)
    {
        if (response is null)
        {
            return;
        }

        try
        {
            await socket.SendToAsync(response, SocketFlags.None, client, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            DnsLog.ReceiveFailed(_logger, "UDP", $"sending to {client}: {ex.SocketErrorCode}");
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeTcpAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                DnsLog.ReceiveFailed(_logger, "TCP", ex.SocketErrorCode.ToString());
                continue;
            }

            var open = Interlocked.Increment(ref _openTcp);
            if (open > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _openTcp);
                Counters.TcpRejected();
                DnsLog.TcpRejected(_logger, connection.RemoteEndPoint?.ToString() ?? "?", open - 1);
                connection.Dispose();
                continue;
            }

            _ = ServeConnectionAsync(connection, cancellationToken);
        }
    }

    private async Task ServeConnectionAsync(Socket connection, CancellationToken cancellationToken)
    {
        var client = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        var reason = "client closed";
        try
        {
            var prefix = new byte[2];
            var frame = new byte[Wire.DnsLimits.MaxMessage];
            while (true)
            {
                // Each frame, prefix included, must arrive within the idle timeout: a trickling client loses its slot.
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_options.TcpIdleTimeout);
                if (!await TcpFraming.ReadExactlyAsync(connection, prefix, deadline.Token).ConfigureAwait(false))
                {
                    break;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                if (length < Wire.DnsLimits.HeaderSize)
                {
                    Counters.Query();
                    Counters.Dropped();
                    reason = $"frame length {length} is shorter than a header";
                    break;
                }

                if (!await TcpFraming.ReadExactlyAsync(connection, frame.AsMemory(0, length), deadline.Token).ConfigureAwait(false))
                {
                    break;
                }

                var response = await _handler.HandleAsync(frame.AsMemory(0, length), client, tcp: true, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    continue;
                }

                await connection.SendAsync(TcpFraming.Frame(response), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = $"no complete frame within {_options.TcpIdleTimeout.TotalSeconds:0.#} s";
        }
        catch (OperationCanceledException)
        {
            reason = "resolver stopping";
        }
        catch (SocketException ex)
        {
            reason = ex.SocketErrorCode.ToString();
        }
        catch (Exception ex)
        {
            // A bug must cost one connection, never the resolver.
            reason = "internal error";
            DnsLog.InternalError(_logger, "TCP", client.ToString(), ex);
        }
        finally
        {
            Interlocked.Decrement(ref _openTcp);
            connection.Dispose();
        }

        DnsLog.TcpClosed(_logger, client.ToString(), reason);
    }
}
