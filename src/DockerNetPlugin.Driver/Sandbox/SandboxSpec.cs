using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// What an overlay namespace must contain: br0 with the gateways, vxlan0 with this VNI, at this MTU. A
/// <see cref="Multicast"/> network's br0 does not snoop IGMP/MLD (every port gets every multicast frame).
/// Its vxlan0's UDP socket is bound to <paramref name="Local"/> (the advertise address) so it never answers on other addresses of the host.
/// </summary>
public sealed record SandboxSpec(
    string Path,
    string LogicalNetworkId,
    uint Vni,
    ushort Port,
    int Mtu,
    IReadOnlyList<InterfaceAddress> Gateways,
    bool Multicast = false,
    System.Net.IPAddress? Local = null);
