using DockerNetPlugin.Driver.Cluster;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>
    /// Forgets a host that is gone for good (<c>dnp forget-host</c>): its memberships (a logical network it was the last
    /// member of is removed, freeing its VNI) and any endpoint records left. Refused for this host and for a host whose
    /// lease is current: only a dead host's records can be taken away without its containers losing their network.
    /// </summary>
    public async Task<ForgottenHost> ForgetHostAsync(string hostId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(hostId))
            throw new InvalidRequestException("give the id of the host to forget (see the HOSTS column of `dnp networks`)");
        if (hostId == _options.HostId)
            throw new InvalidRequestException($"host {hostId} is this host: a host cannot forget itself");
        if ((await ListHostsAsync(ct).ConfigureAwait(false)).FirstOrDefault(h => h.HostId == hostId) is { } alive)
        {
            throw new ConflictException(
                $"host {hostId} is alive (its lease is current, locator {alive.Locator}): stop its plugin, wait for its lease to expire, then forget it");
        }

        // Decoded only, not checked against the live hosts: a dead host's records fail that check by definition.
        var endpoints = 0;
        var legacy = await _cluster.Store.ListAsync(ClusterKeys.EndpointsPrefix, ct).ConfigureAwait(false);
        var own = await _cluster.Store.ListAsync(ClusterKeys.ByHostPrefixOf(hostId), ct).ConfigureAwait(false);
        foreach (var entry in legacy.Entries.Concat(own.Entries))
        {
            if (Trust.RecordValidator.Endpoint(entry).Value is not { } record || record.HostId != hostId)
                continue;
            if (await DeleteForeignAsync(entry.Key, ct).ConfigureAwait(false))
                endpoints++;
        }
        var memberships = 0;
        var removed = new List<string>();
        foreach (var network in await ListLogicalNetworksAsync(ct).ConfigureAwait(false))
        {
            var members = await ListMembersAsync(network.Id, ct).ConfigureAwait(false);
            if (!members.Any(m => m.HostId == hostId))
                continue;
            var key = ClusterKeys.Membership(network.Id, hostId);
            await DeleteForeignAsync(key, ct).ConfigureAwait(false);
            await DeleteForeignAsync(ClusterKeys.ByHost(key, hostId)!, ct).ConfigureAwait(false);
            memberships++;
            if (members.Count == 1)
            {
                await RemoveLogicalNetworkAsync(network, ct).ConfigureAwait(false);
                removed.Add(network.Name ?? network.Id);
            }
        }
        // Every host drops the entries it kept for it (while its lease had lapsed it may still have answered probes).
        await _cluster.Store.PutAsync(ClusterKeys.ForgottenHost(hostId), RecordStore.Encode(hostId, DriverJsonContext.Default.String), null, ct).ConfigureAwait(false);
        _liveness.Forget(hostId);
        DriverLog.HostForgotten(_logger, hostId, endpoints, memberships, removed.Count);
        return new ForgottenHost(hostId, endpoints, memberships, removed);
    }
}
