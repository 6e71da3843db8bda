using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Dns;

/// <summary>
/// Forwards a client's query, unchanged but for a fresh random ID, to the upstreams in order, and returns the first
/// usable answer byte for byte with the client's ID put back. Like Docker's resolver (moby resolver.go forwardExtDNS),
/// a timeout, a connection failure, SERVFAIL or REFUSED moves on to the next server; any other answer (NXDOMAIN too) is final.
/// </summary>
internal sealed class UpstreamForwarder
{
    private readonly UpstreamList _upstreams;
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;

    public UpstreamForwarder(UpstreamList upstreams, DnsServerOptions options, ILogger logger)
    {
        _upstreams = upstreams;
        _options = options;
        _logger = logger;
    }

    /// <summary>The upstream's answer with the client's ID, or null when no upstream answered usably.</summary>
    public async Task<byte[]?> ForwardAsync(ReadOnlyMemory<byte> clientQuery, DnsQuery query, bool tcp, CancellationToken cancellationToken)
    {
        var servers = _upstreams.Current();
        var request = clientQuery.ToArray();
        foreach (var server in servers)
        {
            var id = (ushort)Random.Shared.Next(0, 65536);
            BinaryPrimitives.WriteUInt16BigEndian(request, id);
            string problem;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.UpstreamTimeout);
                var answer = tcp
                    ? await ExchangeTcpAsync(server, request, id, query, timeout.Token).ConfigureAwait(false)
                    : await ExchangeUdpAsync(server, request, id, query, timeout.Token).ConfigureAwait(false);
                var rcode = answer[3] & 0xF;
                if (rcode is DnsRcode.ServFail or DnsRcode.Refused)
                {
                    problem = rcode == DnsRcode.ServFail ? "SERVFAIL" : "REFUSED";
                }
                else
                {
                    BinaryPrimitives.WriteUInt16BigEndian(answer, query.Id);
                    return answer;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = $"no answer within {_options.UpstreamTimeout.TotalMilliseconds:0} ms";
            }
            catch (SocketException ex)
            {
                problem = ex.SocketErrorCode.ToString();
            }
            catch (InvalidDataException ex)
            {
                problem = ex.Message;
            }

            DnsLog.UpstreamFailed(_logger, server.ToString(), query.Name, problem);
        }

        DnsLog.AllUpstreamsFailed(_logger, query.Name, servers.Count == 0 ? "none configured" : string.Join(", ", servers));
        return null;
    }

    private async Task<byte[]> ExchangeUdpAsync(IPEndPoint server, byte[] request, ushort id, DnsQuery query, CancellationToken cancellationToken)
    {
        using var socket = _options.UpstreamSocketFactory(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false); // a connected socket only hears the server
        await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[DnsLimits.MaxMessage];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (IsAnswerTo(buffer.AsSpan(0, received), request, id, query))
            {
                return buffer.AsSpan(0, received).ToArray();
            }

            // A stray or forged datagram: keep waiting for the real answer until the timeout.
        }
    }

    private async Task<byte[]> ExchangeTcpAsync(IPEndPoint server, byte[] request, ushort id, DnsQuery query, CancellationToken cancellationToken)
    {
        using var socket = _options.UpstreamSocketFactory(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(TcpFraming.Frame(request), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var prefix = new byte[2];
        if (!await TcpFraming.ReadExactlyAsync(socket, prefix, cancellationToken).ConfigureAwait(false))
        {
            throw new SocketException((int)SocketError.ConnectionReset);
        }

        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await TcpFraming.ReadExactlyAsync(socket, answer, cancellationToken).ConfigureAwait(false);
        return IsAnswerTo(answer, request, id, query)
            ? answer
            : throw new InvalidDataException("answered over TCP with a message that does not answer the query");
    }

    /// <summary>
    /// True when <paramref name="answer"/> is a response with our ID whose question, if it repeats one, is ours
    /// (letter case aside: some servers and the 0x20 trick change it).
    /// </summary>
    private static bool IsAnswerTo(ReadOnlySpan<byte> answer, byte[] request, ushort id, DnsQuery query)
    {
        if (answer.Length < DnsLimits.HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(answer) != id || (answer[2] & 0x80) == 0)
        {
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(answer[4..]) == 0)
        {
            return true; // e.g. FORMERR without the question
        }

        if (answer.Length < query.QuestionEnd)
        {
            return false;
        }

        for (var i = DnsLimits.HeaderSize; i < query.QuestionEnd; i++)
        {
            if (AsciiLower(answer[i]) != AsciiLower(request[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte AsciiLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
}
