namespace DockerNetPlugin.Ipam;

/// <summary>The stored form of a pool (<c>ipam/pools/&lt;cidr&gt;</c>). Changed only by compare-and-set.</summary>
internal sealed record PoolRecord(
    string AddressSpace,
    string Cidr,
    string? SubPool,
    bool V6,
    string? Gateway,
    string? Network,
    Dictionary<string, int> Holders,
    Dictionary<string, string> Options,
    string Generation,
    string CreatedBy);
