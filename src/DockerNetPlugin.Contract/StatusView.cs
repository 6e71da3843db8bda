namespace DockerNetPlugin.Contract;

/// <summary>What <c>dnp status</c> shows about this host (<c>GET /dnp/v1/status</c>).</summary>
public sealed record StatusView(
    string HostId,
    string Locator,
    string UnderlayInterface,
    int OverlayMtu,
    IReadOnlyList<NetworkStatusView> Networks,
    IReadOnlyList<ReplicationView> Replication,
    DnsView? Dns = null);

/// <summary>
/// Names across hosts on this host: the address containers use as their DNS server (daemon.json <c>"dns"</c>), and the
/// resolvers' totals since start. Absent when names are off (DNP_DNS_ADDRESS=off).
/// </summary>
public sealed record DnsView(string Address, long Queries, long AnsweredLocally, long Forwarded, long ForwardFailures, long Errors);

/// <summary>
/// One Docker network of this host: its logical network, namespace and endpoint counts, and whether broadcast and
/// multicast cross hosts on it (<c>-o dnp.multicast=true</c>).
/// </summary>
public sealed record NetworkStatusView(
    string DockerNetworkId,
    string LogicalId,
    uint Vni,
    string Sandbox,
    bool SandboxPresent,
    IReadOnlyList<string> Subnets,
    int LocalEndpoints,
    int RemotePeers,
    bool Multicast);

/// <summary>Where replication of one logical network stands on this host (state: pending, present, failed, conflict, removing).</summary>
public sealed record ReplicationView(string LogicalId, string? Name, string State, string? Detail);

/// <summary>An error answer of the operator API.</summary>
public sealed record StatusError(string Error);
