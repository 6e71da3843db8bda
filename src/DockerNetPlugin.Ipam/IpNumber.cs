using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Ipam;

/// <summary>
/// An IP address as an unsigned number (IPv4 in the low 32 bits), so ranges, offsets and
/// containment are plain arithmetic for both families.
/// </summary>
internal static class IpNumber
{
    public static UInt128 From(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 n = 0;
        foreach (var b in bytes)
            n = (n << 8) | b;
        return n;
    }

    public static IPAddress ToAddress(UInt128 number, bool v6)
    {
        var length = v6 ? 16 : 4;
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(number & 0xff);
            number >>= 8;
        }
        return new IPAddress(bytes);
    }

    public static bool IsV6(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6;
}
