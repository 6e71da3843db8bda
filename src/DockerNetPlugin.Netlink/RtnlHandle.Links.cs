using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>Links: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK (netlink.md §2).</summary>
public sealed partial class RtnlHandle
{
    private delegate void AttributeWriter<T>(ref NetlinkWriter writer, T value);

    /// <summary>
    /// `ip link add NAME [mtu M] [address MAC] type bridge [mcast_snooping 0|1]`; returns the new ifindex.
    /// <paramref name="multicastSnooping"/> null leaves the kernel default (on).
    /// </summary>
    public int BridgeAdd(string name, int? mtu = null, PhysicalAddress? mac = null, bool? multicastSnooping = null)
    {
        CheckName(name);
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteBridgeAdd(ref w, 0, name, mtu, mac, multicastSnooping);
        _socket.Execute(buffer[..w.Length], $"RTM_NEWLINK bridge '{name}'");
        return IndexOf(name);
    }

    /// <summary>
    /// `ip link add NAME [mtu M] [address MAC] type veth peer name PEER [mtu M] [address MAC] [netns NS]`.
    /// PeerIndex is 0 when the peer was created in another namespace.
    /// </summary>
    public (int Index, int PeerIndex) VethAdd(string name, string peerName, int? mtu = null, PhysicalAddress? mac = null, PhysicalAddress? peerMac = null, NetNs? peerNamespace = null)
    {
        CheckName(name);
        CheckName(peerName);
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        var added = false;
        try
        {
            peerNamespace?.Handle.DangerousAddRef(ref added);
            WriteVethAdd(ref w, 0, name, peerName, mtu, mac, peerMac, peerNamespace?.Handle.Fd);
            _socket.Execute(buffer[..w.Length], $"RTM_NEWLINK veth '{name}' peer '{peerName}'");
        }
        finally
        {
            if (added)
            {
                peerNamespace!.Handle.DangerousRelease();
            }
        }

        var link = LinkByName(name) ?? throw NotFoundAfterCreate(name);
        return (link.Index, peerNamespace is null ? link.PeerIndex ?? 0 : 0);
    }

