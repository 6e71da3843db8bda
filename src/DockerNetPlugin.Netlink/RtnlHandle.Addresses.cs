using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>Addresses: RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR (netlink.md §3.1).</summary>
public sealed partial class RtnlHandle
{
    /// <summary>`ip addr add IP/PREFIX dev X` (IPv6 with `nodad`); EEXIST if present.</summary>
    public void AddressAdd(int index, IPAddress ip, int prefixLength) =>
        ExecuteAddress(Rtm.RTM_NEWADDR, Nlm.Create, index, ip, prefixLength, "add");

    /// <summary>`ip addr replace IP/PREFIX dev X` (IPv6 with `nodad`).</summary>
    public void AddressReplace(int index, IPAddress ip, int prefixLength) =>
        ExecuteAddress(Rtm.RTM_NEWADDR, Nlm.Replace, index, ip, prefixLength, "replace");

    /// <summary>`ip addr del IP/PREFIX dev X`.</summary>
    public void AddressDelete(int index, IPAddress ip, int prefixLength) =>
        ExecuteAddress(Rtm.RTM_DELADDR, Nlm.Modify, index, ip, prefixLength, "del");

    /// <summary>`ip addr show [dev X]`: IPv4 and IPv6 addresses.</summary>
    public IReadOnlyList<AddressInfo> AddressList(int? index = null)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteAddressDump(ref w, 0, Af.AF_UNSPEC, index ?? 0);
        var all = _socket.Dump<AddressInfo>(buffer[..w.Length], "RTM_GETADDR dump", ParseAddress);
        return index is { } i ? all.Where(a => a.Index == i).ToList() : all;
    }

    internal static void WriteAddress(ref NetlinkWriter w, uint seq, ushort type, ushort flags, int index, IPAddress ip, int prefixLength)
    {
        var v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
        w.BeginMessage(type, flags, seq);
        var ifaFlags = v6 && type == Rtm.RTM_NEWADDR ? Ifa.IFA_F_NODAD : (byte)0;
        w.WriteIfAddrMsg(v6 ? Af.AF_INET6 : Af.AF_INET, checked((byte)prefixLength), ifaFlags, 0, index);
        w.PutAddress(Ifa.IFA_LOCAL, ip);
        w.PutAddress(Ifa.IFA_ADDRESS, ip);
        w.EndMessage();
    }

    internal static void WriteAddressDump(ref NetlinkWriter w, uint seq, byte family, int index)
    {
        w.BeginMessage(Rtm.RTM_GETADDR, Nlm.Dump, seq);
        w.WriteIfAddrMsg(family, 0, 0, 0, index);
        w.EndMessage();
    }

    internal static bool ParseAddress(in NetlinkMessage message, out AddressInfo address)
    {
        address = null!;
        var payload = message.Payload;
        if (message.Type != Rtm.RTM_NEWADDR || payload.Length < Ifa.IfAddrMsgSize)
        {
            return false;
        }

        IPAddress? local = null, peer = null;
        var attributes = message.Attributes(Ifa.IfAddrMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Ifa.IFA_LOCAL)
            {
                local = AttributeReader.Address(value);
            }
            else if (type == Ifa.IFA_ADDRESS)
            {
                peer = AttributeReader.Address(value);
            }
        }

        var ip = local ?? peer;
        if (ip is null)
        {
            return false;
        }

        address = new AddressInfo(AttributeReader.S32(payload[4..]), ip, payload[1]);
        return true;
    }

    private static void CheckPrefix(IPAddress ip, int prefixLength, string name)
    {
        var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{ip} is neither IPv4 nor IPv6", name);
        }

        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(name, prefixLength, $"prefix length of {ip} must be 0..{max}");
        }
    }

    private void ExecuteAddress(ushort type, ushort flags, int index, IPAddress ip, int prefixLength, string verb)
    {
        ArgumentNullException.ThrowIfNull(ip);
        CheckIndex(index, nameof(index));
        CheckPrefix(ip, prefixLength, nameof(prefixLength));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteAddress(ref w, 0, type, flags, index, ip, prefixLength);
        _socket.Execute(buffer[..w.Length], $"{Rtm.Name(type)} {verb} {ip}/{prefixLength} on ifindex {index}");
    }
}
