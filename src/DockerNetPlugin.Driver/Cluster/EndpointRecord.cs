namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// An attached endpoint as every host sees it (<c>endpoints/&lt;network&gt;/&lt;endpoint&gt;</c>), held by its host's lease:
/// the MAC, the addresses, and the locator (underlay IP of the host's VTEP) other hosts program as neighbour + FDB.
/// <paramref name="Names"/> (optional, absent until the names are learned, and from hosts running a release before
/// names): what every host's resolver answers for the endpoint. A host of the previous release ignores the field.
/// </summary>
public sealed record EndpointRecord(
    string NetworkId,
    string EndpointId,
    string HostId,
    string? IPv4,
    string? IPv6,
    string Mac,
    string Locator,
    Model.EndpointNames? Names = null);
