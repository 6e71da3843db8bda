using System.Text.Json.Serialization;

namespace DockerNetPlugin.Contract;

/// <summary>
/// The operator API's answers (<c>/dnp/v1/...</c>), read by <c>dnp networks</c>, <c>dnp peers</c> and <c>dnp netns</c>
/// and by scripts through <c>--json</c>. Camel-case JSON, see <see cref="OperatorJsonContext"/>.
/// </summary>
public sealed record NetworksView(string HostId, IReadOnlyList<LogicalNetworkView> Networks);

/// <summary>A logical network cluster-wide: its store record, the hosts that joined it and its endpoint count.</summary>
public sealed record LogicalNetworkView(
    string Id,
    string? Name,
    uint Vni,
    IReadOnlyList<string> Subnets,
    bool Internal,
    bool EnableIPv6,
    string CreatedBy,
    DateTimeOffset Created,
    bool Removing,
    IReadOnlyList<NetworkHostView> Hosts,
    int Endpoints,
    string? LocalDockerNetworkId);

/// <summary>
/// A host that joined a logical network: its Docker network there, whether the host holds its lease, and its state as
/// this host sees it: <c>live</c>, <c>store-unreachable</c> (its lease lapsed but it answers on the underlay: its
/// entries stay), <c>unanswered</c> (lapsed, not answering: its entries go after a few probes) or <c>down</c>.
/// </summary>
public sealed record NetworkHostView(string HostId, string DockerNetworkId, string? Locator, bool Live, string State);

/// <summary>A logical network's endpoints as this host programs them.</summary>
public sealed record PeersView(string LogicalId, string? Name, uint? Vni, string? LocalDockerNetworkId, IReadOnlyList<PeerView> Peers);

/// <summary>
/// One endpoint: where it lives (host, VTEP) and its addresses. <c>Local</c> = on this host. <c>State</c> is its host's:
/// <c>live</c>, <c>store-unreachable</c> or <c>unanswered</c> (see <see cref="NetworkHostView"/>).
/// </summary>
public sealed record PeerView(
    string EndpointId,
    string HostId,
    [property: JsonPropertyName("ipv4")] string? IPv4,
    [property: JsonPropertyName("ipv6")] string? IPv6,
    string Mac,
    string Vtep,
    bool Local,
    string State);

/// <summary>The overlay namespaces this plugin owns and the directory it mounts them in (as the plugin process sees it).</summary>
public sealed record NetnsView(string Directory, IReadOnlyList<NetnsEntryView> Namespaces);

/// <summary>
/// An overlay namespace: its logical network, VNI, the Docker networks mapped to it, whether it is open now, and while
/// it is kept after its last endpoint left (DNP_NETNS_GRACE), when it goes.
/// </summary>
public sealed record NetnsEntryView(string Name, string LogicalId, uint Vni, IReadOnlyList<string> DockerNetworkIds, bool Open, DateTimeOffset? GraceUntil = null);

/// <summary>What <c>dnp forget-host</c> removed: the driver's store records and the IPAM's addresses and pool holds of a dead host.</summary>
public sealed record ForgetHostView(
    string HostId,
    int EndpointRecords,
    int Memberships,
    IReadOnlyList<string> NetworksRemoved,
    int Addresses,
    int PoolHolds,
    int PoolsRemoved);

/// <summary>What the resolvers answer (<c>GET /dnp/v1/names[?network=NET]</c>, <c>dnp names</c>): one entry per named endpoint of any host.</summary>
public sealed record NamesView(string HostId, string? ResolverAddress, IReadOnlyList<NameView> Names);

/// <summary>
/// One endpoint's names on one network: the container name, its aliases (several holders of an alias answer all their
/// addresses), its addresses and the host that publishes it.
/// </summary>
public sealed record NameView(string? Network, string LogicalId, string Name, IReadOnlyList<string> Aliases, string? IPv4, string? IPv6, string HostId);