    /// <summary>`ip link add NAME [mtu M] type vxlan id VNI dstport PORT ...` (see <see cref="VxlanSpec"/>); returns the new ifindex.</summary>
    public int VxlanAdd(VxlanSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckName(spec.Name);
        if (spec.Vni >= 1u << 24)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Vni, "a VNI has 24 bits (0..16777215)");
        }

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteVxlanAdd(ref w, 0, spec);
        _socket.Execute(buffer[..w.Length], $"RTM_NEWLINK vxlan '{spec.Name}'");
        return IndexOf(spec.Name);
    }

    /// <summary>`ip link set dev X up`.</summary>
    public void LinkSetUp(int index) => LinkSetFlags(index, up: true);

    /// <summary>`ip link set dev X down`.</summary>
    public void LinkSetDown(int index) => LinkSetFlags(index, up: false);

    /// <summary>`ip link set dev X mtu M`.</summary>
    public void LinkSetMtu(int index, int mtu) => LinkSetU32(index, Ifla.IFLA_MTU, checked((uint)mtu), $"mtu {mtu}");

    /// <summary>`ip link set dev X master B` (<paramref name="masterIndex"/> 0 = `nomaster`).</summary>
    public void LinkSetMaster(int index, int masterIndex) =>
        LinkSetU32(index, Ifla.IFLA_MASTER, checked((uint)masterIndex), masterIndex == 0 ? "nomaster" : $"master {masterIndex}");

    /// <summary>`ip link set dev X address MAC`.</summary>
    public void LinkSetMac(int index, PhysicalAddress mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        LinkSet(index, mac, static (ref NetlinkWriter w, PhysicalAddress m) => w.PutMac(Ifla.IFLA_ADDRESS, m), $"address {MacText.Format(mac)}");
    }

    /// <summary>`ip link set dev X name NEW`.</summary>
    public void LinkSetName(int index, string name)
    {
        CheckName(name);
        LinkSet(index, name, static (ref NetlinkWriter w, string n) => w.PutString(Ifla.IFLA_IFNAME, n), $"name '{name}'");
    }

    /// <summary>`ip link set dev X netns NS` (by fd). The device is brought down and loses its addresses.</summary>
    public void LinkSetNetNs(int index, NetNs target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var added = false;
        try
        {
            target.Handle.DangerousAddRef(ref added);
            LinkSetU32(index, Ifla.IFLA_NET_NS_FD, (uint)target.Handle.Fd, $"netns {target.Path}");
        }
        finally
        {
            if (added)
            {
                target.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>`ip link del dev X` (deleting one veth end deletes both).</summary>
    public void LinkDelete(int index)
    {
        CheckIndex(index, nameof(index));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteLinkDelete(ref w, 0, index);
        _socket.Execute(buffer[..w.Length], $"RTM_DELLINK ifindex {index}");
    }

    /// <summary>`ip -d link show dev NAME`; null when there is no such link.</summary>
    public LinkInfo? LinkByName(string name)
    {
        CheckName(name);
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteLinkGetByName(ref w, 0, name);
        return _socket.Get<LinkInfo>(buffer[..w.Length], $"RTM_GETLINK '{name}'", ParseLink);
    }

    /// <summary>`ip -d link show` of one ifindex; null when there is no such link.</summary>
    public LinkInfo? LinkByIndex(int index)
    {
        CheckIndex(index, nameof(index));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteLinkGetByIndex(ref w, 0, index);
        return _socket.Get<LinkInfo>(buffer[..w.Length], $"RTM_GETLINK ifindex {index}", ParseLink);
    }

    /// <summary>`ip -d link show`: every link of this namespace.</summary>
    public IReadOnlyList<LinkInfo> LinkList()
    {
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteLinkDump(ref w, 0);
        return _socket.Dump<LinkInfo>(buffer[..w.Length], "RTM_GETLINK dump", ParseLink);
    }

    internal static void WriteBridgeAdd(ref NetlinkWriter w, uint seq, string name, int? mtu, PhysicalAddress? mac, bool? multicastSnooping = null)
    {
        w.BeginMessage(Rtm.RTM_NEWLINK, Nlm.Create, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, 0);
        WriteNameMtuMac(ref w, name, mtu, mac);
        WriteBridgeInfo(ref w, multicastSnooping);
        w.EndMessage();
    }

    /// <summary>IFLA_LINKINFO{KIND "bridge", [INFO_DATA{IFLA_BR_MCAST_SNOOPING}]}.</summary>
    private static void WriteBridgeInfo(ref NetlinkWriter w, bool? multicastSnooping)
    {
        var linkInfo = w.BeginNested(Ifla.IFLA_LINKINFO);
        w.PutStringNoNul(Ifla.IFLA_INFO_KIND, "bridge");
        if (multicastSnooping is { } snooping)
        {
            var data = w.BeginNested(Ifla.IFLA_INFO_DATA);
            w.PutU8(Ifla.IFLA_BR_MCAST_SNOOPING, snooping ? (byte)1 : (byte)0);
            w.EndNested(data);
        }

        w.EndNested(linkInfo);
    }

    /// <summary>`ip link set dev X type bridge mcast_snooping 0|1` (IFLA_BR_MCAST_SNOOPING) on an existing bridge.</summary>
    public void BridgeSetMulticastSnooping(int index, bool on)
    {
        CheckIndex(index, nameof(index));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        BeginLinkSet(ref w, 0, index);
        WriteBridgeInfo(ref w, on);
        w.EndMessage();
        _socket.Execute(buffer[..w.Length], $"RTM_NEWLINK set ifindex {index} type bridge mcast_snooping {(on ? 1 : 0)}");
    }

    internal static void WriteVethAdd(ref NetlinkWriter w, uint seq, string name, string peerName, int? mtu, PhysicalAddress? mac, PhysicalAddress? peerMac, int? peerNamespaceFd)
    {
        w.BeginMessage(Rtm.RTM_NEWLINK, Nlm.Create, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, 0);
        WriteNameMtuMac(ref w, name, mtu, mac);
        var linkInfo = w.BeginNested(Ifla.IFLA_LINKINFO);
        w.PutStringNoNul(Ifla.IFLA_INFO_KIND, "veth");
        var data = w.BeginNested(Ifla.IFLA_INFO_DATA);
        var peer = w.BeginNested(Ifla.VETH_INFO_PEER);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, 0);
        if (peerNamespaceFd is { } fd)
        {
            w.PutU32(Ifla.IFLA_NET_NS_FD, checked((uint)fd));
        }

        WriteNameMtuMac(ref w, peerName, mtu, peerMac);
        w.EndNested(peer);
        w.EndNested(data);
        w.EndNested(linkInfo);
        w.EndMessage();
    }

    internal static void WriteVxlanAdd(ref NetlinkWriter w, uint seq, VxlanSpec spec)
    {
        w.BeginMessage(Rtm.RTM_NEWLINK, Nlm.Create, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, 0);
        WriteNameMtuMac(ref w, spec.Name, spec.Mtu, null);
        var linkInfo = w.BeginNested(Ifla.IFLA_LINKINFO);
        w.PutStringNoNul(Ifla.IFLA_INFO_KIND, "vxlan");
        var data = w.BeginNested(Ifla.IFLA_INFO_DATA);
        if (spec.UnderlayIndex is { } underlay)
        {
            w.PutU32(Ifla.IFLA_VXLAN_LINK, checked((uint)underlay));
        }

        PutFlagIfSet(ref w, Ifla.IFLA_VXLAN_PROXY, spec.Proxy);
        PutFlagIfSet(ref w, Ifla.IFLA_VXLAN_L2MISS, spec.L2Miss);
        PutFlagIfSet(ref w, Ifla.IFLA_VXLAN_L3MISS, spec.L3Miss);
        if (spec.Ttl != 0)
        {
            w.PutU8(Ifla.IFLA_VXLAN_TTL, spec.Ttl);
        }

        if (spec.AgeingSeconds is { } ageing)
        {
            w.PutU32(Ifla.IFLA_VXLAN_AGEING, ageing);
        }

        PutFlagIfSet(ref w, Ifla.IFLA_VXLAN_UDP_CSUM, spec.UdpChecksum);
        w.PutU32(Ifla.IFLA_VXLAN_ID, spec.Vni);
        if (spec.Local is { } local)
        {
            w.PutAddress(local.AddressFamily == AddressFamily.InterNetworkV6 ? Ifla.IFLA_VXLAN_LOCAL6 : Ifla.IFLA_VXLAN_LOCAL, local);
        }

        w.PutU8(Ifla.IFLA_VXLAN_LEARNING, spec.Learning ? (byte)1 : (byte)0);
        w.PutU16BigEndian(Ifla.IFLA_VXLAN_PORT, spec.Port);
        w.EndNested(data);
        w.EndNested(linkInfo);
        w.EndMessage();
    }

    /// <summary>NEWLINK without CREATE on an existing index: the start of every `ip link set`.</summary>
    internal static void BeginLinkSet(ref NetlinkWriter w, uint seq, int index, uint flags = 0, uint change = 0)
    {
        w.BeginMessage(Rtm.RTM_NEWLINK, Nlm.Modify, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, index, flags, change);
    }

    internal static void WriteLinkDelete(ref NetlinkWriter w, uint seq, int index)
    {
        w.BeginMessage(Rtm.RTM_DELLINK, Nlm.Modify, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, index);
        w.EndMessage();
    }

    internal static void WriteLinkGetByName(ref NetlinkWriter w, uint seq, string name)
    {
        w.BeginMessage(Rtm.RTM_GETLINK, Nlm.NLM_F_REQUEST, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, 0);
        w.PutU32(Ifla.IFLA_EXT_MASK, Ifla.RTEXT_FILTER_VF_SKIP_STATS);
        w.PutString(Ifla.IFLA_IFNAME, name);
        w.EndMessage();
    }

    internal static void WriteLinkGetByIndex(ref NetlinkWriter w, uint seq, int index)
    {
        w.BeginMessage(Rtm.RTM_GETLINK, Nlm.NLM_F_REQUEST, seq);
        w.WriteIfInfoMsg(Af.AF_UNSPEC, index);
        w.PutU32(Ifla.IFLA_EXT_MASK, Ifla.RTEXT_FILTER_VF_SKIP_STATS);
        w.EndMessage();
    }

    internal static void WriteLinkDump(ref NetlinkWriter w, uint seq)
    {
        w.BeginMessage(Rtm.RTM_GETLINK, Nlm.Dump, seq);
        w.WriteIfInfoMsg(Af.AF_PACKET, 0);
        w.PutU32(Ifla.IFLA_EXT_MASK, Ifla.RTEXT_FILTER_VF);
        w.EndMessage();
    }

    internal static bool ParseLink(in NetlinkMessage message, out LinkInfo link)
    {
        link = null!;
        var payload = message.Payload;
        if (message.Type != Rtm.RTM_NEWLINK || payload.Length < Ifla.IfInfoMsgSize)
        {
            return false;
        }

        var index = AttributeReader.S32(payload[4..]);
        var flags = AttributeReader.U32(payload[8..]);
        string name = string.Empty;
        string? kind = null;
        PhysicalAddress? mac = null;
        int mtu = 0, master = 0, operState = 0;
        int? peer = null, netnsId = null;
        VxlanInfo? vxlan = null;
        bool? snooping = null;
        var attributes = message.Attributes(Ifla.IfInfoMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            switch (type)
            {
                case Ifla.IFLA_IFNAME: name = AttributeReader.String(value); break;
                case Ifla.IFLA_MTU: mtu = AttributeReader.S32(value); break;
                case Ifla.IFLA_ADDRESS when value.Length == 6: mac = AttributeReader.Mac(value); break;
                case Ifla.IFLA_MASTER: master = AttributeReader.S32(value); break;
                case Ifla.IFLA_OPERSTATE: operState = value[0]; break;
                case Ifla.IFLA_LINK: peer = AttributeReader.S32(value); break;
                case Ifla.IFLA_LINK_NETNSID: netnsId = AttributeReader.S32(value); break;
                case Ifla.IFLA_LINKINFO: ParseLinkInfo(value, out kind, out vxlan, out snooping); break;
                default: break;
            }
        }

        link = new LinkInfo(index, name, kind, mtu, mac, master, (flags & Ifla.IFF_UP) != 0, operState, peer, netnsId, vxlan, snooping);
        return true;
    }

    private static void ParseLinkInfo(ReadOnlySpan<byte> linkInfo, out string? kind, out VxlanInfo? vxlan, out bool? snooping)
    {
        kind = null;
        vxlan = null;
        snooping = null;
        ReadOnlySpan<byte> data = default;
        var attributes = new AttributeReader(linkInfo);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Ifla.IFLA_INFO_KIND)
            {
                kind = AttributeReader.String(value);
            }
            else if (type == Ifla.IFLA_INFO_DATA)
            {
                data = value;
            }
        }

        if (kind == "vxlan")
        {
            vxlan = ParseVxlan(data);
        }
        else if (kind == "bridge")
        {
            snooping = ParseBridgeSnooping(data);
        }
    }

    private static bool? ParseBridgeSnooping(ReadOnlySpan<byte> data)
    {
        var attributes = new AttributeReader(data);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Ifla.IFLA_BR_MCAST_SNOOPING && value.Length >= 1)
            {
                return value[0] != 0;
            }
        }

        return null;
    }

    private static VxlanInfo ParseVxlan(ReadOnlySpan<byte> data)
    {
        uint vni = 0;
        ushort port = 0;
        bool learning = false, proxy = false, l2miss = false, l3miss = false;
        byte ttl = 0;
        IPAddress? local = null;
        int? underlay = null;
        var attributes = new AttributeReader(data);
        while (attributes.Next(out var type, out var value))
        {
            switch (type)
            {
                case Ifla.IFLA_VXLAN_ID: vni = AttributeReader.U32(value); break;
                case Ifla.IFLA_VXLAN_PORT: port = AttributeReader.U16BigEndian(value); break;
                case Ifla.IFLA_VXLAN_LEARNING: learning = value[0] != 0; break;
                case Ifla.IFLA_VXLAN_PROXY: proxy = value[0] != 0; break;
                case Ifla.IFLA_VXLAN_L2MISS: l2miss = value[0] != 0; break;
                case Ifla.IFLA_VXLAN_L3MISS: l3miss = value[0] != 0; break;
                case Ifla.IFLA_VXLAN_TTL: ttl = value[0]; break;
                case Ifla.IFLA_VXLAN_LOCAL or Ifla.IFLA_VXLAN_LOCAL6: local = AttributeReader.Address(value); break;
                case Ifla.IFLA_VXLAN_LINK: underlay = AttributeReader.S32(value); break;
                default: break;
            }
        }

        return new VxlanInfo(vni, port, learning, proxy, l2miss, l3miss, ttl, local, underlay);
    }

    private static void WriteNameMtuMac(ref NetlinkWriter w, string name, int? mtu, PhysicalAddress? mac)
    {
        if (mtu is { } m)
        {
            w.PutU32(Ifla.IFLA_MTU, checked((uint)m));
        }

        if (mac is not null)
        {
            w.PutMac(Ifla.IFLA_ADDRESS, mac);
        }

        w.PutString(Ifla.IFLA_IFNAME, name);
    }

    private static void PutFlagIfSet(ref NetlinkWriter w, ushort type, bool set)
    {
        if (set)
        {
            w.PutU8(type, 1);
        }
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > Ifla.MaxNameLength || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"interface name '{name}' must be 1..{Ifla.MaxNameLength} bytes without '/', ':' or whitespace", nameof(name));
        }
    }

    private static NetlinkException NotFoundAfterCreate(string name) =>
        new($"RTM_GETLINK '{name}' (just created, then gone)", (int)Interop.Errno.ENODEV, null);

    private int IndexOf(string name) => (LinkByName(name) ?? throw NotFoundAfterCreate(name)).Index;

    private void LinkSetFlags(int index, bool up)
    {
        CheckIndex(index, nameof(index));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        BeginLinkSet(ref w, 0, index, up ? Ifla.IFF_UP : 0, Ifla.IFF_UP);
        w.EndMessage();
        _socket.Execute(buffer[..w.Length], $"RTM_NEWLINK set ifindex {index} {(up ? "up" : "down")}");
    }

    private void LinkSetU32(int index, ushort attribute, uint value, string what) =>
        LinkSet(index, (attribute, value), static (ref NetlinkWriter w, (ushort Type, uint Value) a) => w.PutU32(a.Type, a.Value), what);

    /// <summary>One `ip link set` request carrying one attribute.</summary>
    private void LinkSet<T>(int index, T value, AttributeWriter<T> put, string what)
    {
        CheckIndex(index, nameof(index));
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        BeginLinkSet(ref w, 0, index);
        put(ref w, value);
        w.EndMessage();
        _socket.Execute(buffer[..w.Length], $"RTM_NEWLINK set ifindex {index} {what}");
    }
}
