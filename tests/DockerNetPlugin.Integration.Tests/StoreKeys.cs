using DockerNetPlugin.Store;

namespace DockerNetPlugin.Integration.Tests;

/// <summary>
/// Endpoint record keys as a test finds them in the store: <c>dnp/v1/endpoints/&lt;net&gt;/&lt;ep&gt;</c> (the legacy
/// layout) or <c>dnp/v1/by-host/&lt;host&gt;/endpoints/&lt;net&gt;/&lt;ep&gt;</c> (where hosts of this release keep
/// theirs). List <c>dnp/v1/</c> and filter with these.
/// </summary>
internal static class StoreKeys
{
    public const string Root = KeyLayout.Root + "/";

    /// <summary>Whether <paramref name="key"/> is an endpoint record's key in either layout (of <paramref name="network"/>, when given).</summary>
    public static bool IsEndpoint(string key, string? network = null)
    {
        var parts = key.Trim().Split('/');
        var rest = parts.Length == 5 && parts[2] == "endpoints" ? parts[3..]
            : parts.Length == 7 && parts[2] == "by-host" && parts[4] == "endpoints" ? parts[5..]
            : null;
        return rest is not null && (network is null || rest[0] == KeyLayout.Escape(network));
    }

    /// <summary>The endpoint record keys in the output of <c>etcdctl get --prefix --keys-only dnp/v1/</c>.</summary>
    public static HashSet<string> Endpoints(string keysOnly, string? network = null) =>
        keysOnly.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(k => IsEndpoint(k, network)).ToHashSet(StringComparer.Ordinal);
}
