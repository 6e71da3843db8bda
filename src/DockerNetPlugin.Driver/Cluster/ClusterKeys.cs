using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>Every key the driver uses, built only through <see cref="KeyLayout"/>.</summary>
internal static class ClusterKeys
{
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
