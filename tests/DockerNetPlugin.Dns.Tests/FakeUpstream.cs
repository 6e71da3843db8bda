using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Dns.Tests;

/// <summary>
/// An upstream resolver on a loopback address for forwarding tests: answers each query (UDP or TCP) with what
/// <c>answer</c> returns for it, or stays silent when that is null. Records every query it received.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly Func<byte[], byte[]?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loops;

    public FakeUpstream(IPAddress address, Func<byte[], byte[]?> answer)
    {
        (_udp, _tcp) = LoopbackServer.BindPair(address);
        _answer = answer;
        _loops = Task.WhenAll(ServeUdpAsync(), ServeTcpAsync());
    }

    public IPEndPoint Endpoint => (IPEndPoint)_udp.LocalEndPoint!;

    public ConcurrentQueue<(bool Tcp, byte[] Query)> Received { get; } = new();

    /// <summary>An answer that copies the query's ID and question (without its OPT), with <paramref name="rcode"/> and a marker A record 192.0.2.&lt;marker&gt;.</summary>
    public static byte[] Reply(byte[] query, int rcode, byte marker)
    {
        Assert.Equal(Wire.DnsParseStatus.Ok, Wire.DnsQueryParser.Parse(query, out _, out var parsed));
        var answer = new List<byte>(query[..parsed!.QuestionEnd]);
        answer[2] = (byte)(0x80 | query[2]);
        answer[3] = (byte)(0x80 | rcode);
        answer[7] = 1;
        answer[11] = 0;
        answer.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, marker]);
        return [.. answer];
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        try
        {
            while (true)
            {
                var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                var query = buffer[..received.ReceivedBytes];
                Received.Enqueue((false, query));
                if (_answer(query) is { } answer)
                {
                    await _udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeTcpAsync()
    {
        try
        {
            while (true)
            {
                using var connection = await _tcp.AcceptAsync(_stop.Token);
                var prefix = new byte[2];
                if (!await TcpFraming.ReadExactlyAsync(connection, prefix, _stop.Token))
                {
                    continue;
                }

                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await TcpFraming.ReadExactlyAsync(connection, query, _stop.Token);
                Received.Enqueue((true, query));
                if (_answer(query) is { } answer)
                {
                    await connection.SendAsync(TcpFraming.Frame(answer), SocketFlags.None, _stop.Token);
                }
                else
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loops;
        _udp.Dispose();
        _tcp.Dispose();
        _stop.Dispose();
    }
}
