namespace DockerNetPlugin.Driver;

/// <summary>What <c>dnp status</c> shows about this host.</summary>
public sealed record DriverStatus(
    string HostId,
    string Locator,
    string UnderlayInterface,
    int OverlayMtu,
    IReadOnlyList<NetworkStatus> Networks,
    IReadOnlyList<Replication.ReplicationStatus> Replication);

public sealed record NetworkStatus(
    string DockerNetworkId,
    string LogicalId,
    uint Vni,
    string Sandbox,
    bool SandboxPresent,
    IReadOnlyList<string> Subnets,
    int LocalEndpoints,
    int RemotePeers,
    bool Multicast);
