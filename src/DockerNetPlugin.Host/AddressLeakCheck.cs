using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Engine;
using DockerNetPlugin.Ipam;

namespace DockerNetPlugin.Host;

/// <summary>
/// The IPAM against Docker's view of this host: an endpoint address this host holds that no endpoint of this host's
/// Docker (on any network) nor of the driver uses has leaked, typically because Docker sent ReleaseAddress while the
/// plugin was down. Repair releases it (compare-and-delete: an address released and taken again meanwhile is left
/// alone). Two windows are not leaks: Docker asks for an address just before it creates the endpoint (so addresses
/// allocated less than <see cref="MinimumAge"/> ago are skipped), and it removes an endpoint from its view before it
/// sends ReleaseAddress (so an unused address is only reported once a check at least <see cref="ConfirmAfter"/>
/// later finds it unused again, unchanged).
/// </summary>
internal sealed class AddressLeakCheck(IpamService ipam, IDockerEngine engine, OverlayDriver driver) : IDriftCheck
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ConfirmAfter = TimeSpan.FromSeconds(10);

    // Store key → the record version first seen unused, and when. The reconciler runs one check at a time.
    private readonly Dictionary<string, (ulong Version, DateTimeOffset Since)> _suspects = new(StringComparer.Ordinal);

    public async Task CheckAsync(DriftLog drift, bool repair, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var held = await ipam.ListHeldEndpointAddressesAsync(ct).ConfigureAwait(false);
        if (held.Count == 0)
        {
            _suspects.Clear();
            return;
        }
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
        var unused = held.Where(a => !inUse.Contains(a.Address.ToString()) && !(a.AllocatedAt is { } at && now - at < MinimumAge)).ToList();
        foreach (var key in _suspects.Keys.Except(unused.Select(a => a.Key)).ToList())
            _suspects.Remove(key);
        foreach (var address in unused)
        {
            if (!_suspects.TryGetValue(address.Key, out var seen) || seen.Version != address.Version)
            {
                _suspects[address.Key] = (address.Version, now);
                continue;
            }
            if (now - seen.Since < ConfirmAfter)
                continue;
            var ip = address.Address.ToString();
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
