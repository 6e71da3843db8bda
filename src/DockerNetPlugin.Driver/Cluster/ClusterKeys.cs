using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Every key the driver uses, built only through <see cref="KeyLayout"/>.
/// <para>
/// Two layouts of what a host owns (its host record, its endpoint records, its network memberships):
/// the legacy one, by kind (<c>hosts/{host}</c>, <c>endpoints/{net}/{ep}</c>, <c>network-hosts/{net}/{host}</c>), and the
/// by-host one, everything of a host under its own segment (<c>by-host/{host}/host</c>,
/// <c>by-host/{host}/endpoints/{net}/{ep}</c>, <c>by-host/{host}/network-hosts/{net}</c>), so a store ACL can give
/// each host write access to its own prefix only. The legacy key of a record is its <em>logical</em> key: the identity
/// writers and readers use; <see cref="WriteLayout"/> maps it to the physical keys written, <see cref="LayoutMerge"/>
/// merges what readers find in both layouts back to one record per logical key. Shared keys (<c>networks/</c>,
/// <c>vnis/</c>, <c>ipam/</c>, <c>forgotten-hosts/</c>) have one layout: their uniqueness needs one key per value.
/// </para>
/// </summary>
internal static class ClusterKeys
{
    /// <summary>The kind segment of the by-host layout.</summary>
    public const string ByHostKind = "by-host";

    /// <summary>Every host's own records (by-host layout); one watch covers all of them.</summary>
    public static string ByHostPrefix => KeyLayout.Prefix(ByHostKind);

    /// <summary>Everything <paramref name="hostId"/> owns in the by-host layout: the range a per-host ACL grants it.</summary>
    public static string ByHostPrefixOf(string hostId) => KeyLayout.Prefix(ByHostKind, hostId);

    /// <summary>The by-host copy of a host-owned logical key when <paramref name="owner"/> owns it; null when <paramref name="logicalKey"/> is not one.</summary>
    public static string? ByHost(string logicalKey, string owner) => OwnedKey.TryParse(logicalKey) is { Owner: null } k ? k.ByHostKey(owner) : null;

    public static string Network(string networkId) => KeyLayout.Key("networks", networkId);
    public static string NetworksPrefix => KeyLayout.Prefix("networks");

    public static string Vni(uint vni) => KeyLayout.Key("vnis", vni.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Membership(string networkId, string hostId) => KeyLayout.Key("network-hosts", networkId, hostId);
    public static string MembershipPrefix(string networkId) => KeyLayout.Prefix("network-hosts", networkId);
    public static string MembershipsPrefix => KeyLayout.Prefix("network-hosts");

    public static string Endpoint(string networkId, string endpointId) => KeyLayout.Key("endpoints", networkId, endpointId);
    public static string EndpointsPrefix => KeyLayout.Prefix("endpoints");
    public static string EndpointsPrefixOf(string networkId) => KeyLayout.Prefix("endpoints", networkId);

    public static string Host(string hostId) => KeyLayout.Key("hosts", hostId);
    public static string HostsPrefix => KeyLayout.Prefix("hosts");

    /// <summary>The mark <c>dnp forget-host</c> leaves so every host drops the forgotten host's entries (removed when it starts again).</summary>
    public static string ForgottenHost(string hostId) => KeyLayout.Key("forgotten-hosts", hostId);

    // This host's own state (kept in the local state dir's store, never shared).
    public static string LocalNetwork(string dockerNetworkId) => KeyLayout.Key("local-networks", dockerNetworkId);
    public static string LocalNetworksPrefix => KeyLayout.Prefix("local-networks");
    public static string LocalEndpoint(string dockerNetworkId, string endpointId) => KeyLayout.Key("local-endpoints", dockerNetworkId, endpointId);
    public static string LocalEndpointsPrefix => KeyLayout.Prefix("local-endpoints");
    public static string LocalLease => KeyLayout.Key("local-lease");
    /// <summary>An endpoint record a Leave or DeleteEndpoint left to withdraw from the store (see <see cref="EndpointPublisher"/>).</summary>
    public static string LocalWithdraw(string networkId, string endpointId) => KeyLayout.Key("local-withdraws", networkId, endpointId);
    public static string LocalWithdrawsPrefix => KeyLayout.Prefix("local-withdraws");
    public static string LocalEndpointsPrefixOf(string dockerNetworkId) => KeyLayout.Prefix("local-endpoints", dockerNetworkId);
}
