using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Driver;

/// <summary>The endpoint verbs of one network; the caller holds the network's lock.</summary>
internal sealed partial class OverlayNetwork
{
    /// <summary>
    /// CreateEndpoint: remember the endpoint's addresses and MAC (Docker's, else 02:42 + its IPv4 address).
    /// Nothing touches the kernel yet; Join builds the veth.
    /// </summary>
    public async Task<EndpointCreated> CreateEndpointAsync(EndpointCreation request, CancellationToken ct)
    {
        RequireLock();
        CheckInSubnet(request.IPv4);
        CheckInSubnet(request.IPv6);
        var mac = request.Mac ?? OverlayDriver.MacFor(request);
        var endpoint = new LocalEndpoint(DockerNetworkId, request.EndpointId, request.IPv4?.ToString(), request.IPv6?.ToString(),
            MacText.Format(mac), DeviceNames.ContainerSide(request.EndpointId), DeviceNames.SandboxSide(request.EndpointId), Joined: false,
            Names: request.ContainerName is { Length: > 0 } name ? EndpointNames.Provisional(name) : null);
        if (_endpoints.TryGetValue(request.EndpointId, out var existing))
        {
            if (existing.IPv4 != endpoint.IPv4 || existing.IPv6 != endpoint.IPv6)
                throw new ConflictException($"endpoint {request.EndpointId} already exists with addresses {existing.IPv4} {existing.IPv6}");
            return new EndpointCreated(request.Mac is null ? PhysicalAddress.Parse(existing.Mac) : null);
        }
        await _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, request.EndpointId), endpoint, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
        SetEndpoint(endpoint);
        return new EndpointCreated(request.Mac is null ? mac : null);
    }

    /// <summary>
    /// DeleteEndpoint: undo Join if Docker skipped Leave, forget the endpoint; after the last one the namespace is kept
    /// for the grace period (DNP_NETNS_GRACE), then removed. Returns when the local work is done; the task it gives
    /// completes once the store took the withdraw or refused a first attempt.
    /// </summary>
    public async Task<Task> DeleteEndpointAsync(string endpointId, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint))
            return Task.CompletedTask;
        var withdrawn = await RemoveEndpointAsync(endpoint, ct).ConfigureAwait(false);
        if (_endpoints.Count == 0)
            ReleaseSandbox();
        return withdrawn;
    }

    /// <summary>
    /// Join: make sure the network's namespace exists (replaying known peers into it), create the endpoint's veth
    /// (overlay end on br0, container end left in the host namespace for Docker to move), and publish the endpoint
    /// record under this host's lease so every other host programs it; the local state write and the record go out
    /// at once. No gateway is returned: Docker then attaches docker_gwbridge for NAT and published ports. With
    /// <paramref name="resolverRoute"/> the answer routes the resolver's address through this interface. Names are not
    /// known yet: Docker is inside its own locks while it calls Join, so they are learned from the Engine API afterwards
    /// (<see cref="SetNamesAsync"/>). The record is handed to the background writer: the task returned beside the result
    /// completes once the store has it or refused a first attempt (peers learn of the endpoint once it has it).
    /// </summary>
    public async Task<(JoinResult Result, Task Published)> JoinAsync(string endpointId, string? sandboxKey, bool resolverRoute, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint))
            throw new NotFoundException($"endpoint {endpointId} is not known on network {DockerNetworkId}; Docker must call CreateEndpoint first");

        // A pair whose deletion after an earlier Leave is still pending goes first if it would collide: its names (this
        // endpoint joins again) or its MAC on this bridge (the address, and so the MAC, was handed on).
        var path = _services.SandboxPath(Network);
        await _services.Reaper.SettleAsync(d => d.SandboxSide == endpoint.SandboxSideName || d.ContainerSide == endpoint.ContainerSideName
            || (d.SandboxPath == path && string.Equals(d.Mac, endpoint.Mac, StringComparison.OrdinalIgnoreCase)), ct).ConfigureAwait(false);

        var wasInGrace = GraceUntil is not null;
        var createdSandbox = EnsureSandbox();
        var joinedWritten = false;
        try
        {
            lock (_kernelGate)
                _sandbox!.AttachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName, PhysicalAddress.Parse(endpoint.Mac));
            var joined = endpoint with { Joined = true, SandboxKey = sandboxKey, ResolverRoute = resolverRoute };
            await _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpointId), joined, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
            joinedWritten = true;
            SetEndpoint(joined);
            var published = await _services.Publisher.PublishAsync(LogicalId, endpointId, Record(joined), ct).ConfigureAwait(false);
            return (new JoinResult(endpoint.ContainerSideName, "eth", resolverRoute ? _services.Resolvers?.Address : null), published);
        }
        catch
        {
            await RollBackJoinAsync(endpoint, joinedWritten, createdSandbox, wasInGrace).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A Join that failed half-way leaves nothing behind: the veth goes now (not deferred: the caller is told of the
    /// failure only once it is gone), the endpoint's state is put back to not joined (nothing was published: publishing
    /// is the last step), and a namespace this Join built goes with its peer entries, or one it took out of grace gets
    /// a new grace. Runs on whatever token: a cancelled call must not leave half a Join.
    /// </summary>
    private async Task RollBackJoinAsync(LocalEndpoint endpoint, bool joinedWritten, bool createdSandbox, bool wasInGrace)
    {
        try
        {
            lock (_kernelGate)
                _sandbox?.DetachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName);
        }
        catch (Exception e) when (e is DriverException or Netlink.NetlinkException)
        {
            DriverLog.JoinRollbackFailed(_services.Logger, endpoint.EndpointId, DockerNetworkId, "deleting its veth (veth-stale)", e.Message);
        }
        if (joinedWritten)
        {
            SetEndpoint(endpoint);
            try
            {
                await _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpoint.EndpointId), endpoint, DriverJsonContext.Default.LocalEndpoint, null,
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Store.StoreException or IOException)
            {
                DriverLog.JoinRollbackFailed(_services.Logger, endpoint.EndpointId, DockerNetworkId, "putting its local state back to not joined", e.Message);
            }
        }
        if (_endpoints.Values.Any(e => e.Joined))
            return;
        try
        {
            if (createdSandbox)
                DestroySandbox();
            else if (wasInGrace && _endpoints.Count == 0)
                ReleaseSandbox();
        }
        catch (Exception e) when (e is DriverException or Netlink.NetlinkException)
        {
            DriverLog.JoinRollbackFailed(_services.Logger, endpoint.EndpointId, DockerNetworkId, "removing the namespace it built (namespace-stale)", e.Message);
        }
    }

    /// <summary>
    /// Leave: write the local state, hand the endpoint's veth to the reaper (deleted right after the reply), then withdraw
    /// its record. Unknown or repeated calls succeed. Returns when the local work is done; the task it gives completes once
    /// the store took the withdraw or refused a first attempt (see <see cref="DetachAsync"/>).
    /// </summary>
    public async Task<Task> LeaveAsync(string endpointId, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint) || !endpoint.Joined)
            return Task.CompletedTask;
        var left = endpoint with { Joined = false, Names = null, SandboxKey = null, ResolverRoute = false };
        await _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpointId), left, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
        SetEndpoint(left);
        return await DetachAsync(endpoint, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Set the names of a joined endpoint (learned from Docker) and publish them with its record. False when the endpoint
    /// is unknown or not joined (it left meanwhile), or nothing changed and <paramref name="republish"/> is off.
    /// </summary>
    public async Task<(bool Changed, Task Published)> SetNamesAsync(string endpointId, EndpointNames names, bool republish, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint) || !endpoint.Joined)
            return (false, Task.CompletedTask);
        if (Equals(endpoint.Names, names) && !republish)
            return (false, Task.CompletedTask);
        var named = endpoint with { Names = names };
        await _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpointId), named, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
        SetEndpoint(named);
        var published = await _services.Publisher.PublishAsync(LogicalId, endpointId, Record(named), ct).ConfigureAwait(false); // after any earlier write of the key
        DriverLog.NamesSet(_services.Logger, endpointId, DockerNetworkId, names.ToString());
        return (true, published);
    }

    /// <summary>DeleteEndpoint's work (and Leave's, if Docker skipped it): veth, local state, then the record's withdraw.</summary>
    private async Task<Task> RemoveEndpointAsync(LocalEndpoint endpoint, CancellationToken ct)
    {
        var withdrawn = endpoint.Joined ? await DetachAsync(endpoint, ct).ConfigureAwait(false) : Task.CompletedTask;
        await _services.Local.DeleteAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpoint.EndpointId), ct).ConfigureAwait(false);
        ForgetEndpoint(endpoint.EndpointId);
        return withdrawn;
    }

    /// <summary>
    /// The veth pair is handed to the reaper, which deletes it after the reply (deleting a veth waits for an RCU grace
    /// period in the kernel); then the record's withdraw is marked in the local state dir and handed to the background
    /// writer: a store outage never holds a Leave or DeleteEndpoint, and the withdraw survives a restart. Called before the
    /// endpoint is forgotten, so host-wide readers always find its devices either claimed or pending.
    /// </summary>
    private Task<Task> DetachAsync(LocalEndpoint endpoint, CancellationToken ct)
    {
        _services.Reaper.Schedule(new Sandbox.DoomedVeth(_services.SandboxPath(Network), endpoint.ContainerSideName, endpoint.SandboxSideName, endpoint.Mac));
        return _services.Publisher.WithdrawAsync(LogicalId, endpoint.EndpointId, ct);
    }

    /// <summary>Publish now, in the caller's time (restart and repair, which run off the plugin calls' path).</summary>
    private Task PublishAsync(LocalEndpoint endpoint, CancellationToken ct) =>
        _services.Lease.PutAsync(ClusterKeys.Endpoint(LogicalId, endpoint.EndpointId), Record(endpoint), ct);

    private ReadOnlyMemory<byte> Record(LocalEndpoint endpoint) =>
        RecordStore.Encode(new EndpointRecord(LogicalId, endpoint.EndpointId, _services.Options.HostId, endpoint.IPv4, endpoint.IPv6, endpoint.Mac,
            _services.Underlay.Locator.ToString(), endpoint.Names), DriverJsonContext.Default.EndpointRecord);
    private void CheckInSubnet(InterfaceAddress? address)
    {
        if (address is null)
            return;
        var inside = Network.Subnets.Any(s => IPNetwork.TryParse(s.Pool, out var pool) && pool.Contains(address.Address));
        if (!inside)
            throw new InvalidRequestException($"address {address} is outside the network's subnets ({string.Join(", ", Network.Subnets.Select(s => s.Pool))})");
    }
}
