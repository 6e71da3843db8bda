using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>A PERMANENT ARP (IPv4) or ND (IPv6) entry: IP to MAC on a device.</summary>
public sealed record Neighbor(int LinkIndex, IPAddress Ip, PhysicalAddress Mac);
