using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>
/// One link as RTM_NEWLINK describes it. <see cref="PeerIndex"/> is IFLA_LINK (for a veth: the peer's ifindex in the
/// peer's namespace); <see cref="LinkNetNsId"/> is set when that peer or underlay lives in another namespace.
/// <see cref="MulticastSnooping"/> is IFLA_BR_MCAST_SNOOPING of a bridge (null for other kinds).
/// </summary>
public sealed record LinkInfo(
    int Index,
    string Name,
    string? Kind,
    int Mtu,
    PhysicalAddress? Mac,
    int MasterIndex,
    bool IsUp,
    int OperState,
    int? PeerIndex,
    int? LinkNetNsId,
    VxlanInfo? Vxlan,
    bool? MulticastSnooping = null);
