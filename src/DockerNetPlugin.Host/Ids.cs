using DockerNetPlugin.Protocol;

namespace DockerNetPlugin.Host;

/// <summary>The IDs a request names, for the one log line per call.</summary>
internal static class Ids
{
    public static string Of(object? request) => request switch
    {
        CreateNetworkRequest r => Short(r.NetworkId),
        NetworkRequest r => Short(r.NetworkId),
        CreateEndpointRequest r => $"{Short(r.NetworkId)}/{Short(r.EndpointId)}",
        EndpointRequest r => $"{Short(r.NetworkId)}/{Short(r.EndpointId)}",
        JoinRequest r => $"{Short(r.NetworkId)}/{Short(r.EndpointId)}",
        ExternalConnectivityRequest r => $"{Short(r.NetworkId)}/{Short(r.EndpointId)}",
        RequestPoolRequest r => r.Pool is { Length: > 0 } p ? p : "(default pool)",
        ReleasePoolRequest r => r.PoolId ?? "-",
        RequestAddressRequest r => $"{r.PoolId} {r.Address}".Trim(),
        ReleaseAddressRequest r => $"{r.PoolId} {r.Address}".Trim(),
        _ => "-",
    };

    private static string Short(string? id) => id is null ? "-" : id.Length > 12 ? id[..12] : id;
}
