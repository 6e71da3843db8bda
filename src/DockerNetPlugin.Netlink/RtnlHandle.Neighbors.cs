using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>ARP/ND entries: RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH with AF_INET/AF_INET6 (netlink.md §4.2).</summary>
public sealed partial class RtnlHandle
{
    /// <summary>`ip neigh add IP lladdr MAC dev X nud permanent`; EEXIST if an entry exists.</summary>
    public void NeighborAdd(Neighbor neighbor) => ExecuteNeighbor(Nlm.Create, neighbor, "add");

    /// <summary>`ip neigh replace IP lladdr MAC dev X nud permanent`.</summary>
    public void NeighborReplace(Neighbor neighbor) => ExecuteNeighbor(Nlm.Replace, neighbor, "replace");

    /// <summary>`ip neigh del IP dev X`.</summary>
    public void NeighborDelete(int linkIndex, IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        CheckIndex(linkIndex, nameof(linkIndex));
        CheckPrefix(ip, 0, nameof(ip));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteNeighborDelete(ref w, 0, linkIndex, ip);
        _socket.Execute(buffer[..w.Length], $"RTM_DELNEIGH {ip} on ifindex {linkIndex}");
    }

    /// <summary><see cref="NeighborReplace"/> for many entries, pipelined; throws one <see cref="NetlinkBatchException"/> for all failures.</summary>
    public void NeighborReplaceMany(IReadOnlyList<Neighbor> entries)
    {
        CheckAll(entries, CheckNeighbor);
        RunBatch(entries, "RTM_NEWNEIGH replace", (ref NetlinkWriter w, Neighbor n, uint seq) => WriteNeighbor(ref w, seq, Nlm.Replace, n), n => DescribeNeighbor(n, "replace"));
    }

    /// <summary><see cref="NeighborDelete"/> for many entries, pipelined; throws one <see cref="NetlinkBatchException"/> for all failures.</summary>
    public void NeighborDeleteMany(IReadOnlyList<Neighbor> entries)
    {
        CheckAll(entries, CheckNeighbor);
        RunBatch(entries, "RTM_DELNEIGH", (ref NetlinkWriter w, Neighbor n, uint seq) => WriteNeighborDelete(ref w, seq, n.LinkIndex, n.Ip), n => DescribeNeighbor(n, "del"));
    }

    /// <summary>`ip neigh show [dev X]`: ARP and ND entries in every state, optionally of one family.</summary>
    public IReadOnlyList<NeighborInfo> NeighborList(int? linkIndex = null, AddressFamily? family = null)
    {
        var af = family switch
        {
            null => Af.AF_UNSPEC,
            AddressFamily.InterNetwork => Af.AF_INET,
            AddressFamily.InterNetworkV6 => Af.AF_INET6,
            _ => throw new ArgumentException($"neighbour family must be InterNetwork or InterNetworkV6, not {family}", nameof(family)),
        };
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteNeighborDump(ref w, 0, af, linkIndex);
        var all = _socket.Dump<NeighborInfo>(buffer[..w.Length], "RTM_GETNEIGH dump", ParseNeighbor);
        return all.Where(n => (linkIndex is null || n.LinkIndex == linkIndex) && (family is null || n.Ip.AddressFamily == family)).ToList();
    }

    internal static void WriteNeighbor(ref NetlinkWriter w, uint seq, ushort flags, Neighbor neighbor)
    {
        w.BeginMessage(Rtm.RTM_NEWNEIGH, flags, seq);
        w.WriteNdMsg(FamilyOf(neighbor.Ip), neighbor.LinkIndex, Nud.NUD_PERMANENT, 0);
        w.PutAddress(Nda.NDA_DST, neighbor.Ip);
        w.PutMac(Nda.NDA_LLADDR, neighbor.Mac);
        w.EndMessage();
    }

    internal static void WriteNeighborDelete(ref NetlinkWriter w, uint seq, int linkIndex, IPAddress ip)
    {
        w.BeginMessage(Rtm.RTM_DELNEIGH, Nlm.Modify, seq);
        w.WriteNdMsg(FamilyOf(ip), linkIndex, Nud.NUD_PERMANENT, 0);
        w.PutAddress(Nda.NDA_DST, ip);
        w.EndMessage();
    }

    internal static void WriteNeighborDump(ref NetlinkWriter w, uint seq, byte family, int? linkIndex)
    {
        w.BeginMessage(Rtm.RTM_GETNEIGH, Nlm.Dump, seq);
        w.WriteNdMsg(family, 0, 0, 0);
        if (linkIndex is { } index)
        {
            w.PutU32(Nda.NDA_IFINDEX, checked((uint)index));
        }

        w.EndMessage();
    }

    internal static bool ParseNeighbor(in NetlinkMessage message, out NeighborInfo neighbor)
    {
        neighbor = null!;
        var payload = message.Payload;
        if (message.Type != Rtm.RTM_NEWNEIGH || payload.Length < Nda.NdMsgSize || payload[0] is not (Af.AF_INET or Af.AF_INET6))
        {
            return false;
        }

        ReadDestinationAndMac(message, out var ip, out var mac);
        if (ip is null)
        {
            return false;
        }

        neighbor = new NeighborInfo(AttributeReader.S32(payload[4..]), ip, mac, (NeighborState)AttributeReader.U16LittleEndian(payload[8..]));
        return true;
    }

    /// <summary>NDA_DST and NDA_LLADDR of a neighbour message (either may be absent).</summary>
    internal static void ReadDestinationAndMac(in NetlinkMessage message, out IPAddress? ip, out System.Net.NetworkInformation.PhysicalAddress? mac)
    {
        ip = null;
        mac = null;
        var attributes = message.Attributes(Nda.NdMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Nda.NDA_DST)
            {
                ip = AttributeReader.Address(value);
            }
            else if (type == Nda.NDA_LLADDR && value.Length == 6)
            {
                mac = AttributeReader.Mac(value);
            }
        }
    }

    private static byte FamilyOf(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetworkV6 ? Af.AF_INET6 : Af.AF_INET;

    private static string DescribeNeighbor(Neighbor n, string verb) => $"{(verb == "del" ? "RTM_DELNEIGH" : "RTM_NEWNEIGH " + verb)} {n.Ip} lladdr {MacText.Format(n.Mac)} on ifindex {n.LinkIndex}";

    private static void CheckNeighbor(Neighbor n)
    {
        ArgumentNullException.ThrowIfNull(n);
        ArgumentNullException.ThrowIfNull(n.Ip);
        ArgumentNullException.ThrowIfNull(n.Mac);
        CheckIndex(n.LinkIndex, nameof(n.LinkIndex));
        CheckPrefix(n.Ip, 0, nameof(n.Ip));
    }

    private static void CheckAll<T>(IReadOnlyList<T> items, Action<T> check)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            check(item);
        }
    }

    private void ExecuteNeighbor(ushort flags, Neighbor neighbor, string verb)
    {
        CheckNeighbor(neighbor);
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteNeighbor(ref w, 0, flags, neighbor);
        _socket.Execute(buffer[..w.Length], DescribeNeighbor(neighbor, verb));
    }
}
