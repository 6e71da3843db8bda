using System.Collections.Concurrent;

namespace DockerNetPlugin.Host;

/// <summary>
/// Docker 29 and later send the endpoint's name (the container name) with IPAM RequestAddress, one call before
/// CreateEndpoint, which carries only the address. This remembers name by address for that short gap, so the driver can
/// publish the name with Join, before the learner has asked the Engine API. Entries are taken once and expire.
/// </summary>
internal sealed class EndpointNameHints
{
    /// <summary>The option Docker 29 sets on RequestAddress for an endpoint (moby c6717f4387).</summary>
    public const string EndpointNameOption = "com.docker.network.endpoint.name";

    private static readonly TimeSpan s_keep = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<string, (string Name, DateTime Until)> _byAddress = new(StringComparer.Ordinal);

    /// <summary>Remembers the name RequestAddress carried for <paramref name="address"/> (no prefix), if any and servable.</summary>
    public void Remember(string address, IReadOnlyDictionary<string, string>? options)
    {
        if (options?.GetValueOrDefault(EndpointNameOption) is not { Length: > 0 } name || !Replication.Names.NameProjection.IsServableName(name))
            return;
        var now = DateTime.UtcNow;
        if (_byAddress.Count >= MaxEntries)
        {
            foreach (var stale in _byAddress.Where(e => e.Value.Until < now).Select(e => e.Key).ToList())
                _byAddress.TryRemove(stale, out _);
            if (_byAddress.Count >= MaxEntries)
                return; // a flood of addresses never created as endpoints: names will be learned from Docker instead
        }
        _byAddress[address] = (name, now + s_keep);
    }

    /// <summary>The name remembered for the first of <paramref name="addresses"/> that has one (taken), or null.</summary>
    public string? Take(params System.Net.IPAddress?[] addresses)
    {
        foreach (var address in addresses)
        {
            if (address is not null && _byAddress.TryRemove(address.ToString(), out var hint) && hint.Until >= DateTime.UtcNow)
                return hint.Name;
        }
        return null;
    }
}
