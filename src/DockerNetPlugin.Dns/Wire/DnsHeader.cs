using System.Buffers.Binary;

namespace DockerNetPlugin.Dns.Wire;

/// <summary>The fixed 12-byte message header (RFC 1035 §4.1.1).</summary>
internal readonly record struct DnsHeader(
    ushort Id,
    bool IsResponse,
    int Opcode,
    bool Truncated,
    bool RecursionDesired,
    bool CheckingDisabled,
    int Rcode,
    ushort QuestionCount,
    ushort AnswerCount,
    ushort AuthorityCount,
    ushort AdditionalCount)
{
    /// <summary>Reads a header; the caller has checked that 12 bytes are there.</summary>
    public static DnsHeader Read(ReadOnlySpan<byte> message)
    {
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        return new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(message),
            (flags & 0x8000) != 0,
            (flags >> 11) & 0xF,
            (flags & 0x0200) != 0,
            (flags & 0x0100) != 0,
            (flags & 0x0010) != 0,
            flags & 0xF,
            BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[10..]));
    }
}
