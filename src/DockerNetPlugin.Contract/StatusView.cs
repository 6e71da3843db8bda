namespace DockerNetPlugin.Contract;

/// <summary>What <c>dnp status</c> shows about this host (<c>GET /dnp/v1/status</c>).</summary>
public sealed record StatusView(
    string HostId,
    string Locator,
    string UnderlayInterface,
    int OverlayMtu,
    IReadOnlyList<NetworkStatusView> Networks,
    IReadOnlyList<ReplicationView> Replication,
    DnsView? Dns = null,
    InvalidRecordsView? InvalidRecords = null,
    IReadOnlyList<LoopHealthView>? Loops = null,
    VxlanGuardView? VxlanGuard = null,
    KeyLayoutView? KeyLayout = null,
    int? PendingVethDeletions = null);

/// <summary>
/// Where this host writes what it owns in the store (DNP_KEY_LAYOUT): the mode (auto, legacy, host), the layouts it
/// writes now (by-host, legacy or both) and whether its records are still being moved after a switch. Null from a
/// plugin older than this field.
/// </summary>
public sealed record KeyLayoutView(string Mode, IReadOnlyList<string> Writes, bool Moving);

/// <summary>
/// The VXLAN port guard: enabled (DNP_VXLAN_GUARD), state (active, idle: no dnp network here, off, failed, missing,
/// unknown), the port, how many VTEPs it lets in, and what it dropped (datagrams to the port from anyone else).
/// </summary>
public sealed record VxlanGuardView(bool Enabled, string State, int Port, int Vteps, ulong DroppedPackets, ulong DroppedBytes, string? Problem);

/// <summary>
/// The store records this host skipped as invalid (never programmed): all counted, the first ones listed by key.
/// Null from a plugin older than this field.
/// </summary>
public sealed record InvalidRecordsView(int Count, IReadOnlyList<InvalidRecordView> Records);

/// <summary>One invalid store record: its key, why it is invalid, when it was first and last met, how many reads met it.</summary>
public sealed record InvalidRecordView(string Key, string Reason, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Times);

/// <summary>
/// One supervised background loop: state (running, restarting, stopped), restarts since the plugin started, the last
/// failure and when, and while restarting when the next start is due.
/// </summary>
public sealed record LoopHealthView(string Name, string State, int Restarts, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? RetryAt);

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
