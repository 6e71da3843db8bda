namespace DockerNetPlugin.Driver.Model;

/// <summary>What CreateNetwork asks for, parsed and validated by the host.</summary>
/// <param name="DockerNetworkId">This host's Docker network ID (differs per host).</param>
/// <param name="DriverOptions">The <c>-o key=value</c> options.</param>
public sealed record NetworkCreation(
    string DockerNetworkId,
    IReadOnlyDictionary<string, string> DriverOptions,
    bool Internal,
    bool EnableIPv6,
    IReadOnlyList<SubnetSpec> Subnets);
