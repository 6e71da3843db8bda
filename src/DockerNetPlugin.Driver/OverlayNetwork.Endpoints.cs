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
    /// for the grace period (DNP_NETNS_GRACE), then removed.
    /// </summary>
    public async Task DeleteEndpointAsync(string endpointId, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint))
            return;
        await RemoveEndpointAsync(endpoint, ct).ConfigureAwait(false);
        if (_endpoints.Count == 0)
            ReleaseSandbox();
    }

    /// <summary>
    /// Join: make sure the network's namespace exists (replaying known peers into it), create the endpoint's veth
    /// (overlay end on br0, container end left in the host namespace for Docker to move), and publish the endpoint
    /// record under this host's lease so every other host programs it; the local state write and the record go out
    /// at once. No gateway is returned: Docker then attaches docker_gwbridge for NAT and published ports. With
    /// <paramref name="resolverRoute"/> the answer routes the resolver's address through this interface. Names are not
    /// known yet: Docker is inside its own locks while it calls Join, so they are learned from the Engine API afterwards
    /// (<see cref="SetNamesAsync"/>).
    /// </summary>
    public async Task<JoinResult> JoinAsync(string endpointId, string? sandboxKey, bool resolverRoute, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint))
            throw new NotFoundException($"endpoint {endpointId} is not known on network {DockerNetworkId}; Docker must call CreateEndpoint first");

        var createdSandbox = EnsureSandbox();
        try
        {
            lock (_kernelGate)
                _sandbox!.AttachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName, PhysicalAddress.Parse(endpoint.Mac));
            var joined = endpoint with { Joined = true, SandboxKey = sandboxKey, ResolverRoute = resolverRoute };
            await Task.WhenAll(
                _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpointId), joined, DriverJsonContext.Default.LocalEndpoint, null, ct),
                PublishAsync(joined, ct)).ConfigureAwait(false);
            SetEndpoint(joined);
            return new JoinResult(endpoint.ContainerSideName, "eth", resolverRoute ? _services.Resolvers?.Address : null);
        }
        catch
        {
            lock (_kernelGate)
                _sandbox?.DetachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName);
            await WithdrawQuietlyAsync(endpointId).ConfigureAwait(false);
            if (createdSandbox && !_endpoints.Values.Any(e => e.Joined))
                DestroySandbox();
            throw;
        }
    }

    /// <summary>
    /// Leave: withdraw the endpoint record, delete its veth and write the local state, the three at once (none needs
    /// another's result; a failed one fails the call after the others finished, and each is safe to repeat).
    /// Unknown or repeated calls succeed.
    /// </summary>
    public async Task LeaveAsync(string endpointId, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint) || !endpoint.Joined)
            return;
        var left = endpoint with { Joined = false, Names = null, SandboxKey = null, ResolverRoute = false };
        await DetachAlongsideAsync(endpoint,
            _services.Lease.DeleteAsync(ClusterKeys.Endpoint(LogicalId, endpointId), ct),
            _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpointId), left, DriverJsonContext.Default.LocalEndpoint, null, ct)).ConfigureAwait(false);
        SetEndpoint(left);
    }

    /// <summary>
    /// Set the names of a joined endpoint (learned from Docker) and publish them with its record. False when the endpoint
    /// is unknown or not joined (it left meanwhile), or nothing changed and <paramref name="republish"/> is off.
    /// </summary>
    public async Task<bool> SetNamesAsync(string endpointId, EndpointNames names, bool republish, CancellationToken ct)
    {
        RequireLock();
        if (!_endpoints.TryGetValue(endpointId, out var endpoint) || !endpoint.Joined)
            return false;
        if (Equals(endpoint.Names, names) && !republish)
            return false;
        var named = endpoint with { Names = names };
        await _services.Local.PutAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpointId), named, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
        SetEndpoint(named);
        await PublishAsync(named, ct).ConfigureAwait(false);
        DriverLog.NamesSet(_services.Logger, endpointId, DockerNetworkId, names.ToString());
        return true;
    }

    /// <summary>A failed Join takes back a record that may have gone out; if that fails too, the reconciler deletes it (record-stale).</summary>
    private async Task WithdrawQuietlyAsync(string endpointId)
    {
        try
        {
            await _services.Lease.DeleteAsync(ClusterKeys.Endpoint(LogicalId, endpointId), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Store.StoreException)
        {
        }
    }

    /// <summary>DeleteEndpoint's work (and Leave's, if Docker skipped it): record, veth and local state at once.</summary>
    private async Task RemoveEndpointAsync(LocalEndpoint endpoint, CancellationToken ct)
    {
        var local = _services.Local.DeleteAsync(ClusterKeys.LocalEndpoint(DockerNetworkId, endpoint.EndpointId), ct);
        if (endpoint.Joined)
            await DetachAlongsideAsync(endpoint, _services.Lease.DeleteAsync(ClusterKeys.Endpoint(LogicalId, endpoint.EndpointId), ct), local).ConfigureAwait(false);
        else
            await local.ConfigureAwait(false);
        ForgetEndpoint(endpoint.EndpointId);
    }

    /// <summary>
    /// Deletes the endpoint's veth on this thread while <paramref name="storeWrites"/> (already started) are in flight,
    /// then waits for them: a failure of either is thrown once all are done.
    /// </summary>
    private async Task DetachAlongsideAsync(LocalEndpoint endpoint, params Task[] storeWrites)
    {
        var writes = Task.WhenAll(storeWrites);
        try
        {
            lock (_kernelGate)
                _sandbox?.DetachEndpoint(endpoint.ContainerSideName, endpoint.SandboxSideName);
        }
        finally
        {
            await writes.ConfigureAwait(false);
        }
    }

    private Task PublishAsync(LocalEndpoint endpoint, CancellationToken ct)
    {
        var record = new EndpointRecord(LogicalId, endpoint.EndpointId, _services.Options.HostId, endpoint.IPv4, endpoint.IPv6, endpoint.Mac,
            _services.Underlay.Locator.ToString(), endpoint.Names);
        return _services.Lease.PutAsync(ClusterKeys.Endpoint(LogicalId, endpoint.EndpointId), RecordStore.Encode(record, DriverJsonContext.Default.EndpointRecord), ct);
    }

    private void CheckInSubnet(InterfaceAddress? address)
    {
        if (address is null)
            return;
        var inside = Network.Subnets.Any(s => IPNetwork.TryParse(s.Pool, out var pool) && pool.Contains(address.Address));
        if (!inside)
            throw new InvalidRequestException($"address {address} is outside the network's subnets ({string.Join(", ", Network.Subnets.Select(s => s.Pool))})");
    }
}
