using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Driver.Names;

/// <summary>A resolver's bound UDP socket and listening TCP socket, created in the namespace they serve.</summary>
public sealed class ResolverSockets : IDisposable
{
    private ResolverSockets(Socket udp, Socket tcp)
    {
        Udp = udp;
        Tcp = tcp;
    }

    public Socket Udp { get; }

    public Socket Tcp { get; }

    /// <summary>
    /// Binds UDP and TCP on <paramref name="address"/>:<paramref name="port"/> in the calling thread's namespace (the
    /// caller runs it on a NetNsThread for an overlay namespace).
    /// </summary>
    public static ResolverSockets Bind(IPAddress address, int port = 53)
    {
        ArgumentNullException.ThrowIfNull(address);
        var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        Socket? tcp = null;
        try
        {
            udp.Bind(new IPEndPoint(address, port));
            tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // connections of a previous run in TIME_WAIT
            tcp.Bind(new IPEndPoint(address, port));
            tcp.Listen(128);
            return new ResolverSockets(udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
