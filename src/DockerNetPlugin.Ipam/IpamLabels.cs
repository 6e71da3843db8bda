namespace DockerNetPlugin.Ipam;

/// <summary>Option keys Docker sends (ipamapi/labels.go, netlabel) and our own <c>dnp.network</c>.</summary>
public static class IpamLabels
{
    public const string RequestAddressType = "RequestAddressType";
    public const string Gateway = "com.docker.network.gateway";
    public const string EndpointName = "com.docker.network.endpoint.name";
    public const string MacAddress = "com.docker.network.endpoint.macaddress";

    /// <summary><c>--ipam-opt dnp.network=&lt;logical id&gt;</c>: which logical network a pool belongs to.</summary>
    public const string Network = "dnp.network";
}
