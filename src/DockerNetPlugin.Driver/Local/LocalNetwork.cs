namespace DockerNetPlugin.Driver.Local;

/// <summary>
/// A Docker network of this host and the logical network it maps to (local state dir). <see cref="Multicast"/> is the
/// logical network's <c>dnp.multicast</c> setting (state written before it existed reads as false).
/// </summary>
public sealed record LocalNetwork(
    string DockerNetworkId,
    string LogicalId,
    uint Vni,
    IReadOnlyList<Cluster.SubnetRecord> Subnets,
    bool Internal,
    bool EnableIPv6,
    int Mtu,
    string SandboxName,
    bool Multicast = false);
