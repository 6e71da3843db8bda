namespace DockerNetPlugin.Driver.Local;

/// <summary>
/// An endpoint of this host (local state dir). Joined = its veth pair exists and its record is published.
/// <paramref name="Names"/>: learned from Docker after Join. <paramref name="SandboxKey"/>: the container's namespace
/// (from Join). <paramref name="ResolverRoute"/>: Join gave this endpoint the route to the resolver (one endpoint per
/// container namespace holds it). The three are optional: state written by an earlier release lacks them.
/// </summary>
public sealed record LocalEndpoint(
    string DockerNetworkId,
    string EndpointId,
    string? IPv4,
    string? IPv6,
    string Mac,
    string ContainerSideName,
    string SandboxSideName,
    bool Joined,
    Model.EndpointNames? Names = null,
    string? SandboxKey = null,
    bool ResolverRoute = false);
