using System.Buffers.Binary;

namespace DockerNetPlugin.Dns.Wire;

/// <summary>Writes this server's own answers: header, the echoed question, A/AAAA/PTR records and an OPT when the client sent one.</summary>
internal static class DnsResponseWriter
{
    private const int OptRecordSize = 11;

    /// <summary>
    /// Writes the answer to <paramref name="query"/> into <paramref name="buffer"/> (at least 512 bytes) and returns its length.
    /// Records that would take the message past <paramref name="maxSize"/> are left out and TC is set; the OPT record always fits.
    /// With <paramref name="compress"/> each owner name is a pointer to the question name (RFC 1035 §4.1.4).
    /// </summary>
    public static int Write(Span<byte> buffer, DnsQuery query, int rcode, IReadOnlyList<DnsAnswer> answers, uint ttl, int maxSize, bool compress, bool authoritative)
    {
        var limit = Math.Min(maxSize, buffer.Length);
        var optSize = query.Edns is null ? 0 : OptRecordSize;
        var offset = DnsLimits.HeaderSize;
        query.QuestionName.CopyTo(buffer[offset..]);
        offset += query.QuestionName.Length;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], query.QType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], query.QClass);
        offset += 4;

        var written = 0;
        var truncated = false;
        foreach (var answer in answers)
        {
            var ownerSize = compress ? 2 : query.QuestionName.Length;
            if (offset + ownerSize + 10 + answer.DataLength + optSize > limit)
            {
                truncated = true;
                break;
            }

            if (compress)
            {
                BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], 0xC000 | DnsLimits.HeaderSize);
            }
            else
            {
                query.QuestionName.CopyTo(buffer[offset..]);
            }

            offset += ownerSize;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], answer.Type);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], DnsClass.IN);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(offset + 4)..], ttl);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 8)..], (ushort)answer.DataLength);
            offset += 10;
            if (answer.Type == DnsType.PTR)
            {
                answer.Target!.CopyTo(buffer[offset..]);
            }
            else if (!answer.Address!.TryWriteBytes(buffer[offset..], out _))
            {
                throw new InvalidOperationException("address does not fit its record");
            }

            offset += answer.DataLength;
            written++;
        }

        if (query.Edns is not null)
        {
            offset += WriteOpt(buffer[offset..], rcode);
        }

        WriteHeader(buffer, query.Id, query.Opcode, authoritative, truncated, query.RecursionDesired, query.CheckingDisabled, rcode, 1, (ushort)written, query.Edns is null ? (ushort)0 : (ushort)1);
        return offset;
    }

    /// <summary>A header-only answer (FORMERR, NOTIMP) to a message whose question could not be used.</summary>
    public static int WriteError(Span<byte> buffer, DnsHeader header, int rcode)
    {
        WriteHeader(buffer, header.Id, header.Opcode, false, false, header.RecursionDesired, header.CheckingDisabled, rcode, 0, 0, 0);
        return DnsLimits.HeaderSize;
    }

    private static int WriteOpt(Span<byte> buffer, int rcode)
    {
        buffer[0] = 0; // root owner
        BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], DnsType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[3..], DnsLimits.AdvertisedUdpSize);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[5..], (uint)(rcode >> 4) << 24); // extended rcode, version 0, DO clear
        BinaryPrimitives.WriteUInt16BigEndian(buffer[9..], 0);
        return OptRecordSize;
    }

    private static void WriteHeader(Span<byte> buffer, ushort id, int opcode, bool authoritative, bool truncated, bool recursionDesired, bool checkingDisabled, int rcode, ushort questions, ushort answers, ushort additional)
    {
        var flags = 0x8000 | (opcode & 0xF) << 11 | 0x0080 | (rcode & 0xF);
        if (authoritative)
        {
            flags |= 0x0400;
        }

        if (truncated)
        {
            flags |= 0x0200;
        }

        if (recursionDesired)
        {
            flags |= 0x0100;
        }

        if (checkingDisabled)
        {
            flags |= 0x0010;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], questions);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[6..], answers);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], additional);
    }
}
