namespace DockerNetPlugin.Fuzzer;

/// <summary>Which error field a method's replies use: <c>Err</c> (network driver, activation) or <c>Error</c> (IPAM).</summary>
public enum ErrorField
{
    Err,
    Error,
}

/// <summary>Every method the plugin serves on its socket (remote-api.md §1–§4).</summary>
public static class PluginApi
{
    public const string Activate = "/Plugin.Activate";
    public const string NetCapabilities = "/NetworkDriver.GetCapabilities";
    public const string GwAllocCheck = "/NetworkDriver.GwAllocCheck";
    public const string CreateNetwork = "/NetworkDriver.CreateNetwork";
    public const string DeleteNetwork = "/NetworkDriver.DeleteNetwork";
    public const string AllocateNetwork = "/NetworkDriver.AllocateNetwork";
    public const string FreeNetwork = "/NetworkDriver.FreeNetwork";
    public const string CreateEndpoint = "/NetworkDriver.CreateEndpoint";
    public const string DeleteEndpoint = "/NetworkDriver.DeleteEndpoint";
    public const string Join = "/NetworkDriver.Join";
    public const string Leave = "/NetworkDriver.Leave";
    public const string EndpointOperInfo = "/NetworkDriver.EndpointOperInfo";
    public const string ProgramExternal = "/NetworkDriver.ProgramExternalConnectivity";
    public const string RevokeExternal = "/NetworkDriver.RevokeExternalConnectivity";
    public const string DiscoverNew = "/NetworkDriver.DiscoverNew";
    public const string DiscoverDelete = "/NetworkDriver.DiscoverDelete";
    public const string IpamCapabilities = "/IpamDriver.GetCapabilities";
    public const string AddressSpaces = "/IpamDriver.GetDefaultAddressSpaces";
    public const string RequestPool = "/IpamDriver.RequestPool";
    public const string ReleasePool = "/IpamDriver.ReleasePool";
    public const string RequestAddress = "/IpamDriver.RequestAddress";
    public const string ReleaseAddress = "/IpamDriver.ReleaseAddress";

    /// <summary>The plugin's own status API (not part of Docker's protocol).</summary>
    public const string Status = "/dnp/v1/status";

    public static IReadOnlyList<string> Methods { get; } =
    [
        Activate, NetCapabilities, GwAllocCheck, CreateNetwork, DeleteNetwork, AllocateNetwork, FreeNetwork,
        CreateEndpoint, DeleteEndpoint, Join, Leave, EndpointOperInfo, ProgramExternal, RevokeExternal,
        DiscoverNew, DiscoverDelete, IpamCapabilities, AddressSpaces, RequestPool, ReleasePool, RequestAddress, ReleaseAddress,
    ];

    public static bool IsKnown(string path) => Methods.Contains(path, StringComparer.OrdinalIgnoreCase);

    public static ErrorField ErrorFieldOf(string path) =>
        path.StartsWith("/IpamDriver.", StringComparison.OrdinalIgnoreCase) ? ErrorField.Error : ErrorField.Err;
}
