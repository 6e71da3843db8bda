namespace DockerNetPlugin.Driver.Replication;

/// <summary>
/// What another host needs to create the same Docker network: the origin's name, drivers, pools, options and
/// flags as its Docker committed them. Stored in the logical network record once the origin's Docker has it.
/// Converted from and to the Engine API by the replication component (<c>DockerNetworkSpecs</c>).
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
    IReadOnlyDictionary<string, string> Labels);

/// <summary>One <c>--subnet</c> with its <c>--ip-range</c> and <c>--gateway</c>.</summary>
public sealed record PoolSpec(string Subnet, string? IpRange, string? Gateway);
