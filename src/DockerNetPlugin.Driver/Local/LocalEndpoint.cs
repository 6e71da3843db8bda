namespace DockerNetPlugin.Driver.Local;

/// <summary>An endpoint of this host (local state dir). Joined = its veth pair exists and its record is published.</summary>
public sealed record LocalEndpoint(
    string DockerNetworkId,
    string EndpointId,
    string? IPv4,
    string? IPv6,
    string Mac,
    string ContainerSideName,
    string SandboxSideName,
    bool Joined);
