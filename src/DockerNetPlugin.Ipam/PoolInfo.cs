using System.Net;

namespace DockerNetPlugin.Ipam;

/// <summary>A pool as the store holds it, for the driver and the CLI.</summary>
/// <param name="Network">The <c>dnp.network</c> logical network id the pool belongs to, if any.</param>
/// <param name="Holders">Host id → how many RequestPool calls of that host hold the pool.</param>
public sealed record PoolInfo(
    string PoolId,
    string AddressSpace,
    IPNetwork Pool,
    IPNetwork? SubPool,
    bool V6,
    IPAddress? Gateway,
    string? Network,
    IReadOnlyDictionary<string, int> Holders,
    IReadOnlyDictionary<string, string> Options,
    string CreatedBy);
