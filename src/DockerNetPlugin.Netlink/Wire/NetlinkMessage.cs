using System.Buffers.Binary;

namespace DockerNetPlugin.Netlink.Wire;

/// <summary>One message inside a received datagram: the nlmsghdr fields and the payload after it.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ReadOnlySpan<byte> whole)
    {
        Whole = whole;
        Type = BinaryPrimitives.ReadUInt16LittleEndian(whole[4..]);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(whole[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(whole[8..]);
        PortId = BinaryPrimitives.ReadUInt32LittleEndian(whole[12..]);
    }

    public ReadOnlySpan<byte> Whole { get; }

    public ushort Type { get; }

    public ushort Flags { get; }

    public uint Sequence { get; }

    public uint PortId { get; }

    public ReadOnlySpan<byte> Payload => Whole[Nlm.NLMSG_HDRLEN..];

    /// <summary>The attributes after a family header of <paramref name="familyHeaderSize"/> bytes.</summary>
    public AttributeReader Attributes(int familyHeaderSize) =>
        new(Payload.Length >= familyHeaderSize ? Payload[familyHeaderSize..] : []);
}
