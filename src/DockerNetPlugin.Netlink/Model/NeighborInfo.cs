using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>A neighbour entry from a dump, in any state; <see cref="Mac"/> is null for entries without a link-layer address.</summary>
public sealed record NeighborInfo(int LinkIndex, IPAddress Ip, PhysicalAddress? Mac, NeighborState State);
