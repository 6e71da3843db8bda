using DockerNetPlugin.Driver.Replication;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// A logical network as every host sees it in the store (<c>networks/&lt;id&gt;</c>). With replication on,
/// <see cref="Name"/> and <see cref="Docker"/> are set once the creating host's Docker has committed the network
/// (only then do other hosts create it); <see cref="Removing"/> is set when a user removed it on any host.
/// </summary>
public sealed record NetworkRecord(
    string Id,
    string? Name,
    uint Vni,
    IReadOnlyList<SubnetRecord> Subnets,
    bool Internal,
    bool EnableIPv6,
    int? Mtu,
    IReadOnlyDictionary<string, string> Options,
    string CreatedBy,
    DateTimeOffset Created,
    bool Removing = false,
    DockerNetworkSpec? Docker = null);

/// <summary>A subnet in CIDR form and its gateway ("10.30.0.1/24").</summary>
public sealed record SubnetRecord(string Pool, string? Gateway);
