using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>What a host owns in the store: its host record, its endpoint records, its network memberships.</summary>
internal enum OwnedKind
{
    Host,
    Endpoint,
    Membership,
}

/// <summary>
/// A host-owned key of either layout, parsed (see <see cref="ClusterKeys"/>). <see cref="Owner"/> is the host segment
/// of a by-host key and null for a legacy key; <see cref="Logical"/> is the legacy form, the record's identity in both.
/// <see cref="HostId"/> is the host a host record or membership is of (the key's), null for an endpoint key (its
/// record names its host). Parsing never throws: anything that is not exactly such a key in the store's escaped form
/// gives null.
/// </summary>
internal sealed record OwnedKey(OwnedKind Kind, string? Owner, string? HostId, string? NetworkId, string? EndpointId)
{
    private static readonly string s_hosts = KeyLayout.Prefix("hosts");
    private static readonly string s_endpoints = KeyLayout.Prefix("endpoints");
    private static readonly string s_memberships = KeyLayout.Prefix("network-hosts");
    private static readonly string s_byHost = KeyLayout.Prefix(ClusterKeys.ByHostKind);

    /// <summary>The legacy key: the record's identity in both layouts.</summary>
    public string Logical => Kind switch
    {
        OwnedKind.Host => ClusterKeys.Host(HostId!),
        OwnedKind.Endpoint => ClusterKeys.Endpoint(NetworkId!, EndpointId!),
        _ => ClusterKeys.Membership(NetworkId!, HostId!),
    };

    /// <summary>The by-host key of this record when its owner is <paramref name="owner"/> (the key's own for a host record or membership).</summary>
    public string ByHostKey(string? owner = null)
    {
        var host = owner ?? Owner ?? HostId ?? throw new InvalidOperationException($"an endpoint key needs its owner to have a by-host form ({Logical})");
        return Kind switch
        {
            OwnedKind.Host => KeyLayout.Key(ClusterKeys.ByHostKind, host, "host"),
            OwnedKind.Endpoint => KeyLayout.Key(ClusterKeys.ByHostKind, host, "endpoints", NetworkId!, EndpointId!),
            _ => KeyLayout.Key(ClusterKeys.ByHostKind, host, "network-hosts", NetworkId!),
        };
    }

    /// <summary>A host-owned key of either layout, or null.</summary>
    public static OwnedKey? TryParse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (KeyLayout.TrySplit(key, s_hosts, 1) is [var host])
            return new OwnedKey(OwnedKind.Host, null, host, null, null);
        if (KeyLayout.TrySplit(key, s_endpoints, 2) is [var network, var endpoint])
            return new OwnedKey(OwnedKind.Endpoint, null, null, network, endpoint);
        if (KeyLayout.TrySplit(key, s_memberships, 2) is [var net, var member])
            return new OwnedKey(OwnedKind.Membership, null, member, net, null);
        if (!key.StartsWith(s_byHost, StringComparison.Ordinal))
            return null;
        var slash = key.IndexOf('/', s_byHost.Length);
        if (slash < 0 || !KeyLayout.TryUnescape(key[s_byHost.Length..slash], out var owner))
            return null;
        var rest = key[(slash + 1)..];
        if (rest == "host")
            return new OwnedKey(OwnedKind.Host, owner, owner, null, null);
        var ownPrefix = key[..(slash + 1)];
        if (KeyLayout.TrySplit(key, ownPrefix + "endpoints/", 2) is [var n, var e])
            return new OwnedKey(OwnedKind.Endpoint, owner, null, n, e);
        if (KeyLayout.TrySplit(key, ownPrefix + "network-hosts/", 1) is [var m])
            return new OwnedKey(OwnedKind.Membership, owner, owner, m, null);
        return null;
    }

    /// <summary>The kind's legacy prefix (a watch or list of the legacy layout).</summary>
    public static string LegacyPrefix(OwnedKind kind) => kind switch
    {
        OwnedKind.Host => s_hosts,
        OwnedKind.Endpoint => s_endpoints,
        _ => s_memberships,
    };
}
