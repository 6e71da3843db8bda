using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Liveness;

/// <summary>
/// The liveness echo of this host: a UDP socket on the advertise address and <c>DNP_PROBE_PORT</c> that answers
/// <see cref="ProbeMessage"/> probes with this host's id, so peers can tell "cut off from the store" from "dead".
/// </summary>
internal sealed class ProbeResponder : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _hostId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProbeResponder(Socket socket, string hostId, ILogger logger)
    {
        _socket = socket;
        _hostId = hostId;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> and starts answering; fails naming the address when it cannot bind.</summary>
    public static ProbeResponder Start(IPAddress address, int port, string hostId, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new DriverException($"the liveness echo cannot bind {address}:{port} ({e.Message}); set DNP_PROBE_PORT to a free UDP port (the same on every host)", e);
        }
        DriverLog.ProbeResponderStarted(logger, address.ToString(), port);
        return new ProbeResponder(socket, hostId, logger);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var buffer = new byte[ProbeMessage.ProbeLength + 1];
        var any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
                if (ProbeMessage.Answer(buffer.AsSpan(0, received.ReceivedBytes), _hostId) is { } answer)
                    await _socket.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                DriverLog.ProbeResponderFailed(_logger, e.Message); // an ICMP error from a prober gone away: keep answering
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
