using System.Net;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>
/// A vxlan device to create (`ip link add NAME [mtu M] type vxlan id VNI dstport PORT [no]learning [proxy] [l2miss] [l3miss]
/// [ttl T] [local IP] [dev UNDERLAY] [ageing S] [udpcsum]`). Flags that are false are not sent (the kernel default is off),
/// except Learning, which is always sent because the kernel default is on.
/// </summary>
public sealed record VxlanSpec(
    string Name,
    uint Vni,
    ushort Port = 4789,
    bool Learning = false,
    bool Proxy = true,
    bool L2Miss = true,
    bool L3Miss = true,
    byte Ttl = 0,
    IPAddress? Local = null,
    int? UnderlayIndex = null,
    int? Mtu = null,
    uint? AgeingSeconds = null,
    bool UdpChecksum = false);
