using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;

namespace DockerNetPlugin.Netlink.Wire;

/// <summary>Walks nlattrs; the type is masked with 0x3fff (the kernel sets NLA_F_NESTED on some).</summary>
internal ref struct AttributeReader
{
    private const ushort TypeMask = 0x3fff;
    private ReadOnlySpan<byte> _rest;

    public AttributeReader(ReadOnlySpan<byte> attributes) => _rest = attributes;

    public bool Next(out ushort type, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        payload = default;
        if (_rest.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
        {
            return false;
        }

        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & TypeMask);
        payload = _rest[4..length];
        _rest = _rest[Math.Min(Nlm.Align(length), _rest.Length)..];
        return true;
    }

    public static uint U32(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt32LittleEndian(p);

    public static uint U32BigEndian(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt32BigEndian(p);

    public static ulong U64BigEndian(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt64BigEndian(p);

    public static int S32(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadInt32LittleEndian(p);

    public static ushort U16BigEndian(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt16BigEndian(p);

    public static ushort U16LittleEndian(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt16LittleEndian(p);

    /// <summary>A string up to its first NUL (or the end).</summary>
    public static string String(ReadOnlySpan<byte> p)
    {
        var nul = p.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? p[..nul] : p);
    }

    public static IPAddress Address(ReadOnlySpan<byte> p) => new(p);

    public static PhysicalAddress Mac(ReadOnlySpan<byte> p) => new(p.ToArray());
}
