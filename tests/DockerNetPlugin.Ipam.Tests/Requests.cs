namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Request shapes as Docker sends them (remote-api.md §4).</summary>
internal static class Requests
{
    public const string Space = "dnp-local";

    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static readonly IReadOnlyDictionary<string, string> Gateway =
        new Dictionary<string, string> { [IpamLabels.RequestAddressType] = IpamLabels.Gateway };

    public static IReadOnlyDictionary<string, string> Endpoint(string name) =>
        new Dictionary<string, string> { [IpamLabels.EndpointName] = name };

    public static IReadOnlyDictionary<string, string> Network(string id) =>
        new Dictionary<string, string> { [IpamLabels.Network] = id };

    public static PoolRequest Pool(string? cidr, string? subPool = null, IReadOnlyDictionary<string, string>? options = null, bool v6 = false) =>
        new(Space, cidr, subPool, options ?? None, v6);
}
