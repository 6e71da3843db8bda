using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Reconcile;

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
                var name = dockerNetworkId[..Math.Min(12, dockerNetworkId.Length)];
                if (drift.Add(new DriftItem(name, DriftKinds.NetworkStale, dockerNetworkId, "Docker no longer has this network; repair removes it from dnp"), repair))
                    await DeleteNetworkLockedAsync(locked.Network, ct).ConfigureAwait(false);
                return;
            }
            await locked.Network.ReconcileAsync(docker, storeRecords, repair, drift, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Host-wide leftovers: overlay namespaces no network uses, veth ends and vxlan devices of unknown endpoints and
    /// VNIs in the host namespace, and this host's endpoint records of logical networks it no longer has. Reads the
    /// networks' published endpoint lists, so it takes no network lock.
    /// </summary>
    internal async Task ReconcileHostAsync(IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift, CancellationToken ct)
    {
        var networks = _networks.Values.ToList();
        var logicalIds = networks.Select(n => n.LogicalId).ToHashSet(StringComparer.Ordinal);
        foreach (var record in storeRecords.Where(r => r.HostId == _options.HostId && !logicalIds.Contains(r.NetworkId)))
        {
            if (drift.Add(new DriftItem("-", DriftKinds.RecordStale, ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), "record of a network this host no longer has; repair deletes it"), repair))
                await _lease.DeleteAsync(ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), ct).ConfigureAwait(false);
        }

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
    /// full read replaces what the log knows under <c>endpoints/</c>) and left out, so nothing is programmed from them
    /// and entries they once produced count as stale.
    /// </summary>
    internal async Task<IReadOnlyList<EndpointRecord>> ReadEndpointRecordsAsync(CancellationToken ct)
    {
        var snapshot = await _cluster.Store.ListAsync(ClusterKeys.EndpointsPrefix, ct).ConfigureAwait(false);
        return _admission.AdmitAll(snapshot.Entries, ClusterKeys.EndpointsPrefix);
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
