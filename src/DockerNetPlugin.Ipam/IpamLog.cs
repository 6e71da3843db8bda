using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Ipam;

/// <summary>IPAM log events (ids 3xxx).</summary>
internal static partial class IpamLog
{
    [LoggerMessage(3001, LogLevel.Information, "Created pool {Pool} (network {NetworkId}) for host {HostId}")]
    public static partial void PoolCreated(ILogger logger, string pool, string? networkId, string hostId);

    [LoggerMessage(3002, LogLevel.Information, "Host {HostId} now holds pool {Pool} (network {NetworkId}) {RefCount} time(s)")]
    public static partial void PoolHeld(ILogger logger, string hostId, string pool, string? networkId, int refCount);

    [LoggerMessage(3003, LogLevel.Information, "Host {HostId} released pool {Pool}; {Remaining} hold(s) of this host remain")]
    public static partial void PoolReleased(ILogger logger, string hostId, string pool, int remaining);

    [LoggerMessage(3004, LogLevel.Information, "Removed pool {Pool}: no host holds it any more")]
    public static partial void PoolRemoved(ILogger logger, string pool);

    [LoggerMessage(3005, LogLevel.Debug, "ReleasePool for {PoolId}: nothing held by host {HostId}, nothing to do")]
    public static partial void PoolReleaseNoop(ILogger logger, string poolId, string hostId);

    [LoggerMessage(3010, LogLevel.Debug, "Allocated {Address} ({Kind}) in pool {Pool}")]
    public static partial void AddressAllocated(ILogger logger, string address, AddressKind kind, string pool);

    [LoggerMessage(3011, LogLevel.Debug, "Released {Address} in pool {Pool}")]
    public static partial void AddressReleased(ILogger logger, string address, string pool);

    [LoggerMessage(3012, LogLevel.Information, "Pool {Pool} gateway is {Address}")]
    public static partial void GatewaySet(ILogger logger, string pool, string address);

    [LoggerMessage(3013, LogLevel.Debug, "ReleaseAddress {Address} in pool {Pool} kept: a {Kind} address lives as long as the pool")]
    public static partial void SharedAddressKept(ILogger logger, string address, string pool, AddressKind kind);

    [LoggerMessage(3014, LogLevel.Warning, "ReleaseAddress {Address} in pool {Pool} ignored: it is held by host {Owner}, not by this host")]
    public static partial void ReleaseByNonOwnerIgnored(ILogger logger, string address, string pool, string owner);

    [LoggerMessage(3015, LogLevel.Warning, "Released {Address} in pool {Pool}: this host held it but no endpoint of its Docker uses it (a ReleaseAddress was lost)")]
    public static partial void LeakedAddressReleased(ILogger logger, string address, string pool);

    [LoggerMessage(3016, LogLevel.Warning, "Forgot host {HostId}: released {Addresses} endpoint address(es) and its holds on {Pools} pool(s), {Removed} of which went with it")]
    public static partial void HostForgotten(ILogger logger, string hostId, int addresses, int pools, int removed);

    [LoggerMessage(3020, LogLevel.Warning, "Could not delete leftover address records under {Prefix}; they are harmless and removed when the CIDR is next created")]
    public static partial void CleanupFailed(ILogger logger, string prefix, Exception exception);

    [LoggerMessage(3021, LogLevel.Debug, "Compare-and-set on {Key} lost a race (attempt {Attempt}); retrying")]
    public static partial void CasRetry(ILogger logger, string key, int attempt);

    [LoggerMessage(3022, LogLevel.Warning, "IPAM store record {Key} is invalid and skipped: {Reason}")]
    public static partial void RecordInvalid(ILogger logger, string key, string reason);
}
