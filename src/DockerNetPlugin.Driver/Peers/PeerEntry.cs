using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Driver.Peers;

/// <summary>A remote endpoint as the kernel needs it: its addresses and MAC (neighbour entries) behind a VTEP (FDB entry).</summary>
internal sealed record PeerEntry(IPAddress? IPv4, IPAddress? IPv6, PhysicalAddress Mac, IPAddress Vtep)
{
    public IEnumerable<IPAddress> Addresses => new[] { IPv4, IPv6 }.OfType<IPAddress>();
}
