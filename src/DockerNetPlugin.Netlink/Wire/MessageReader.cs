using System.Buffers.Binary;

namespace DockerNetPlugin.Netlink.Wire;

/// <summary>Walks the 4-aligned messages of one datagram; stops at a short or malformed header.</summary>
internal ref struct MessageReader
{
    private ReadOnlySpan<byte> _rest;

    public MessageReader(ReadOnlySpan<byte> datagram) => _rest = datagram;

    public bool Next(out NetlinkMessage message)
    {
        message = default;
        if (_rest.Length < Nlm.NLMSG_HDRLEN)
        {
            return false;
        }

        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < Nlm.NLMSG_HDRLEN || length > _rest.Length)
        {
            return false;
        }

        message = new NetlinkMessage(_rest[..length]);
        _rest = _rest[Math.Min(Nlm.Align(length), _rest.Length)..];
        return true;
    }
}
