using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>
    /// Compares one network's kernel state, its store records and Docker's view with what they should be, and with
    /// <paramref name="repair"/> removes what is stale and adds what is missing, leaving healthy entries untouched.
    /// Holds the network's lock, so it never races a protocol call. Entries in flux (in the store but not yet in the
    /// watch cache, or the reverse) are neither added nor removed.
    /// </summary>
    internal async Task ReconcileNetworkAsync(string dockerNetworkId, DockerView docker, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false);
        if (locked is not { } l)
            return;
        using (l.Release)
        {
            var runtime = l.Runtime;
            var name = dockerNetworkId[..Math.Min(12, dockerNetworkId.Length)];
            if (docker.NetworkGone(dockerNetworkId))
            {
                if (drift.Add(new DriftItem(name, DriftKinds.NetworkStale, dockerNetworkId, "Docker no longer has this network; repair removes it from dnp"), repair))
                    await DeleteNetworkLockedAsync(runtime, ct).ConfigureAwait(false);
                return;
            }
            foreach (var endpoint in runtime.Endpoints.Values.ToList())
            {
                if (docker.EndpointGone(dockerNetworkId, endpoint.EndpointId)
                    && drift.Add(new DriftItem(name, DriftKinds.EndpointStale, endpoint.EndpointId[..12], $"Docker no longer has endpoint {endpoint.IPv4 ?? endpoint.IPv6}; repair removes its veth and record"), repair))
                {
                    await RemoveEndpointAsync(runtime, endpoint, ct).ConfigureAwait(false);
                    if (runtime.Endpoints.Count == 0)
                        DestroySandbox(runtime);
                }
            }

            var logicalId = runtime.Network.LogicalId;
            var mine = storeRecords.Where(r => r.NetworkId == logicalId && r.HostId == _options.HostId).ToDictionary(r => r.EndpointId, StringComparer.Ordinal);
            var joined = runtime.Endpoints.Values.Where(e => e.Joined).ToList();
            foreach (var endpoint in joined.Where(e => !mine.ContainsKey(e.EndpointId)))
            {
                if (drift.Add(new DriftItem(name, DriftKinds.RecordMissing, ClusterKeys.Endpoint(logicalId, endpoint.EndpointId), "joined endpoint not published in the store; repair publishes it"), repair))
                    await PublishAsync(runtime.Network, endpoint, ct).ConfigureAwait(false);
            }
            foreach (var record in mine.Values.Where(r => !joined.Any(e => e.EndpointId == r.EndpointId)))
            {
                if (drift.Add(new DriftItem(name, DriftKinds.RecordStale, ClusterKeys.Endpoint(logicalId, record.EndpointId), $"record of {record.IPv4 ?? record.IPv6} has no joined endpoint here; repair deletes it"), repair))
                    await _lease.DeleteAsync(ClusterKeys.Endpoint(logicalId, record.EndpointId), ct).ConfigureAwait(false);
            }
            if (joined.Count > 0)
                ReconcileKernel(runtime, name, joined, storeRecords, repair, drift);
        }
    }

    private void ReconcileKernel(NetworkRuntime runtime, string name, IReadOnlyList<Local.LocalEndpoint> joined, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift)
    {
        lock (runtime.KernelGate)
        {
            if (!SandboxHealthy(runtime, out var problem))
            {
                if (!drift.Add(new DriftItem(name, DriftKinds.SandboxBroken, runtime.Network.SandboxName, problem + "; repair rebuilds the missing parts"), repair))
                    return;
                runtime.Misses?.StopInBackground();
                runtime.Misses = null;
                runtime.Sandbox?.Dispose();
                runtime.Sandbox = null;
                EnsureSandbox(runtime);
            }
            var sandbox = runtime.Sandbox!;
            foreach (var endpoint in joined.Where(e => !sandbox.HasEndpoint(e.SandboxSideName)))
                drift.Add(new DriftItem(name, DriftKinds.VethMissing, endpoint.SandboxSideName,
                    $"the veth of endpoint {endpoint.IPv4 ?? endpoint.IPv6} is gone; restart its container to get a new one", Repairable: false), repair);
            ReconcilePeers(runtime, sandbox, name, storeRecords, repair, drift);
        }
    }

    private static bool SandboxHealthy(NetworkRuntime runtime, out string problem)
    {
        problem = "";
        if (runtime.Sandbox is not { } sandbox)
            problem = "the overlay namespace is not open";
        else if (!NetNs.Exists(sandbox.Spec.Path))
            problem = $"the namespace mount {sandbox.Spec.Path} is gone";
        else if (sandbox.Handle.LinkByName(DeviceNames.Bridge) is not { } bridge || bridge.Index != sandbox.BridgeIndex)
            problem = "br0 is missing";
        else if (sandbox.Handle.LinkByName(DeviceNames.Vxlan) is not { Vxlan: { } vxlan } link || link.Index != sandbox.VxlanIndex
                 || vxlan.Vni != sandbox.Spec.Vni || link.MasterIndex != sandbox.BridgeIndex)
            problem = "vxlan0 is missing, has another VNI, or is not on br0";
        return problem.Length == 0;
    }

    /// <summary>Kernel neighbour/FDB entries on vxlan0 against the remote records that both the store and the watch cache hold.</summary>
    private void ReconcilePeers(NetworkRuntime runtime, OverlaySandbox sandbox, string name, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift)
    {
        var logicalId = runtime.Network.LogicalId;
        var cached = _peers.Of(logicalId).Where(IsRemote).ToList();
        var inStore = storeRecords.Where(r => r.NetworkId == logicalId && IsRemote(r)).ToList();
        var settled = inStore.Where(r => cached.Contains(r)).Select(ToPeer).OfType<PeerEntry>().ToList();
        var known = inStore.Concat(cached).Select(ToPeer).OfType<PeerEntry>().ToList();

        var neighbours = sandbox.Handle.NeighborList(sandbox.VxlanIndex).Where(n => n.State.HasFlag(NeighborState.Permanent)).ToList();
        var fdb = sandbox.Handle.FdbList(sandbox.VxlanIndex).Where(f => f.Vtep is not null).ToList();

        var missing = new List<PeerEntry>();
        foreach (var peer in settled)
        {
            var neighbourOk = Addresses(peer).All(ip => neighbours.Any(n => n.Ip.Equals(ip) && peer.Mac.Equals(n.Mac)));
            var fdbOk = fdb.Any(f => f.Mac.Equals(peer.Mac) && peer.Vtep.Equals(f.Vtep));
            if (!neighbourOk && drift.Add(new DriftItem(name, DriftKinds.NeighbourMissing, string.Join(" ", Addresses(peer)), $"no PERMANENT entry → {FormatMac(peer.Mac)}; repair adds it"), repair))
                missing.Add(peer);
            else if (!fdbOk && drift.Add(new DriftItem(name, DriftKinds.FdbMissing, FormatMac(peer.Mac), $"no FDB entry → dst {peer.Vtep}; repair adds it"), repair))
                missing.Add(peer);
        }
        var staleNeighbours = neighbours.Where(n => !known.Any(p => Addresses(p).Contains(n.Ip) && p.Mac.Equals(n.Mac)))
            .Where(n => drift.Add(new DriftItem(name, DriftKinds.NeighbourStale, n.Ip.ToString(), $"PERMANENT entry → {(n.Mac is null ? "?" : FormatMac(n.Mac))} that no record has; repair deletes it"), repair))
            .Select(n => new Neighbor(sandbox.VxlanIndex, n.Ip, n.Mac ?? PhysicalAddress.None)).ToList();
        var staleFdb = fdb.Where(f => !known.Any(p => p.Mac.Equals(f.Mac) && p.Vtep.Equals(f.Vtep)))
            .Where(f => drift.Add(new DriftItem(name, DriftKinds.FdbStale, FormatMac(f.Mac), $"FDB entry → dst {f.Vtep} that no record has; repair deletes it"), repair))
            .ToList();
        if (!repair)
            return;
        if (staleNeighbours.Count > 0)
            Tolerate(() => sandbox.Handle.NeighborDeleteMany(staleNeighbours));
        if (staleFdb.Count > 0)
            Tolerate(() => sandbox.Handle.FdbDeleteMany(staleFdb));
        sandbox.AddPeers(missing);
    }

    private static IEnumerable<IPAddress> Addresses(PeerEntry peer) => new[] { peer.IPv4, peer.IPv6 }.OfType<IPAddress>();

    private static void Tolerate(Action action)
    {
        try
        {
            action();
        }
        catch (NetlinkBatchException e) when (e.Failures.All(f => f.Error.IsNotFound))
        {
            // already gone
        }
    }

    /// <summary>
    /// Host-wide leftovers: overlay namespaces no network uses, veth ends and vxlan devices of unknown endpoints and
    /// VNIs in the host namespace, and this host's endpoint records of logical networks it no longer has.
    /// </summary>
    internal async Task ReconcileHostAsync(IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift, CancellationToken ct)
    {
        var runtimes = _networks.Values.ToList();
        var logicalIds = runtimes.Select(r => r.Network.LogicalId).ToHashSet(StringComparer.Ordinal);
        foreach (var record in storeRecords.Where(r => r.HostId == _options.HostId && !logicalIds.Contains(r.NetworkId)))
        {
            if (drift.Add(new DriftItem("-", DriftKinds.RecordStale, ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), "record of a network this host no longer has; repair deletes it"), repair))
                await _lease.DeleteAsync(ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), ct).ConfigureAwait(false);
        }

        if (Directory.Exists(_options.NetnsDirectory))
        {
            foreach (var path in Directory.GetFiles(_options.NetnsDirectory, "dnp-*"))
            {
                var sandboxName = Path.GetFileName(path);
                var inUse = false;
                foreach (var owner in runtimes.Where(r => r.Network.SandboxName == sandboxName))
                {
                    lock (owner.KernelGate) // a sandbox being built holds it
                        inUse |= owner.Sandbox is not null || owner.Endpoints.Values.Any(e => e.Joined);
                }
                if (!inUse && drift.Add(new DriftItem("-", DriftKinds.NamespaceStale, path, "overlay namespace no network uses; repair deletes it"), repair))
                    OverlaySandboxCleanup.DeleteIfPresent(path);
            }
        }

        var containerSides = runtimes.SelectMany(r => r.Endpoints.Values.Select(e => e.ContainerSideName)).ToHashSet(StringComparer.Ordinal);
        var vnis = runtimes.Select(r => r.Network.Vni).ToHashSet();
        foreach (var link in _host.LinkList())
        {
            var stale = link.Name.StartsWith("dnpc", StringComparison.Ordinal) && !containerSides.Contains(link.Name)
                || link.Name.StartsWith("vx-", StringComparison.Ordinal) && link.Vxlan is { } vx && !vnis.Contains(vx.Vni);
            if (stale && drift.Add(new DriftItem("-", DriftKinds.DeviceStale, link.Name, "dnp device in the host namespace that no endpoint or network owns; repair deletes it"), repair))
            {
                try
                {
                    _host.LinkDelete(link.Index);
                }
                catch (NetlinkException e) when (e.IsNotFound)
                {
                }
            }
        }
    }

    /// <summary>Every endpoint record in the store, read fresh for a reconciliation.</summary>
    internal async Task<IReadOnlyList<EndpointRecord>> ReadEndpointRecordsAsync(CancellationToken ct) =>
        (await _cluster.ListAsync(ClusterKeys.EndpointsPrefix, DriverJsonContext.Default.EndpointRecord, ct).ConfigureAwait(false)).Select(v => v.Value).ToList();

    /// <summary>The IPv4 and IPv6 addresses of every endpoint this host's driver holds (created, joined or not).</summary>
    public async Task<IReadOnlySet<string>> EndpointAddressesAsync(CancellationToken ct)
    {
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in _networks.Keys.ToList())
        {
            var locked = await LockNetworkAsync(id, ct).ConfigureAwait(false);
            if (locked is not { } l)
                continue;
            using (l.Release)
            {
                foreach (var endpoint in l.Runtime.Endpoints.Values)
                    addresses.UnionWith(new[] { endpoint.IPv4, endpoint.IPv6 }.OfType<string>().Select(a => a.Split('/')[0]));
            }
        }
        return addresses;
    }
}
