using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Engine;
using DockerNetPlugin.Ipam;

namespace DockerNetPlugin.Host;

/// <summary>
/// The IPAM against Docker's view of this host: an endpoint address this host holds that no endpoint of this host's
/// Docker (on any network) nor of the driver uses has leaked, typically because Docker sent ReleaseAddress while the
/// plugin was down. Repair releases it (compare-and-delete: an address released and taken again meanwhile is left
/// alone). Addresses allocated less than <see cref="MinimumAge"/> ago are skipped: Docker asks for the address just
/// before it creates the endpoint, and the Engine API shows the endpoint only after.
/// </summary>
internal sealed class AddressLeakCheck(IpamService ipam, IDockerEngine engine, OverlayDriver driver) : IDriftCheck
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(30);

    public async Task CheckAsync(DriftLog drift, bool repair, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var held = await ipam.ListHeldEndpointAddressesAsync(ct).ConfigureAwait(false);
        if (held.Count == 0)
            return;
        HashSet<string> inUse;
        try
        {
            inUse = await DockerEndpointAddressesAsync(ct).ConfigureAwait(false); // read after the IPAM: see MinimumAge
        }
        catch (Exception e) when (e is DockerEngineException or HttpRequestException or IOException)
        {
            drift.Note($"addresses not checked against Docker's endpoints: {e.Message}");
            return;
        }
        inUse.UnionWith(await driver.EndpointAddressesAsync(ct).ConfigureAwait(false));
        var now = DateTimeOffset.UtcNow;
        foreach (var address in held)
        {
            var ip = address.Address.ToString();
            if (inUse.Contains(ip) || address.AllocatedAt is { } at && now - at < MinimumAge)
                continue;
            var item = new DriftItem(address.Pool, DriftKinds.AddressLeaked, ip,
                "held by this host in the IPAM, but no endpoint of this host's Docker uses it (ReleaseAddress lost?); repair releases it");
            if (drift.Add(item, repair))
                await ipam.ReleaseHeldAsync(address, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The addresses of every endpoint on every network of this host's Docker.</summary>
    private async Task<HashSet<string>> DockerEndpointAddressesAsync(CancellationToken ct)
    {
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listed in await engine.ListNetworksAsync(null, ct).ConfigureAwait(false))
        {
            var network = await engine.InspectNetworkAsync(listed.Id, ct).ConfigureAwait(false);
            foreach (var endpoint in network?.Containers?.Values ?? [])
                addresses.UnionWith(new[] { endpoint.Ipv4Address, endpoint.Ipv6Address }.OfType<string>().Where(a => a.Length > 0).Select(a => a.Split('/')[0]));
        }
        return addresses;
    }
}
