namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/if_link.h and linux/veth.h: IFLA_*, IFLA_INFO_*, IFLA_VXLAN_*, VETH_INFO_PEER.</summary>
internal static class Ifla
{
    internal const int IfInfoMsgSize = 16;

    internal const ushort IFLA_ADDRESS = 1;
    internal const ushort IFLA_IFNAME = 3;
    internal const ushort IFLA_MTU = 4;
    internal const ushort IFLA_LINK = 5;
    internal const ushort IFLA_MASTER = 10;
    internal const ushort IFLA_OPERSTATE = 16;
    internal const ushort IFLA_LINKINFO = 18;
    internal const ushort IFLA_NET_NS_FD = 28;
    internal const ushort IFLA_EXT_MASK = 29;
    internal const ushort IFLA_LINK_NETNSID = 37;

    internal const ushort IFLA_INFO_KIND = 1;
    internal const ushort IFLA_INFO_DATA = 2;

    internal const ushort VETH_INFO_PEER = 1;

    internal const ushort IFLA_BR_MCAST_SNOOPING = 23;

    internal const ushort IFLA_VXLAN_ID = 1;
    internal const ushort IFLA_VXLAN_LINK = 3;
    internal const ushort IFLA_VXLAN_LOCAL = 4;
    internal const ushort IFLA_VXLAN_TTL = 5;
    internal const ushort IFLA_VXLAN_LEARNING = 7;
    internal const ushort IFLA_VXLAN_AGEING = 8;
    internal const ushort IFLA_VXLAN_PROXY = 11;
    internal const ushort IFLA_VXLAN_L2MISS = 13;
    internal const ushort IFLA_VXLAN_L3MISS = 14;
    internal const ushort IFLA_VXLAN_PORT = 15;
    internal const ushort IFLA_VXLAN_LOCAL6 = 17;
    internal const ushort IFLA_VXLAN_UDP_CSUM = 18;

    /// <summary>RTEXT_FILTER_VF, what `ip link show` asks for in dumps.</summary>
    internal const uint RTEXT_FILTER_VF = 1;

    /// <summary>RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS, what `ip` sends on single GETLINKs.</summary>
    internal const uint RTEXT_FILTER_VF_SKIP_STATS = 9;

    internal const uint IFF_UP = 0x1;

    /// <summary>IFNAMSIZ - 1: the longest interface name.</summary>
    internal const int MaxNameLength = 15;
}
