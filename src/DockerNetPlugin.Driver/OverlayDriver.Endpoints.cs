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

    /// <summary>DeleteEndpoint: undo Join if Docker skipped Leave, forget the endpoint. Unknown ones succeed.</summary>
    public async Task DeleteEndpointAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        if (await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) is not { } locked)
            return;
        using (locked.Release)
            await locked.Network.DeleteEndpointAsync(endpointId, ct).ConfigureAwait(false);
    }

    /// <summary>Join without a container namespace key: the endpoint gets the resolver's route.</summary>
    public Task<JoinResult> JoinAsync(string dockerNetworkId, string endpointId, CancellationToken ct) => JoinAsync(dockerNetworkId, endpointId, null, ct);

    /// <summary>
    /// Join: see <see cref="OverlayNetwork.JoinAsync"/>. The resolver's route goes to the first dnp endpoint of a container
    /// namespace (<paramref name="sandboxKey"/>): the kernel refuses a second route to the same /32 on another interface.
    /// </summary>
    public async Task<JoinResult> JoinAsync(string dockerNetworkId, string endpointId, string? sandboxKey, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) ?? throw UnknownNetwork(dockerNetworkId);
        JoinResult joined;
        using (locked.Release)
        {
            var route = _resolvers is not null && !ResolverRoutedElsewhere(sandboxKey, endpointId);
            joined = await locked.Network.JoinAsync(endpointId, sandboxKey, route, ct).ConfigureAwait(false);
        }
        EndpointJoined?.Invoke(dockerNetworkId, endpointId);
        return joined;
    }

    /// <summary>Leave: withdraw the endpoint record and delete its veth. Unknown or repeated calls succeed.</summary>
    public async Task LeaveAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        if (await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) is not { } locked)
            return;
        using (locked.Release)
            await locked.Network.LeaveAsync(endpointId, ct).ConfigureAwait(false);
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
