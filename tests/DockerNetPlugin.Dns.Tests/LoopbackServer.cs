using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Dns.Tests;

/// <summary>A <see cref="DnsServer"/> on 127.0.0.1, UDP and TCP on the same ephemeral port, stopped and closed on dispose.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    /// <summary>A guard so a broken server fails a test instead of hanging it; never an assertion about speed.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private LoopbackServer(Socket udp, Socket tcp, DnsServer server)
    {
        _udp = udp;
        _tcp = tcp;
        Server = server;
        _run = server.RunAsync(udp, tcp, _stop.Token);
    }

    public DnsServer Server { get; }

    public IPEndPoint Endpoint => (IPEndPoint)_udp.LocalEndPoint!;

    public static LoopbackServer Start(NameTable table, DnsServerOptions options)
    {
        var (udp, tcp) = BindPair(IPAddress.Loopback);
        return new LoopbackServer(udp, tcp, new DnsServer(table, options));
    }

    /// <summary>A UDP and a listening TCP socket on the same free port of <paramref name="address"/>.</summary>
    public static (Socket Udp, Socket Tcp) BindPair(IPAddress address)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(udp.LocalEndPoint!);
                tcp.Listen(16);
                return (udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }
    }

    /// <summary>Sends <paramref name="query"/> from <paramref name="from"/> (127.0.0.1 by default) and returns the first datagram back.</summary>
    public async Task<byte[]> UdpAsync(byte[] query, IPAddress? from = null)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await client.SendToAsync(query, SocketFlags.None, Endpoint);
        return await ReceiveAsync(client);
    }

    public static async Task<byte[]> ReceiveAsync(Socket client)
    {
        using var guard = new CancellationTokenSource(Guard);
        var buffer = new byte[65535];
        var received = await client.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
        return buffer[..received];
    }

    /// <summary>Opens a connection, sends one framed query and reads one framed answer.</summary>
    public async Task<byte[]> TcpAsync(byte[] query)
    {
        using var client = await ConnectAsync();
        return await ExchangeAsync(client, query);
    }

    public async Task<Socket> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(Endpoint);
        return client;
    }

    public static async Task<byte[]> ExchangeAsync(Socket client, byte[] query)
    {
        await client.SendAsync(TcpFraming.Frame(query), SocketFlags.None);
        using var guard = new CancellationTokenSource(Guard);
        var prefix = new byte[2];
        Assert.True(await TcpFraming.ReadExactlyAsync(client, prefix, guard.Token), "the server closed the connection");
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        Assert.True(await TcpFraming.ReadExactlyAsync(client, answer, guard.Token));
        return answer;
    }

    /// <summary>True when the server closes <paramref name="client"/> (EOF or reset) before the guard expires.</summary>
    public static async Task<bool> ClosedByServerAsync(Socket client)
    {
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            return await client.ReceiveAsync(new byte[1], SocketFlags.None, guard.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _udp.Dispose();
        _tcp.Dispose();
        _stop.Dispose();
    }
}
