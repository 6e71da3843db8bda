using System.Net;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>The vxlan attributes of a link as the kernel reports them (IFLA_INFO_DATA of kind "vxlan").</summary>
public sealed record VxlanInfo(
    uint Vni,
    ushort Port,
    bool Learning,
    bool Proxy,
    bool L2Miss,
    bool L3Miss,
    byte Ttl,
    IPAddress? Local,
    int? UnderlayIndex);
