using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Replication;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Replication;

/// <summary>A <see cref="DockerNetworkSpec"/> from the Engine API's view of a network, and back to a create request.</summary>
internal static class DockerNetworkSpecs
{
    /// <summary>The spec of a network as <c>GET /networks/{id}</c> shows it on the origin.</summary>
    public static DockerNetworkSpec From(DockerNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new DockerNetworkSpec(
            network.Name,
            network.Driver,
            network.Ipam?.Driver ?? "default",
            (network.Ipam?.Config ?? []).Where(c => !string.IsNullOrEmpty(c.Subnet))
                .Select(c => new PoolSpec(c.Subnet!, NullIfEmpty(c.IpRange), NullIfEmpty(c.Gateway))).ToList(),
            Without(network.Options, DriverOptionNames.Network),
            Without(network.Ipam?.Options, DriverOptionNames.Network),
            network.Internal,
            network.EnableIpv6,
            network.Attachable,
            new Dictionary<string, string>(network.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The Engine request that creates this network on another host as a member of logical network
    /// <paramref name="logicalId"/>. Auxiliary addresses are left out: the cluster IPAM already holds them for every host.
    /// </summary>
    public static NetworkCreateRequest ToCreateRequest(this DockerNetworkSpec spec, string logicalId) => new()
    {
        Name = spec.Name,
        Driver = spec.Driver,
        Internal = spec.Internal,
        Attachable = spec.Attachable,
        EnableIpv6 = spec.EnableIPv6,
        Options = With(spec.Options, DriverOptionNames.Network, logicalId),
        Labels = spec.Labels,
        Ipam = new NetworkIpam
        {
            Driver = spec.IpamDriver,
            Options = With(spec.IpamOptions, DriverOptionNames.Network, logicalId),
            Config = spec.Pools.Select(p => new IpamPoolConfig { Subnet = p.Subnet, IpRange = p.IpRange, Gateway = p.Gateway }).ToList(),
        },
    };

    private static Dictionary<string, string> Without(IReadOnlyDictionary<string, string>? options, string key) =>
        (options ?? new Dictionary<string, string>()).Where(kv => kv.Key != key).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> options, string key, string value) =>
        new(options, StringComparer.Ordinal) { [key] = value };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
