using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Driver.Replication;

/// <summary>
/// What another host needs to create the same Docker network: the origin's name, drivers, pools, options and
/// flags as its Docker committed them. Stored in the logical network record once the origin's Docker has it.
/// </summary>
public sealed record DockerNetworkSpec(
    string Name,
    string Driver,
    string IpamDriver,
    IReadOnlyList<PoolSpec> Pools,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> IpamOptions,
    bool Internal,
    bool EnableIPv6,
    bool Attachable,
    IReadOnlyDictionary<string, string> Labels)
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
    public NetworkCreateRequest ToCreateRequest(string logicalId) => new()
    {
        Name = Name,
        Driver = Driver,
        Internal = Internal,
        Attachable = Attachable,
        EnableIpv6 = EnableIPv6,
        Options = With(Options, DriverOptionNames.Network, logicalId),
        Labels = Labels,
        Ipam = new NetworkIpam
        {
            Driver = IpamDriver,
            Options = With(IpamOptions, DriverOptionNames.Network, logicalId),
            Config = Pools.Select(p => new IpamPoolConfig { Subnet = p.Subnet, IpRange = p.IpRange, Gateway = p.Gateway }).ToList(),
        },
    };

    private static Dictionary<string, string> Without(IReadOnlyDictionary<string, string>? options, string key) =>
        (options ?? new Dictionary<string, string>()).Where(kv => kv.Key != key).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> options, string key, string value) =>
        new(options, StringComparer.Ordinal) { [key] = value };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>One <c>--subnet</c> with its <c>--ip-range</c> and <c>--gateway</c>.</summary>
public sealed record PoolSpec(string Subnet, string? IpRange, string? Gateway);
