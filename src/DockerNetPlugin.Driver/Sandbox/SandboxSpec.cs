using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// What an overlay namespace must contain: br0 with the gateways, vxlan0 with this VNI, at this MTU. A
/// <see cref="Multicast"/> network's br0 does not snoop IGMP/MLD (every port gets every multicast frame).
/// </summary>
public sealed record SandboxSpec(
    string Path,
    string LogicalNetworkId,
    uint Vni,
    ushort Port,
    int Mtu,
    IReadOnlyList<InterfaceAddress> Gateways,
    bool Multicast = false);
