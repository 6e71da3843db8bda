using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Peers;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Driver;

/// <summary>Reconciliation of one network against its store records, Docker's view and the kernel.</summary>
internal sealed partial class OverlayNetwork
{
    /// <summary>
    /// Compares this network's kernel state, its store records and Docker's view with what they should be, and with
    /// <paramref name="repair"/> removes what is stale and adds what is missing, leaving healthy entries untouched.
    /// The caller holds the lock, so it never races a protocol call. Entries in flux (in the store but not yet in the
    /// watch cache, or the reverse) are neither added nor removed.
    /// </summary>
    public async Task ReconcileAsync(IDockerState docker, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(docker);
        ArgumentNullException.ThrowIfNull(drift);
        RequireLock();
        var name = Short(DockerNetworkId);
        foreach (var endpoint in _endpoints.Values.ToList())
        {
            if (docker.EndpointGone(DockerNetworkId, endpoint.EndpointId)
                && drift.Add(new DriftItem(name, DriftKinds.EndpointStale, Short(endpoint.EndpointId), $"Docker no longer has endpoint {endpoint.IPv4 ?? endpoint.IPv6}; repair removes its veth and record"), repair))
            {
                await RemoveEndpointAsync(endpoint, ct).ConfigureAwait(false);
                if (_endpoints.Count == 0)
                    ReleaseSandbox();
            }
        }
        if (GraceExpired(DateTimeOffset.UtcNow)
            && drift.Add(new DriftItem(name, DriftKinds.NamespaceStale, Network.SandboxName, $"kept after its last endpoint until {GraceUntil:u} (DNP_NETNS_GRACE), then not removed; repair removes it"), repair))
            DestroySandbox();

        var hostId = _services.Options.HostId;
        var mine = storeRecords.Where(r => r.NetworkId == LogicalId && r.HostId == hostId).ToDictionary(r => r.EndpointId, StringComparer.Ordinal);
        var joined = _endpoints.Values.Where(e => e.Joined).ToList();
        foreach (var endpoint in joined.Where(e => !mine.ContainsKey(e.EndpointId)))
        {
            if (drift.Add(new DriftItem(name, DriftKinds.RecordMissing, ClusterKeys.Endpoint(LogicalId, endpoint.EndpointId), "joined endpoint not published in the store; repair publishes it"), repair))
                await PublishAsync(endpoint, ct).ConfigureAwait(false);
        }
        foreach (var record in mine.Values.Where(r => !joined.Any(e => e.EndpointId == r.EndpointId)))
        {
            if (drift.Add(new DriftItem(name, DriftKinds.RecordStale, ClusterKeys.Endpoint(LogicalId, record.EndpointId), $"record of {record.IPv4 ?? record.IPv6} has no joined endpoint here; repair deletes it"), repair))
                await WithdrawNowAsync(record.EndpointId, ct).ConfigureAwait(false);
        }
        if (joined.Count > 0)
            ReconcileKernel(name, joined, storeRecords, repair, drift);
        ReconcileVeths(name, joined, repair, drift);
    }

    /// <summary>
    /// Veths in the open namespace that no joined endpoint owns and the reaper is not deleting: a deletion after Leave that
    /// failed, one the plugin stopped before, or a Join whose rollback failed. Repair deletes them (kernel only).
    /// </summary>
    private void ReconcileVeths(string name, IReadOnlyList<LocalEndpoint> joined, bool repair, DriftLog drift)
    {
        var pending = _services.Reaper.PendingNames(); // before the kernel is read (see VethReaper.PendingNames)
        var owned = joined.Select(e => e.SandboxSideName).ToHashSet(StringComparer.Ordinal);
        lock (_kernelGate)
        {
            if (_sandbox is not { } sandbox)
                return;
            foreach (var device in sandbox.EndpointDevices().Where(d => !owned.Contains(d) && !pending.Contains(d)))
            {
                if (DeviceNames.ContainerSideOf(device) is not { } containerSide)
                    continue; // not a name this driver gives: never touched
                if (drift.Add(new DriftItem(name, DriftKinds.VethStale, device, "veth of no joined endpoint (its deletion after Leave failed, or the plugin stopped first); repair deletes it"), repair))
                    sandbox.DetachEndpoint(containerSide, device);
            }
        }
    }

