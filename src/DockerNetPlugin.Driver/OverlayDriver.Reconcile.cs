using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver;

/// <summary>Reconciliation: per network (under its lock, done by the network itself) and host-wide leftovers.</summary>
public sealed partial class OverlayDriver
{
    /// <summary>
    /// One network against the store, Docker's view and the kernel (see <see cref="OverlayNetwork.ReconcileAsync"/>);
    /// a network Docker no longer has is removed from dnp. Holds the network's lock, so it never races a protocol call.
    /// </summary>
    internal async Task ReconcileNetworkAsync(string dockerNetworkId, IDockerState docker, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift, CancellationToken ct)
    {
        if (await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) is not { } locked)
            return;
        using (locked.Release)
        {
            if (docker.NetworkGone(dockerNetworkId))
            {
                var name = Short(dockerNetworkId);
                if (drift.Add(new DriftItem(name, DriftKinds.NetworkStale, dockerNetworkId, "Docker no longer has this network; repair removes it from dnp"), repair))
                    await DeleteNetworkLockedAsync(locked.Network, ct).ConfigureAwait(false);
                return;
            }
            await locked.Network.ReconcileAsync(docker, storeRecords, repair, drift, ct).ConfigureAwait(false);
            await ReconcileMembershipAsync(locked.Network, repair, drift, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// This host's membership of the network (written by CreateNetwork), put back when another writer deleted or changed
    /// it: the last member to leave removes the logical network and frees its VNI, so a lost membership would let that
    /// happen under this host. The membership watch does that at once (<see cref="RecordRestorer"/>); this catches what
    /// it missed. Under the network's lock, so it never races this host's own DeleteNetwork.
    /// </summary>
    private async Task ReconcileMembershipAsync(OverlayNetwork network, bool repair, DriftLog drift, CancellationToken ct)
    {
        if (LayoutSettling)
            return; // the layout's move writes every copy where it writes now
        var (key, wanted) = MembershipRecord(network.LogicalId, network.DockerNetworkId);
        await CheckOwnCopiesAsync(Short(network.DockerNetworkId), "this host's membership of the network", _layout.Targets(key),
            stored => OwnedValues.Differs(wanted, stored), copy => _cluster.Store.PutAsync(copy, wanted, null, ct), repair, drift, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The records this host holds under its lease (its host record, its endpoint records) against the store, in every
    /// copy the key layout writes now: one that another writer deleted or overwrote is put back. The watches do that at
    /// once (<see cref="RecordRestorer"/>); this catches what they missed. Keys a network's check already reported are left to it.
    /// </summary>
    private async Task ReconcileOwnRecordsAsync(bool repair, DriftLog drift, CancellationToken ct)
    {
        if (LayoutSettling)
            return; // the layout's move writes every copy where it writes now
        var reported = drift.Found.Select(i => i.Object).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _lease.OwnedKeys().Where(k => !reported.Contains(k)).Order(StringComparer.Ordinal))
        {
            await CheckOwnCopiesAsync("-", "a record of this host's", _layout.Targets(key).Where(c => !reported.Contains(c)),
                stored => _lease.Differs(key, stored), copy => _lease.RestoreAsync(key, copy, ct), repair, drift, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The copies of one record this host owns against the store (<paramref name="what"/> names it in the drift items):
    /// a copy that is missing or holds something else is drift, and <paramref name="putBack"/> writes it on repair.
    /// </summary>
    private async Task CheckOwnCopiesAsync(string network, string what, IEnumerable<string> copies, Func<ReadOnlyMemory<byte>?, bool> differs,
        Func<string, Task> putBack, bool repair, DriftLog drift, CancellationToken ct)
    {
        foreach (var copy in copies)
        {
            var stored = await _cluster.Store.GetAsync(copy, ct).ConfigureAwait(false);
            if (!differs(stored?.Value))
                continue;
            var item = stored is null
                ? new DriftItem(network, DriftKinds.RecordMissing, copy, $"{what} is not in the store; repair writes it")
                : new DriftItem(network, DriftKinds.RecordAltered, copy, $"{what} holds what another writer put there; repair writes it again");
            if (drift.Add(item, repair))
                await putBack(copy).ConfigureAwait(false);
        }
    }

    /// <summary>This host's membership of <paramref name="logicalId"/> through Docker network <paramref name="dockerNetworkId"/>: its key and bytes.</summary>
    private (string Key, ReadOnlyMemory<byte> Value) MembershipRecord(string logicalId, string dockerNetworkId) =>
        (ClusterKeys.Membership(logicalId, _options.HostId),
            RecordStore.Encode(new NetworkMembership(logicalId, _options.HostId, dockerNetworkId), DriverJsonContext.Default.NetworkMembership));

    private static string Short(string id) => id[..Math.Min(12, id.Length)];

    /// <summary>
    /// Host-wide leftovers: overlay namespaces no network uses, veth ends and vxlan devices of unknown endpoints and
    /// VNIs in the host namespace, and this host's endpoint records of logical networks it no longer has. Reads the
    /// networks' published endpoint lists, so it takes no network lock.
    /// </summary>
    internal async Task ReconcileHostAsync(IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift, CancellationToken ct)
    {
        if (repair)
            RequestMoveIfPending(); // a key layout move the store refused earlier
        var networks = _networks.Values.ToList();
        var logicalIds = networks.Select(n => n.LogicalId).ToHashSet(StringComparer.Ordinal);
        foreach (var record in storeRecords.Where(r => r.HostId == _options.HostId && !logicalIds.Contains(r.NetworkId)))
        {
            if (drift.Add(new DriftItem("-", DriftKinds.RecordStale, ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), "record of a network this host no longer has; repair deletes it"), repair))
                await _lease.DeleteAsync(ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), ct).ConfigureAwait(false);
        }

        await ReconcileOwnRecordsAsync(repair, drift, ct).ConfigureAwait(false);

        foreach (var path in _dataPlane.ListSandboxes(_options.NetnsDirectory))
        {
            var sandboxName = Path.GetFileName(path);
            if (!_dataPlane.OwnsSandbox(path))
                continue; // no marker of ours proves we made it: someone else's namespace, never touched
            var inUse = networks.Where(n => n.Network.SandboxName == sandboxName).Any(n => n.SandboxOpen || n.Endpoints.Any(e => e.Joined));
            if (!inUse && drift.Add(new DriftItem("-", DriftKinds.NamespaceStale, path, "overlay namespace no network uses; repair deletes it"), repair))
                _dataPlane.DeleteSandbox(path);
        }

        if (_guard?.NeedsRepair() == true
            && drift.Add(new DriftItem("-", DriftKinds.GuardMissing, "inet dnp_vxlan_guard", $"the VXLAN guard is not in place ({_guard.Status().Problem}); repair builds it"), repair))
            SyncGuard(rebuild: true);

        var containerSides = networks.SelectMany(n => n.Endpoints.Select(e => e.ContainerSideName)).ToHashSet(StringComparer.Ordinal);
        containerSides.UnionWith(_reaper.PendingNames()); // after the endpoints, before the kernel: being deleted is no leak
        var vnis = networks.Select(n => n.Network.Vni).ToHashSet();
        foreach (var device in _dataPlane.ListHostDevices())
        {
            var stale = (device.Name.StartsWith("dnpc", StringComparison.Ordinal) && !containerSides.Contains(device.Name)
                || device.Name.StartsWith("vx-", StringComparison.Ordinal) && device.Vni is { } vni && !vnis.Contains(vni))
                && _dataPlane.OwnsHostDevice(device); // Docker names its own overlay devices vx-…: a name proves nothing
            if (stale && drift.Add(new DriftItem("-", DriftKinds.DeviceStale, device.Name, "dnp device in the host namespace that no endpoint or network owns; repair deletes it"), repair))
                _dataPlane.DeleteHostDevice(device.Name);
        }
    }

    /// <summary>
    /// Every valid endpoint record in the store, read fresh for a reconciliation. Invalid ones are reported (the
    /// full read, both key layouts, replaces what the log knows of endpoint keys) and left out, so nothing is programmed from them
    /// and entries they once produced count as stale.
    /// </summary>
    internal async Task<IReadOnlyList<EndpointRecord>> ReadEndpointRecordsAsync(CancellationToken ct)
    {
        return _admission.AdmitAll(await LayoutMerge.ListAsync(_cluster.Store, OwnedKind.Endpoint, ct).ConfigureAwait(false));
    }

    /// <summary>The IPv4 and IPv6 addresses of every endpoint this host's driver holds (created, joined or not).</summary>
    public Task<IReadOnlySet<string>> EndpointAddressesAsync(CancellationToken ct)
    {
        var addresses = _networks.Values.SelectMany(n => n.Endpoints)
            .SelectMany(e => new[] { e.IPv4, e.IPv6 }.OfType<string>().Select(a => a.Split('/')[0]))
            .ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlySet<string>>(addresses);
    }
}
