namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// An attached endpoint as every host sees it (<c>endpoints/&lt;network&gt;/&lt;endpoint&gt;</c>), held by its host's lease:
/// the MAC, the addresses, and the locator (underlay IP of the host's VTEP) other hosts program as neighbour + FDB.
/// </summary>
public sealed record EndpointRecord(
    string NetworkId,
    string EndpointId,
    string HostId,
    string? IPv4,
    string? IPv6,
    string Mac,
    string Locator);
