using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>The vxlan device has no FDB entry for destination <see cref="Mac"/> (wants MAC to VTEP).</summary>
public sealed record L2Miss(int LinkIndex, PhysicalAddress Mac) : NeighborMiss;
