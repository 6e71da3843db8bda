using System.Buffers;
using System.Diagnostics;
using System.Net;
using DockerNetPlugin.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Dns;

/// <summary>Turns one received message into the bytes to send back (or nothing), for UDP and TCP alike.</summary>
internal sealed class QueryHandler
{
    private readonly NameTable _table;
    private readonly DnsServerOptions _options;
    private readonly UpstreamForwarder _forwarder;
    private readonly DnsCounters _counters;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _forwardSlots;

    public QueryHandler(NameTable table, DnsServerOptions options, UpstreamForwarder forwarder, DnsCounters counters, ILogger logger)
    {
        _table = table;
        _options = options;
        _forwarder = forwarder;
        _counters = counters;
        _logger = logger;
        _forwardSlots = new SemaphoreSlim(options.MaxConcurrentForwards, options.MaxConcurrentForwards);
    }

    /// <summary>
    /// The answer to <paramref name="message"/> from <paramref name="source"/>, or null when nothing must be sent.
    /// Never throws for anything the client sent. <paramref name="message"/> is read only before the first await, so a
    /// receive loop may reuse its buffer as soon as this returns, even when the returned task is still forwarding.
    /// </summary>
    public async ValueTask<byte[]?> HandleAsync(ReadOnlyMemory<byte> message, IPAddress source, bool tcp, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        _counters.Query();
        var transport = tcp ? "TCP" : "UDP";
        var status = DnsQueryParser.Parse(message.Span, out var header, out var query);
        switch (status)
        {
            case DnsParseStatus.Drop:
                _counters.Dropped();
                DnsLog.BadQuery(_logger, transport, source.ToString(), "nothing", header.IsResponse ? "a response, not a query" : "shorter than a header");
                return null;
            case DnsParseStatus.FormErr:
                return Error(header, DnsRcode.FormErr, transport, source, "malformed query");
            case DnsParseStatus.NotImp:
                return Error(header, DnsRcode.NotImp, transport, source, $"opcode {header.Opcode}");
        }

        var q = query!;
        if (q.Edns is { Version: > 0 })
        {
            return Refuse(q, DnsRcode.BadVers, transport, source, $"EDNS version {q.Edns.Version}");
        }

        if (q.QClass != DnsClass.IN)
        {
            return Refuse(q, DnsRcode.Refused, transport, source, $"class {q.QClass}");
        }

        if (q.QType == 0)
        {
            return Refuse(q, DnsRcode.FormErr, transport, source, "type 0");
        }

        if (q.QType is >= 128 and <= 255)
        {
            return Refuse(q, DnsRcode.NotImp, transport, source, $"meta type {q.QType} (ANY, AXFR, ...)");
        }

        var answers = new List<DnsAnswer>();
        var outcome = LocalResolver.Resolve(q, _table.Current.ViewFor(source, _options.NetworkId), answers);
        byte[] response;
        string result;
        if (outcome != LocalOutcome.NotOurs)
        {
            _counters.AnsweredLocally();
            var buffer = ArrayPool<byte>.Shared.Rent(tcp ? DnsLimits.MaxMessage : DnsLimits.MaxUdpAnswer);
            try
            {
                var length = DnsResponseWriter.Write(buffer, q, DnsRcode.NoError, answers, _options.Ttl, MaxAnswerSize(q, tcp), _options.CompressAnswers, authoritative: true);
                response = buffer.AsSpan(0, length).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var truncated = (response[2] & 0x02) != 0;
            if (truncated)
            {
                _counters.Truncated();
            }

            result = outcome == LocalOutcome.NoData ? "no data (local name)" : truncated ? "local records, truncated" : "local records";
        }
        else if (!_options.ForwardUnknownNames)
        {
            return Refuse(q, DnsRcode.Refused, transport, source, "not a name of the asker's networks, and this network does not forward");
        }
        else if (!_forwardSlots.Wait(0))
        {
            DnsLog.ForwardCapReached(_logger, source.ToString(), _options.MaxConcurrentForwards);
            return Refuse(q, DnsRcode.Refused, transport, source, "forwarding cap reached");
        }
        else
        {
            try
            {
                _counters.Forwarded();
                var upstream = await _forwarder.ForwardAsync(message, q, tcp, cancellationToken).ConfigureAwait(false);
                if (upstream is null)
                {
                    _counters.ForwardFailed();
                    response = WriteRcode(q, DnsRcode.ServFail);
                    result = "forwarded, no upstream answered: SERVFAIL";
                }
                else
                {
                    response = upstream;
                    result = $"forwarded, rcode {upstream[3] & 0xF}";
                }
            }
            finally
            {
                _forwardSlots.Release();
            }
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // The per-query line is debug only; its text is not built on the hot path otherwise.
            DnsLog.Query(_logger, transport, q.Name, q.QType, source.ToString(), result, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return response;
    }

    /// <summary>UDP: 512 without EDNS, else the client's size up to 4096 (RFC 6891 §6.2.5); TCP: a whole message.</summary>
    internal static int MaxAnswerSize(DnsQuery query, bool tcp) =>
        tcp ? DnsLimits.MaxMessage : query.Edns is null ? DnsLimits.ClassicUdpSize : Math.Min(query.Edns.UdpSize, DnsLimits.MaxUdpAnswer);

    private byte[] Error(DnsHeader header, int rcode, string transport, IPAddress source, string reason)
    {
        _counters.Error();
        DnsLog.BadQuery(_logger, transport, source.ToString(), RcodeName(rcode), reason);
        var buffer = new byte[DnsLimits.HeaderSize];
        DnsResponseWriter.WriteError(buffer, header, rcode);
        return buffer;
    }

    private byte[] Refuse(DnsQuery query, int rcode, string transport, IPAddress source, string reason)
    {
        _counters.Error();
        DnsLog.BadQuery(_logger, transport, source.ToString(), RcodeName(rcode), reason);
        return WriteRcode(query, rcode);
    }

    private static byte[] WriteRcode(DnsQuery query, int rcode)
    {
        var buffer = new byte[DnsLimits.ClassicUdpSize];
        var length = DnsResponseWriter.Write(buffer, query, rcode, [], 0, DnsLimits.ClassicUdpSize, compress: false, authoritative: false);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static string RcodeName(int rcode) => rcode switch
    {
        DnsRcode.FormErr => "FORMERR",
        DnsRcode.ServFail => "SERVFAIL",
        DnsRcode.NotImp => "NOTIMP",
        DnsRcode.Refused => "REFUSED",
        DnsRcode.BadVers => "BADVERS",
        _ => rcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
