using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;

namespace DockerNetPlugin.Netlink.Wire;

/// <summary>
/// Writes netlink messages into a caller-owned span: a header whose length is patched by
/// <see cref="EndMessage"/>, one family header, then 4-byte-aligned attributes; nested attributes
/// get their length patched by <see cref="EndNested"/>. Several messages may follow each other (batches).
/// </summary>
internal ref struct NetlinkWriter
{
    private const int NlaHeaderSize = 4;
    private readonly Span<byte> _buffer;
    private int _position;
    private int _messageStart;

    public NetlinkWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        _messageStart = -1;
    }

    /// <summary>Bytes written so far (all complete messages).</summary>
    public readonly int Length => _position;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>Room left; batch writers stop before a message could overflow.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Writes an nlmsghdr with length 0 and pid 0; the length is patched by <see cref="EndMessage"/>.</summary>
    public void BeginMessage(ushort type, ushort flags, uint seq)
    {
        _messageStart = _position;
        var h = Take(Nlm.NLMSG_HDRLEN);
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0);
    }

    public void EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("EndMessage without BeginMessage");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_messageStart..], checked((uint)(_position - _messageStart)));
        _messageStart = -1;
    }

    /// <summary>struct ifinfomsg (16 bytes): family, pad, type 0, index, flags, change.</summary>
    public void WriteIfInfoMsg(byte family, int index, uint flags = 0, uint change = 0)
    {
        var s = Take(Ifla.IfInfoMsgSize);
        s[..4].Clear();
        s[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], change);
    }

    /// <summary>struct ifaddrmsg (8 bytes).</summary>
    public void WriteIfAddrMsg(byte family, byte prefixLength, byte flags, byte scope, int index)
    {
        var s = Take(Ifa.IfAddrMsgSize);
        s[0] = family;
        s[1] = prefixLength;
        s[2] = flags;
        s[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
    }

    /// <summary>struct rtmsg (12 bytes); src_len, tos and flags are 0.</summary>
    public void WriteRtMsg(byte family, byte dstLength, byte table, byte protocol, byte scope, byte type)
    {
        var s = Take(Rta.RtMsgSize);
        s.Clear();
        s[0] = family;
        s[1] = dstLength;
        s[4] = table;
        s[5] = protocol;
        s[6] = scope;
        s[7] = type;
    }

    /// <summary>struct ndmsg (12 bytes); ndm_type is 0 in requests.</summary>
    public void WriteNdMsg(byte family, int index, ushort state, byte flags)
    {
        var s = Take(Nda.NdMsgSize);
        s.Clear();
        s[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], state);
        s[10] = flags;
    }

    /// <summary>The 4-byte rtgenmsg-style family header of dumps that take only a family.</summary>
    public void WriteFamilyOnly(byte family)
    {
        var s = Take(4);
        s.Clear();
        s[0] = family;
    }

    /// <summary>struct nfgenmsg (4 bytes): family, version NFNETLINK_V0, be16 res_id.</summary>
    public void WriteNfGenMsg(byte family, ushort resourceId = 0)
    {
        var s = Take(Nfnl.NfGenMsgSize);
        s[0] = family;
        s[1] = Nfnl.NFNETLINK_V0;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], resourceId);
    }

    public void PutU8(ushort type, byte value) => Attribute(type, 1)[0] = value;

    public void PutU16BigEndian(ushort type, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(Attribute(type, 2), value);

    public void PutU32BigEndian(ushort type, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(Attribute(type, 4), value);

    public void PutU64BigEndian(ushort type, ulong value) =>
        BinaryPrimitives.WriteUInt64BigEndian(Attribute(type, 8), value);

    public void PutU32(ushort type, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(Attribute(type, 4), value);

    public void PutS32(ushort type, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(Attribute(type, 4), value);

    public void PutBytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(Attribute(type, value.Length));

    /// <summary>A NUL-terminated string, as `ip` sends IFLA_IFNAME.</summary>
    public void PutString(ushort type, string value)
    {
        var s = Attribute(type, Encoding.UTF8.GetByteCount(value) + 1);
        var n = Encoding.UTF8.GetBytes(value, s);
        s[n] = 0;
    }

    /// <summary>A string without NUL, as `ip` sends IFLA_INFO_KIND.</summary>
    public void PutStringNoNul(ushort type, string value)
    {
        var s = Attribute(type, Encoding.UTF8.GetByteCount(value));
        Encoding.UTF8.GetBytes(value, s);
    }

    /// <summary>Raw network-order address bytes (4 or 16).</summary>
    public void PutAddress(ushort type, IPAddress address)
    {
        var s = Attribute(type, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 16 : 4);
        if (!address.TryWriteBytes(s, out _))
        {
            throw new ArgumentException($"address {address} does not fit {s.Length} bytes", nameof(address));
        }
    }

    public void PutMac(ushort type, PhysicalAddress mac)
    {
        var bytes = mac.GetAddressBytes();
        if (bytes.Length != 6)
        {
            throw new ArgumentException($"MAC address '{mac}' must have 6 bytes, has {bytes.Length}", nameof(mac));
        }

        PutBytes(type, bytes);
    }

    /// <summary>Starts a nested attribute; pass the returned offset to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _position;
        var h = Take(NlaHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], type);
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], checked((ushort)(_position - start)));

    private Span<byte> Attribute(ushort type, int payloadLength)
    {
        var length = NlaHeaderSize + payloadLength;
        var s = Take(Nlm.Align(length));
        BinaryPrimitives.WriteUInt16LittleEndian(s, checked((ushort)length));
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        s[length..].Clear();
        return s.Slice(NlaHeaderSize, payloadLength);
    }

    private Span<byte> Take(int count)
    {
        var s = _buffer.Slice(_position, count);
        _position += count;
        return s;
    }
}
