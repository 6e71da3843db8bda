using System.Buffers.Binary;

namespace DockerNetPlugin.Dns.Wire;

/// <summary>
/// Parses a client's query without throwing: every failure is a <see cref="DnsParseStatus"/>.
/// </summary>
/// <remarks>
/// Our own codec rather than a NuGet DNS library (measured 2026-12-07): ARSoft.Tools.Net 3.6.1 trims cleanly but brings
/// BouncyCastle.Cryptography (6.9 MB) and a server that binds its own sockets; Makaretu.Dns 2.0.1 needs SimpleBase 1.3.1,
/// which the registry does not serve (NU1603). Both throw on malformed input, where every hostile packet must become
/// drop/FORMERR/NOTIMP cheaply. We only read one question and an OPT record; forwarded answers pass through untouched.
/// </remarks>
internal static class DnsQueryParser
{
    /// <summary>Largest query we parse; anything bigger is FORMERR (a real query is a few dozen bytes).</summary>
    public const int MaxQuerySize = 4096;

    /// <summary>
    /// Parses <paramref name="message"/>. On <see cref="DnsParseStatus.FormErr"/> and <see cref="DnsParseStatus.NotImp"/>
    /// <paramref name="header"/> holds what an error answer needs; on <see cref="DnsParseStatus.Ok"/> <paramref name="query"/> is set.
    /// </summary>
    public static DnsParseStatus Parse(ReadOnlySpan<byte> message, out DnsHeader header, out DnsQuery? query)
    {
        query = null;
        header = default;
        if (message.Length < DnsLimits.HeaderSize)
        {
            return DnsParseStatus.Drop;
        }

        header = DnsHeader.Read(message);
        if (header.IsResponse)
        {
            return DnsParseStatus.Drop;
        }

        if (header.Opcode != 0)
        {
            return DnsParseStatus.NotImp;
        }

        if (message.Length > MaxQuerySize || header.QuestionCount != 1)
        {
            return DnsParseStatus.FormErr;
        }

        var offset = DnsLimits.HeaderSize;
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameWire];
        var nameLength = DnsName.Read(message, ref offset, name);
        if (nameLength < 0 || offset + 4 > message.Length)
        {
            return DnsParseStatus.FormErr;
        }

        var qtype = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var qclass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        offset += 4;
        var questionEnd = offset;

        // Skip answer and authority records (a query has none, but they are legal), then look for one OPT.
        Span<byte> scratch = stackalloc byte[DnsLimits.MaxNameWire];
        for (var i = 0; i < header.AnswerCount + header.AuthorityCount; i++)
        {
            if (!SkipRecord(message, ref offset, scratch, out _, out _, out _))
            {
                return DnsParseStatus.FormErr;
            }
        }

        EdnsOptions? edns = null;
        for (var i = 0; i < header.AdditionalCount; i++)
        {
            var ownerStart = offset;
            if (!SkipRecord(message, ref offset, scratch, out var type, out var klass, out var ttl))
            {
                return DnsParseStatus.FormErr;
            }

            if (type != DnsType.OPT)
            {
                continue;
            }

            // RFC 6891 §6.1.1: one OPT, owned by the root.
            if (edns is not null || message[ownerStart] != 0)
            {
                return DnsParseStatus.FormErr;
            }

            edns = new EdnsOptions(Math.Max((int)klass, DnsLimits.ClassicUdpSize), (int)((ttl >> 16) & 0xFF), (ttl & 0x8000) != 0);
        }

        if (offset != message.Length)
        {
            return DnsParseStatus.FormErr; // trailing bytes: not a message we understand
        }

        var wire = name[..nameLength].ToArray();
        var text = DnsName.ToText(wire, out var isHostname);
        query = new DnsQuery(header.Id, header.Opcode, header.RecursionDesired, header.CheckingDisabled, wire, text, isHostname, qtype, qclass, edns, questionEnd);
        return DnsParseStatus.Ok;
    }

    private static bool SkipRecord(ReadOnlySpan<byte> message, ref int offset, Span<byte> scratch, out ushort type, out ushort klass, out uint ttl)
    {
        type = 0;
        klass = 0;
        ttl = 0;
        if (DnsName.Read(message, ref offset, scratch) < 0 || offset + 10 > message.Length)
        {
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        klass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
        var rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        offset += 10;
        if (offset + rdLength > message.Length)
        {
            return false;
        }

        offset += rdLength;
        return true;
    }
}
