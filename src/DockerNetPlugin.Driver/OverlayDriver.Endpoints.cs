using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Driver;

/// <summary>The endpoint verbs: find the network, take its lock, and let it do the work.</summary>
public sealed partial class OverlayDriver
{
    /// <summary>CreateEndpoint: see <see cref="OverlayNetwork.CreateEndpointAsync"/>.</summary>
    public async Task<EndpointCreated> CreateEndpointAsync(EndpointCreation request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IPv4 is null && request.IPv6 is null)
            throw new InvalidRequestException("the endpoint has no address: dnp needs an IPAM driver that assigns one (--ipam-driver dnp or the default)");
        var locked = await LockNetworkAsync(request.DockerNetworkId, ct).ConfigureAwait(false) ?? throw UnknownNetwork(request.DockerNetworkId);
        using (locked.Release)
            return await locked.Network.CreateEndpointAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// DeleteEndpoint: undo Join if Docker skipped Leave, forget the endpoint. Unknown ones succeed. Never fails on the
    /// store: see <see cref="LeaveAsync"/>.
    /// </summary>
    public async Task DeleteEndpointAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        if (await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) is not { } locked)
            return;
        Task withdrawn;
        using (locked.Release)
            withdrawn = await locked.Network.DeleteEndpointAsync(endpointId, ct).ConfigureAwait(false);
        await AwaitStoreAsync(withdrawn, ct).ConfigureAwait(false);
    }

    /// <summary>Join without a container namespace key: the endpoint gets the resolver's route.</summary>
    public Task<JoinResult> JoinAsync(string dockerNetworkId, string endpointId, CancellationToken ct) => JoinAsync(dockerNetworkId, endpointId, null, ct);

    /// <summary>
    /// Join: see <see cref="OverlayNetwork.JoinAsync"/>. The resolver's route goes to the first dnp endpoint of a container
    /// namespace (<paramref name="sandboxKey"/>): the kernel refuses a second route to the same /32 on another interface.
    /// Succeeds on its local work: when the store does not take the record within <see cref="DriverOptions.StoreCallTimeout"/>,
    /// it is published in the background once the store answers (peers reach the container from then on).
    /// </summary>
    public async Task<JoinResult> JoinAsync(string dockerNetworkId, string endpointId, string? sandboxKey, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) ?? throw UnknownNetwork(dockerNetworkId);
        (JoinResult Result, Task Published) joined;
        using (locked.Release)
        {
            var route = _resolvers is not null && !ResolverRoutedElsewhere(sandboxKey, endpointId);
            joined = await locked.Network.JoinAsync(endpointId, sandboxKey, route, ct).ConfigureAwait(false);
        }
        await AwaitStoreAsync(joined.Published, ct).ConfigureAwait(false);
        EndpointJoined?.Invoke(dockerNetworkId, endpointId);
        return joined.Result;
    }

    /// <summary>
    /// Leave: the veth goes (deleted by the reaper right after the reply), the endpoint record is withdrawn. Unknown or
    /// repeated calls succeed. Never fails on the store:
    /// the withdraw is marked in the local state dir and retried in the background until the store takes it.
    /// </summary>
    public async Task LeaveAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        if (await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) is not { } locked)
            return;
        Task withdrawn;
        using (locked.Release)
            withdrawn = await locked.Network.LeaveAsync(endpointId, ct).ConfigureAwait(false);
        await AwaitStoreAsync(withdrawn, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Give the store up to <see cref="DriverOptions.StoreCallTimeout"/> to take a record write, outside the network's
    /// lock; past it the call goes on and the write stays with the background writer (which logs it).
    /// </summary>
    private async Task AwaitStoreAsync(Task written, CancellationToken ct)
    {
        try
        {
            await written.WaitAsync(_options.StoreCallTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // deferred: EndpointPublisher retries it and logs when it catches up
        }
    }

    /// <summary>Endpoint MAC when Docker gave none: 02:42 + the IPv4 address (Docker's rule), else + the IPv6 low bytes.</summary>
    public static PhysicalAddress MacFor(EndpointCreation request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = (request.IPv4 ?? request.IPv6)!.Address.GetAddressBytes();
        var mac = new byte[6];
        mac[0] = 0x02;
        mac[1] = 0x42;
        Array.Copy(source, source.Length - 4, mac, 2, 4);
        return new PhysicalAddress(mac);
    }

    private static NotFoundException UnknownNetwork(string dockerNetworkId) =>
        new($"network {dockerNetworkId} is not known to dnp on this host (was it created before this plugin's state dir was lost? remove and create it again)");
}
