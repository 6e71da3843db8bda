using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>
    /// CreateEndpoint: remember the endpoint's addresses and MAC (Docker's, else 02:42 + its IPv4 address).
    /// Nothing touches the kernel yet; Join builds the veth.
    /// </summary>
    public async Task<EndpointCreated> CreateEndpointAsync(EndpointCreation request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IPv4 is null && request.IPv6 is null)
            throw new InvalidRequestException("the endpoint has no address: dnp needs an IPAM driver that assigns one (--ipam-driver dnp or the default)");
        var locked = await LockNetworkAsync(request.DockerNetworkId, ct).ConfigureAwait(false)
            ?? throw UnknownNetwork(request.DockerNetworkId);
        using (locked.Release)
        {
            var runtime = locked.Runtime;
            CheckInSubnet(runtime.Network, request.IPv4);
            CheckInSubnet(runtime.Network, request.IPv6);
            var mac = request.Mac ?? MacFor(request);
            var endpoint = new LocalEndpoint(request.DockerNetworkId, request.EndpointId, request.IPv4?.ToString(), request.IPv6?.ToString(),
                FormatMac(mac), DeviceNames.ContainerSide(request.EndpointId), DeviceNames.SandboxSide(request.EndpointId), Joined: false);
            if (runtime.Endpoints.TryGetValue(request.EndpointId, out var existing))
            {
                if (existing.IPv4 != endpoint.IPv4 || existing.IPv6 != endpoint.IPv6)
                    throw new ConflictException($"endpoint {request.EndpointId} already exists with addresses {existing.IPv4} {existing.IPv6}");
                return new EndpointCreated(request.Mac is null ? PhysicalAddress.Parse(existing.Mac) : null);
            }
            await _local.PutAsync(ClusterKeys.LocalEndpoint(request.DockerNetworkId, request.EndpointId), endpoint, DriverJsonContext.Default.LocalEndpoint, null, ct).ConfigureAwait(false);
            runtime.Endpoints[request.EndpointId] = endpoint;
            return new EndpointCreated(request.Mac is null ? mac : null);
        }
    }

    /// <summary>DeleteEndpoint: undo Join if Docker skipped Leave, forget the endpoint; the last one takes the namespace with it.</summary>
    public async Task DeleteEndpointAsync(string dockerNetworkId, string endpointId, CancellationToken ct)
    {
        var locked = await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false);
        if (locked is not { } l)
            return;
        using (l.Release)
        {
            if (!l.Runtime.Endpoints.TryGetValue(endpointId, out var endpoint))
                return;
            await RemoveEndpointAsync(l.Runtime, endpoint, ct).ConfigureAwait(false);
            if (l.Runtime.Endpoints.Count == 0)
                DestroySandbox(l.Runtime);
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

    /// <summary>A MAC as Docker and iproute2 write it: lower-case hex pairs joined by ':'.</summary>
    public static string FormatMac(PhysicalAddress mac) => string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private async Task RemoveEndpointAsync(NetworkRuntime runtime, LocalEndpoint endpoint, CancellationToken ct)
    {
        if (endpoint.Joined)
            await DetachAsync(runtime, endpoint, ct).ConfigureAwait(false);
        await _local.DeleteAsync(ClusterKeys.LocalEndpoint(endpoint.DockerNetworkId, endpoint.EndpointId), ct).ConfigureAwait(false);
        runtime.Endpoints.Remove(endpoint.EndpointId);
    }

    private static void CheckInSubnet(LocalNetwork network, InterfaceAddress? address)
    {
        if (address is null)
            return;
        var inside = network.Subnets.Any(s => IPNetwork.TryParse(s.Pool, out var pool) && pool.Contains(address.Address));
        if (!inside)
            throw new InvalidRequestException($"address {address} is outside the network's subnets ({string.Join(", ", network.Subnets.Select(s => s.Pool))})");
    }

    private static NotFoundException UnknownNetwork(string dockerNetworkId) =>
        new($"network {dockerNetworkId} is not known to dnp on this host (was it created before this plugin's state dir was lost? remove and create it again)");
}
