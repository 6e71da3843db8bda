using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Driver.Liveness;

/// <summary>Probes a host's liveness echo (<see cref="ProbeResponder"/>) at its locator: one datagram, one answer within the timeout.</summary>
internal sealed class UdpHostProber : IHostProber
{
    private readonly int _port;
    private readonly TimeSpan _timeout;

    public UdpHostProber(int port, TimeSpan timeout)
    {
        _port = port;
        _timeout = timeout;
    }

    public async Task<bool> ProbeAsync(string hostId, IPAddress locator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(locator);
        using var socket = new Socket(locator.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        var nonce = ProbeMessage.NewNonce();
        var buffer = new byte[ProbeMessage.ProbeLength];
        var target = new IPEndPoint(locator, _port);
        try
        {
            await socket.SendToAsync(ProbeMessage.Probe(nonce), SocketFlags.None, target, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(locator.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), deadline.Token).ConfigureAwait(false);
                if (received.RemoteEndPoint is IPEndPoint from && from.Address.Equals(locator)
                    && ProbeMessage.IsAnswer(buffer.AsSpan(0, received.ReceivedBytes), nonce, hostId))
                    return true;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // no answer in time
        }
        catch (SocketException)
        {
            return false; // unreachable (ICMP port unreachable, no route)
        }
    }
}