    /// <summary>A repair's withdraw: handed to the background writer, waited for (bounded) so the re-check sees it done.</summary>
    private async Task WithdrawNowAsync(string endpointId, CancellationToken ct)
    {
        var withdrawn = await _services.Publisher.WithdrawAsync(LogicalId, endpointId, ct).ConfigureAwait(false);
        try
        {
            await withdrawn.WaitAsync(_services.Options.StoreCallTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // still pending: the re-check reports it, the writer keeps at it
        }
    }

    private void ReconcileKernel(string name, IReadOnlyList<LocalEndpoint> joined, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift)
    {
        lock (_kernelGate)
        {
            var problem = _sandbox is null ? "the overlay namespace is not open" : _sandbox.Problem();
            if (problem is not null)
            {
                if (!drift.Add(new DriftItem(name, DriftKinds.SandboxBroken, Network.SandboxName, problem + "; repair rebuilds the missing parts"), repair))
                    return;
                StopResolver();
                _sandbox?.Close();
                _sandbox = null;
                EnsureSandbox();
            }
            var sandbox = _sandbox!;
            foreach (var endpoint in joined.Where(e => !sandbox.HasEndpoint(e.SandboxSideName)))
                drift.Add(new DriftItem(name, DriftKinds.VethMissing, endpoint.SandboxSideName,
                    $"the veth of endpoint {endpoint.IPv4 ?? endpoint.IPv6} is gone; restart its container to get a new one", Repairable: false), repair);
            ReconcilePeers(sandbox, name, storeRecords, repair, drift);
        }
    }

    /// <summary>Kernel neighbour/FDB entries on vxlan0 against the remote records that both the store and the watch cache hold.</summary>
    private void ReconcilePeers(Sandbox.ISandbox sandbox, string name, IReadOnlyList<EndpointRecord> storeRecords, bool repair, DriftLog drift)
    {
        var cached = _services.Peers.Of(LogicalId);
        var inStore = storeRecords.Where(r => r.NetworkId == LogicalId).ToList();
        var settled = Desired(inStore.Where(cached.Contains));
        var known = Desired(inStore.Concat(cached));
        var batch = PeerProjection.Difference(settled, sandbox.ReadPeers(), keep: known);

        var items = new List<DriftItem>();
        items.AddRange(batch.AddNeighbours.Select(n => new DriftItem(name, DriftKinds.NeighbourMissing, n.Ip.ToString(), $"no PERMANENT entry → {MacText.Format(n.Mac)}; repair adds it")));
        items.AddRange(batch.AddFdb.Select(f => new DriftItem(name, DriftKinds.FdbMissing, MacText.Format(f.Mac), $"no FDB entry → dst {f.Vtep}; repair adds it")));
        items.AddRange(batch.AddFlood.Select(v => new DriftItem(name, DriftKinds.FloodMissing, v.ToString(), "no flood entry 00:00:00:00:00:00 → this VTEP of a host with endpoints on the network; repair appends it")));
        items.AddRange(batch.RemoveNeighbours.Select(n => new DriftItem(name, DriftKinds.NeighbourStale, n.Ip.ToString(), $"PERMANENT entry → {MacText.Format(n.Mac)} that no record has; repair deletes it")));
        items.AddRange(batch.RemoveFdb.Select(f => new DriftItem(name, DriftKinds.FdbStale, MacText.Format(f.Mac), $"FDB entry → dst {f.Vtep} that no record has; repair deletes it")));
        items.AddRange(batch.RemoveFlood.Select(v => new DriftItem(name, DriftKinds.FloodStale, v.ToString(),
            Network.Multicast ? "flood entry → a host with no endpoints on the network; repair deletes it" : "flood entry on a network without dnp.multicast; repair deletes it")));
        var repairAll = items.Count > 0 && items.Select(item => drift.Add(item, repair)).ToList().All(r => r);
        if (repairAll)
            ProgramPeers(sandbox, batch);
    }

    private static string Short(string id) => id[..Math.Min(12, id.Length)];
}
