using System.Buffers.Binary;
using System.Net;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns.Tests;

/// <summary>Builds queries and reads answers byte by byte, independently of the production codec.</summary>
internal static class Messages
{
    public static byte[] Query(string name, ushort type, ushort id = 0x1234, int? ednsSize = null, ushort qclass = 1, int ednsVersion = 0)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(ednsSize is null ? 0 : 1) };
        bytes.AddRange(Name(name));
        bytes.AddRange([(byte)(type >> 8), (byte)type, (byte)(qclass >> 8), (byte)qclass]);
        if (ednsSize is { } size)
        {
            bytes.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, (byte)ednsVersion, 0, 0, 0, 0]);
        }

        return [.. bytes];
    }

    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(label.Select(c => (byte)c));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    public static ushort Id(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static int Rcode(byte[] message) => message[3] & 0xF;

    public static bool Truncated(byte[] message) => (message[2] & 0x02) != 0;

    public static bool Authoritative(byte[] message) => (message[2] & 0x04) != 0;

    public static int AnswerCount(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));

    /// <summary>The RDATA of every answer record (owner names may be compressed).</summary>
    public static List<(ushort Type, byte[] Data)> Answers(byte[] message)
    {
        var offset = 12;
        for (var q = 0; q < BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4)); q++)
        {
            offset = SkipName(message, offset) + 4;
        }

        var answers = new List<(ushort, byte[])>();
        for (var a = 0; a < AnswerCount(message); a++)
        {
            offset = SkipName(message, offset);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));
            var length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 8));
            answers.Add((type, message.AsSpan(offset + 10, length).ToArray()));
            offset += 10 + length;
        }

        return answers;
    }

    public static List<IPAddress> Addresses(byte[] message) =>
        Answers(message).Where(a => a.Type is DnsType.A or DnsType.AAAA).Select(a => new IPAddress(a.Data)).ToList();

    /// <summary>The dotted text of an uncompressed wire name (PTR targets).</summary>
    public static string NameText(byte[] wire)
    {
        var labels = new List<string>();
        for (var i = 0; wire[i] != 0; i += 1 + wire[i])
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(wire, i + 1, wire[i]));
        }

        return string.Join('.', labels);
    }

    private static int SkipName(byte[] message, int offset)
    {
        while (true)
        {
            var b = message[offset];
            if (b == 0)
            {
                return offset + 1;
            }

            if ((b & 0xC0) == 0xC0)
            {
                return offset + 2;
            }

            offset += 1 + b;
        }
    }
}
