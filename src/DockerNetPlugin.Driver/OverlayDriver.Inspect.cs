using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;

namespace DockerNetPlugin.Driver;

/// <summary>
/// Read-only views for operators (<c>dnp networks</c>, <c>dnp peers</c>, <c>dnp netns</c>): the store as it is now, and
/// this host's own tables as the driver holds them. Nothing here takes a network lock or changes state.
/// </summary>
public sealed partial class OverlayDriver
{
    /// <summary>Where this plugin bind-mounts its overlay namespaces (DNP_NETNS_DIR, as the plugin process sees it).</summary>
    public string NetnsDirectory => _options.NetnsDirectory;

    /// <summary>Every logical network in the cluster store, by id. Throws <see cref="Store.StoreException"/> when the store is unreachable.</summary>
    public async Task<IReadOnlyList<NetworkRecord>> ListLogicalNetworksAsync(CancellationToken ct)
    {
        var records = await ClusterNetworks.ListAsync(ct).ConfigureAwait(false);
        return records.Select(r => r.Value).ToList();
    }

    /// <summary>The hosts that joined a logical network (one Docker network each), from the store (both key layouts).</summary>
    public async Task<IReadOnlyList<NetworkMembership>> ListMembersAsync(string logicalId, CancellationToken ct)
    {
        var checks = (await MembershipEntriesAsync(logicalId, ct).ConfigureAwait(false)).Select(Trust.RecordValidator.Membership).ToList();
        InvalidRecords.ReplaceWhere(k => IsMembershipOf(k, logicalId), checks.Select(c => c.Invalid).OfType<Store.InvalidRecord>().ToList());
        return checks.Select(c => c.Value).OfType<NetworkMembership>().OrderBy(r => r.HostId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The membership records of a logical network in both key layouts (one per host), not yet checked.</summary>
    private async Task<IReadOnlyList<Store.KvEntry>> MembershipEntriesAsync(string logicalId, CancellationToken ct) =>
        (await LayoutMerge.ListAsync(_cluster.Store, OwnedKind.Membership, ct).ConfigureAwait(false)).Where(e => IsMembershipOf(e.Key, logicalId)).ToList();

    /// <summary>A membership key of <paramref name="logicalId"/> in either layout, or a malformed key under its legacy prefix.</summary>
    private static bool IsMembershipOf(string key, string logicalId) => OwnedKey.TryParse(key) is { Kind: OwnedKind.Membership } m
        ? m.NetworkId == logicalId
        : key.StartsWith(ClusterKeys.MembershipPrefix(logicalId), StringComparison.Ordinal);

    /// <summary>The live hosts (their records vanish with their lease), from the store.</summary>
    public async Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken ct)
    {
        // Invalid host records are reported by the hosts/ watch; here they are only left out.
        var entries = await LayoutMerge.ListAsync(_cluster.Store, OwnedKind.Host, ct).ConfigureAwait(false);
        return entries.Select(e => Trust.RecordValidator.Host(e).Value).OfType<HostRecord>().OrderBy(r => r.HostId, StringComparer.Ordinal).ToList();
    }

    /// <summary>This host's Docker networks and the logical network each maps to.</summary>
    public IReadOnlyList<LocalNetwork> ListLocalNetworks() =>
        _networks.Values.Select(n => n.Network).OrderBy(n => n.LogicalId, StringComparer.Ordinal).ThenBy(n => n.DockerNetworkId, StringComparer.Ordinal).ToList();

    /// <summary>True while the overlay namespace of this Docker network is open (some endpoint is joined).</summary>
    public bool IsSandboxOpen(string dockerNetworkId) => _networks.TryGetValue(dockerNetworkId, out var network) && network.SandboxOpen;

    /// <summary>Veth pairs of departed endpoints not deleted yet (the reaper works after the calls replied).</summary>
    public int PendingVethDeletions => _reaper.Count;

    /// <summary>When the namespace kept after this network's last endpoint goes (DNP_NETNS_GRACE); null when not in grace.</summary>
    public DateTimeOffset? SandboxGraceUntil(string dockerNetworkId) => _networks.TryGetValue(dockerNetworkId, out var network) ? network.GraceUntil : null;

    /// <summary>
    /// The endpoint records of a logical network as this host last saw them through its watch: what its namespace's
    /// neighbour and FDB entries are programmed from (this host's own endpoints included).
    /// </summary>
    public IReadOnlyList<EndpointRecord> ListPeers(string logicalId) =>
        _peers.Of(logicalId).OrderBy(r => r.HostId, StringComparer.Ordinal).ThenBy(r => r.IPv4 ?? r.IPv6, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Hosts whose lease lapsed and whose entries this host still keeps, with their state: <c>store-unreachable</c>
    /// (they answer on the underlay) or <c>unanswered</c> (dropped after a few more probes). Every other host with
    /// records is <c>live</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> LapsedHosts() => _liveness.States();

    /// <summary>One liveness round now (tests; the driver runs one every probe interval).</summary>
    internal Task CheckLivenessAsync(CancellationToken ct) => _liveness.CheckAsync(ct);

    /// <summary>The lease this host's records are held by now, and the previous start's lease while it is being taken over (tests).</summary>
    internal (string? Current, string? Resumed) LeaseIds => (_lease.LeaseId, _lease.ResumedLeaseId);

    /// <summary>Logical networks this host has records for in its peer table (also while the store is unreachable).</summary>
    public IReadOnlyList<string> ListPeerNetworks() =>
        _peers.All().Select(r => r.NetworkId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
