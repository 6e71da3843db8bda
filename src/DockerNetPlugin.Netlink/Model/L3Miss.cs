using System.Net;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>The vxlan device was asked to resolve <see cref="Ip"/> and has no neighbour entry for it (wants IP to MAC).</summary>
public sealed record L3Miss(int LinkIndex, IPAddress Ip) : NeighborMiss;
