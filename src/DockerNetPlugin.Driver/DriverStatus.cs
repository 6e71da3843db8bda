namespace DockerNetPlugin.Driver;

/// <summary>What <c>dnp status</c> shows about this host.</summary>
public sealed record DriverStatus(
    string HostId,
    string Locator,
    string UnderlayInterface,
    int OverlayMtu,
    IReadOnlyList<NetworkStatus> Networks,
    IReadOnlyList<Replication.ReplicationStatus> Replication,
    Trust.InvalidRecordsStatus InvalidRecords,
    IReadOnlyList<Trust.LoopHealth> Loops,
    Guard.VxlanGuardStatus VxlanGuard,
    KeyLayoutStatus KeyLayout,
    int PendingVethDeletions);

/// <summary>The write key layout: its mode, the layouts written now, and whether a move after a switch is unfinished.</summary>
public sealed record KeyLayoutStatus(Cluster.KeyLayoutMode Mode, bool WritesByHost, bool WritesLegacy, bool Moving);

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
